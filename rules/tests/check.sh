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
echo "1..$n"
[ "$fail" -eq 0 ]
