#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# sigma_bench.sh - the Sigma engine's throughput: exec events replayed through the rules, one core.
#
# The stream: tests/sigma/replay-benign.jsonl (a container workload: entrypoints, apt, a gcc
# build, servers, health checks) 30 times over, then every event of tests/sigma/expect-*.jsonl
# (events made to match, or nearly match, SigmaHQ's rules): about half benign, half hostile.
# It is replayed through SigmaHQ's 122 rules plus whorl's fixture rule, then through twice
# SigmaHQ's rules (244 + 1, standing in for 122 more rules of the same kind). `whorl rules
# bench` counts the CPU time of matching only (the JSON is parsed before the clock starts).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${WHORL_SIGMA_DIR:-../../shared/sigma/linux-process-creation}
stream=$(mktemp)
trap 'rm -f "$stream"' EXIT

[ -d "$dir" ] || { echo "sigma_bench.sh: no rules at $dir (set WHORL_SIGMA_DIR)" >&2; exit 1; }
python3 - "$stream" <<'PY'
import json, sys
with open(sys.argv[1], "w") as out:
    benign = open("tests/sigma/replay-benign.jsonl").read()
    out.write(benign * 30)
    for name in ("tests/sigma/expect-generated.jsonl", "tests/sigma/expect-manual.jsonl"):
        for line in open(name):
            out.write(json.dumps(json.loads(line)["event"]) + "\n")
PY
pin=()
command -v taskset >/dev/null && pin=(taskset -c 0)
echo "== SigmaHQ's rules + 1"
"${pin[@]}" ./whorl rules bench "$dir" tests/fixtures/sigma --events "$stream"
echo "== SigmaHQ's rules twice + 1"
"${pin[@]}" ./whorl rules bench "$dir" "$dir" tests/fixtures/sigma --events "$stream"
echo "== the relay's per-exec path, SigmaHQ's rules + 1 (the events as exec messages, parents too)"
"${pin[@]}" "${WHORL_EXEC_BENCH:-../build/exec-bench}" --events "$stream" "$dir" tests/fixtures/sigma
