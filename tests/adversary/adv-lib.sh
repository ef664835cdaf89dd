# SPDX-License-Identifier: GPL-2.0
# adv-lib.sh - what the adversary scenarios share, on top of the end-to-end library: the attack
# files tests/adversary/build.sh made (/adversary-data) and their intel loaded beside the e2e one.
# Sourced by /e2e/t-4*-adv-*.sh (busybox sh). Each scenario is an evasion an attacker who has read
# whorl's source would try, written as the attacker would, and asserts the finding or the refusal.
. /e2e/lib.sh

ADV=${ADV:-/adversary-data}
ADV_INTEL=$ADV/intel/adversary.intel
IMPLANT_SHA=$(sha256_of "$ADV/implant")
ADDED_BINARY="Execution: Added Malicious Binary Executed"
# The scenarios run in one runtime pair: they are about what whorl sees, which the runtime does
# not change (the e2e suite runs both runtimes and both cgroup layouts).
RUNS=${ADV_RUNS:-runc:docker}

# ctr_cap CAP ID ARG...: as ctr, with one more capability (a privileged `docker exec --cap-add`).
ctr_cap() {
	local cap=$1 id=$2 C_RTBIN C_ROOT C_BUNDLE C_SNAP
	shift 2
	. "$E2E_TMP/container-$id.env"
	"$C_RTBIN" --root "$C_ROOT" exec --cap "$cap" "$id" "$@"
}

# The debug kernels (KASAN, lockdep, kmemleak: several times slower under TCG) run the core of the
# suite: the scenarios that drive new kernel paths (refusal, pinned verdicts, kills, escapes, queue
# shares, hashing budgets). The others, whose kernel paths the core or the e2e suite already runs
# there, run on both distro kernels; on a debug kernel they say so as a skipped case.
ADV_DEBUG_SKIP=${ADV_DEBUG_SKIP:-"t-40-adv-exec-chain t-43-adv-forged-provenance t-44-adv-volume"}
case " $ADV_DEBUG_SKIP " in
*" $E2E_NAME "*)
	if [ "${WHORL_DEBUG:-0}" = 1 ]; then
		ok "$E2E_NAME # SKIP on the debug kernels: the distro kernels run it"
		exit 0
	fi
	;;
esac

# adv_setup [MODULE PARAMS...]: the module loaded (with those parameters) and the relay ready
# with both intel files.
adv_setup() {
	if ! whorl_load "$@"; then
		not_ok "module loads" "insmod $WHORL_KO $* failed"
		finish
	fi
	if ! relay_start --intel "$INTEL" --intel "$ADV_INTEL"; then
		not_ok "relay starts" "$(tail -n 3 "$E2E_TMP/relay.err" | tr '\n' ' ')"
		finish
	fi
}

# printed NAME FILE TEXT: ok when FILE, what a command printed, holds TEXT (any case).
printed() {
	if grep -qi "$3" "$2"; then
		ok "$1"
	else
		not_ok "$1" "printed: $(head -c 300 "$2" | tr '\n' ' ')"
	fi
}

# implant_fields PATH LAYER: the fields of a finding about the implant at PATH.
implant_fields() {
	printf 'category\t%s\nlayer\t%s\n' "$ADDED_BINARY" "$2"
	file_fields processes.0.binary "$1" "$ADV/implant"
	intel_fields malicious adversary-implant "$IMPLANT_SHA"
	container_fields
}
