#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# t-access.sh - only CAP_NET_ADMIN in the initial user namespace, from the initial network
# namespace, reaches the whorl family: a user, root without the capability, root of a user
# namespace, another network namespace and containers are refused every command, none of what
# they sent takes effect, and the tool says why in one line. Root on the host is the control.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/rlib.sh"

PROBE=$REL_BIN/whorl-nlprobe
RUNAS=$REL_BIN/whorl-runas
CAP_NET_ADMIN=12
# A digest in no intel set: the refused actors try to commit it, the control does.
HASH=$(printf 'whorl reliability access probe' | sha256sum | cut -d' ' -f1)
# Every command of the family, in an order that lets each one work for an actor that may:
# config, then a whole staged load (begin, add, commit), then clear, then a subscription.
STEPS="status config-dedup=4242 intel-begin=1 intel-add=$HASH intel-commit intel-clear subscribe"

if ! whorl_load; then
	not_ok "module loads" "insmod $WHORL_KO failed"
	finish
fi
ok "module loads"
if "$WHORL" intel load "$INTEL" >"$E2E_TMP/intel.out" 2>&1; then
	ok "root loads the e2e intel set"
else
	not_ok "root loads the e2e intel set" "$(cat "$E2E_TMP/intel.out")"
	finish
fi
status_save "$E2E_TMP/before.json" || { not_ok "status before" "$(cat "$E2E_TMP/before.json.err")"; finish; }
hashes0=$(jfield "$E2E_TMP/before.json" intel.hashes)
rules0=$(jfield "$E2E_TMP/before.json" intel.rules)
dedup0=$(jfield "$E2E_TMP/before.json" config.dedupMs)
diag "before: intel $hashes0 hashes, $rules0 rules; dedup $dedup0 ms"

"$PROBE" resolve >"$E2E_TMP/resolve.out" 2>&1
FAMILY=$(sed -n 's/^resolve result=ok id=\([0-9]*\)$/\1/p' "$E2E_TMP/resolve.out")
if [ -n "$FAMILY" ]; then
	ok "root resolves the family (id $FAMILY)"
else
	not_ok "root resolves the family" "$(cat "$E2E_TMP/resolve.out")"
	finish
fi

# expect_steps ACTOR WANT OUTFILE: one case per command, each answered WANT (ok, EPERM, ENOENT).
expect_steps() {
	local actor=$1 want=$2 out=$3 step name got
	for step in $STEPS; do
		name=${step%%=*}
		got=$(grep -F "$step result=" "$out" | head -n 1 | sed 's/^[^ ]* result=\([^ ]*\).*/\1/')
		if [ "$got" = "$want" ]; then
			ok "$actor: $name answered $want"
		else
			not_ok "$actor: $name answered $want" \
				"got '${got:-nothing}': $(grep -F "$step " "$out" | head -n 1) $(tail -n 2 "$out.err" 2>/dev/null | tr '\n' ' ')"
		fi
	done
}

# refused ACTOR WANT COMMAND-PREFIX...: the probe run under the prefix (runas, ctr), every step
# refused with WANT. With WANT ENOENT the family must not even resolve, and the family's id
# learnt outside must not reach it either.
refused() {
	local actor=$1 want=$2 got
	shift 2
	if [ "$want" = ENOENT ]; then
		"$@" resolve >"$E2E_TMP/probe.out" 2>"$E2E_TMP/probe.out.err"
		got=$(sed -n 's/^resolve result=\([^ ]*\).*/\1/p' "$E2E_TMP/probe.out")
		if [ "$got" = ENOENT ]; then
			ok "$actor: the family does not resolve (ENOENT)"
		else
			not_ok "$actor: the family does not resolve (ENOENT)" \
				"resolve answered '${got:-nothing}' $(cat "$E2E_TMP/probe.out.err")"
		fi
		"$@" -F "$FAMILY" $STEPS >"$E2E_TMP/probe.out" 2>"$E2E_TMP/probe.out.err"
	else
		"$@" $STEPS >"$E2E_TMP/probe.out" 2>"$E2E_TMP/probe.out.err"
	fi
	expect_steps "$actor" "$want" "$E2E_TMP/probe.out"
}

# tool_says ACTOR WHAT PATTERN COMMAND...: the whorl tool, run by a refused actor, exits 1 with
# one line on stderr, "whorl: ..." matching PATTERN (an extended regex), nothing on stdout.
tool_says() {
	local actor=$1 what=$2 pattern=$3 rc lines
	shift 3
	# A bound, should the tool wrongly be let in (a relay would run on).
	timeout -s KILL 60 "$@" >"$E2E_TMP/tool.out" 2>"$E2E_TMP/tool.err" </dev/null
	rc=$?
	lines=$(wc -l <"$E2E_TMP/tool.err" | tr -d ' ')
	if [ "$rc" -eq 1 ] && [ "$lines" -eq 1 ] && [ ! -s "$E2E_TMP/tool.out" ] &&
		grep -qE "^whorl: ($pattern)" "$E2E_TMP/tool.err"; then
		ok "$actor: whorl $what says why in one line"
		diag "$actor: whorl $what: $(cat "$E2E_TMP/tool.err")"
	else
		not_ok "$actor: whorl $what says why in one line" \
			"exit $rc, $lines stderr lines: $(head -c 400 "$E2E_TMP/tool.err" | tr '\n' '|') stdout: $(head -c 200 "$E2E_TMP/tool.out")"
	fi
}
PERM_DENIED='.*permission denied.*CAP_NET_ADMIN'

# --- the refused actors ---------------------------------------------------------------------

refused "nobody (uid 65534)" EPERM "$RUNAS" -u 65534 -g 65534 "$PROBE"
refused "root without CAP_NET_ADMIN" EPERM "$RUNAS" -d "$CAP_NET_ADMIN" "$PROBE"
# Root of a user namespace holds every capability there, CAP_NET_ADMIN included, over a
# namespace that is not the initial one: not enough, whether it maps a range as container
# runtimes do or host root itself.
refused "root of a user namespace (0 -> 100000)" EPERM "$RUNAS" -U 0:100000:65536 "$PROBE"
refused "root of a user namespace (0 -> host root)" EPERM "$RUNAS" -U 0:0:1 "$PROBE"
refused "root in its own network namespace" ENOENT "$RUNAS" -n "$PROBE"
refused "root of a user and network namespace" ENOENT "$RUNAS" -U 0:100000:65536 -n "$PROBE"

# A Docker-like container (runc, Docker's capabilities, its own network namespace), and the same
# with the host's network (`docker run --network host`).
if start "container" runc docker; then
	ctr_copy_in "$C_ID" "$PROBE" /usr/local/bin/whorl-nlprobe
	refused "container (own network namespace)" ENOENT ctr "$C_ID" /usr/local/bin/whorl-nlprobe
	container_remove "$C_ID"
fi
mkdir -p "$E2E_TMP/hostnet"
awk '{ line[NR] = $0 } /"type": "network"/ { drop[NR - 1]; drop[NR]; drop[NR + 1] }
	END { for (i = 1; i <= NR; i++) if (!(i in drop)) print line[i] }' \
	"$E2E_DATA/config.json.in" >"$E2E_TMP/hostnet/config.json.in"
saved_data=$E2E_DATA
E2E_DATA=$E2E_TMP/hostnet
if start "container with the host network" runc docker; then
	E2E_DATA=$saved_data
	ctr_copy_in "$C_ID" "$PROBE" /usr/local/bin/whorl-nlprobe
	if [ "$(readlink "/proc/$C_PID/ns/net")" = "$(readlink /proc/self/ns/net)" ]; then
		refused "container with the host network" EPERM ctr "$C_ID" /usr/local/bin/whorl-nlprobe
	else
		not_ok "container with the host network: shares the host's network namespace" \
			"$(readlink "/proc/$C_PID/ns/net") vs $(readlink /proc/self/ns/net)"
	fi
	container_remove "$C_ID"
fi
E2E_DATA=$saved_data

# What the tool tells a refused actor.
for cmd in "status" "config --dedup-ms 4242" "intel load $INTEL" "intel clear" "relay"; do
	tool_says "nobody" "$cmd" "$PERM_DENIED" "$RUNAS" -u 65534 -g 65534 "$WHORL" $cmd
done
tool_says "root without CAP_NET_ADMIN" "status" "$PERM_DENIED" "$RUNAS" -d "$CAP_NET_ADMIN" "$WHORL" status
tool_says "root of a user namespace" "status" "$PERM_DENIED" "$RUNAS" -U 0:100000:65536 "$WHORL" status
tool_says "root in its own network namespace" "status" ".*answers only in the host.s network namespace" "$RUNAS" -n "$WHORL" status

# None of it took effect.
status_save "$E2E_TMP/after.json" || not_ok "status after the refused actors" "$(cat "$E2E_TMP/after.json.err")"
for k in intel.hashes intel.rules config.dedupMs; do
	case $k in intel.hashes) want=$hashes0 ;; intel.rules) want=$rules0 ;; *) want=$dedup0 ;; esac
	got=$(jfield "$E2E_TMP/after.json" "$k")
	if [ "$got" = "$want" ]; then
		ok "refused actors changed nothing: $k still $want"
	else
		not_ok "refused actors changed nothing: $k still $want" "now '$got'"
	fi
done

# --- the control: root in the initial namespaces may do all of it -----------------------------

STEPS="status config-dedup=4242 intel-begin=1 intel-add=$HASH intel-commit subscribe"
"$PROBE" $STEPS >"$E2E_TMP/probe.out" 2>"$E2E_TMP/probe.out.err"
expect_steps "root (control)" ok "$E2E_TMP/probe.out"
status_save "$E2E_TMP/root.json"
got=$(jfield "$E2E_TMP/root.json" config.dedupMs)
[ "$got" = 4242 ] && ok "root (control): config took effect (dedup 4242)" ||
	not_ok "root (control): config took effect (dedup 4242)" "dedupMs '$got'"
got="$(jfield "$E2E_TMP/root.json" intel.hashes)/$(jfield "$E2E_TMP/root.json" intel.rules)"
[ "$got" = 1/0 ] && ok "root (control): the committed set is live (1 hash, 0 rules)" ||
	not_ok "root (control): the committed set is live (1 hash, 0 rules)" "hashes/rules '$got'"
STEPS="intel-clear"
"$PROBE" $STEPS >"$E2E_TMP/probe.out" 2>"$E2E_TMP/probe.out.err"
expect_steps "root (control)" ok "$E2E_TMP/probe.out"
status_save "$E2E_TMP/root.json"
got=$(jfield "$E2E_TMP/root.json" intel.hashes)
[ "$got" = 0 ] && ok "root (control): clear took effect (0 hashes)" ||
	not_ok "root (control): clear took effect (0 hashes)" "hashes '$got'"
finish
