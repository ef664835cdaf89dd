# SPDX-License-Identifier: GPL-2.0
# lib.sh - what the guest-side scenarios share: TAP output, the module, the relay, containers started
# by Debian's runc/crun on a containerd-style overlay snapshot under Docker and Kubernetes cgroup
# paths, and exact-field assertions on the relay's JSON findings. Sourced by /e2e/t-*.sh (busybox sh).
#
# What a real OCI runtime needs in this initramfs guest (measured on Debian 6.1 and 6.12):
# - `run --no-pivot`: the root is the initramfs, pivot_root(2) refuses it;
# - cgroup2 mounted at /sys/fs/cgroup; the runtime creates the cgroupsPath directories itself and
#   enables the parents' controllers (no systemd, so the cgroupfs driver with a systemd-shaped path);
# - the upper layer on tmpfs (xattrs for overlayfs' copy-up metadata); the lower layers on rootfs;
# - no seccomp profile (runc's spec has none); the devices cgroup is a BPF program on cgroup2.

E2E_DIR=${E2E_DIR:-/e2e}
E2E_DATA=${E2E_DATA:-/e2e-data}
E2E_TMP=${E2E_TMP:-/tmp/e2e}
WHORL=${WHORL:-/usr/bin/whorl}
WHORL_KO=${WHORL_KO:-/whorl/whorl.ko}
SNAPSHOTS=/var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots
LOWERDIR=$SNAPSHOTS/3/fs:$SNAPSHOTS/2/fs:$SNAPSHOTS/1/fs
INTEL=$E2E_DATA/intel/e2e.intel
# Under TCG a finding takes a while (hashing in the kernel's worker, a slow CPU), and a loaded host
# slows it further: a wait for a finding gives up only after FINDING_TIMEOUT seconds in which
# neither the module nor the relay moved (see progress), or after FINDING_HANG_LIMIT in all.
FINDING_TIMEOUT=${FINDING_TIMEOUT:-30}
FINDING_HANG_LIMIT=${FINDING_HANG_LIMIT:-900}
SETTLE=${SETTLE:-1}

E2E_NAME=$(basename "$0" .sh)
E2E_STARTED=$(cut -d. -f1 /proc/uptime)
# now: seconds since boot, two decimals; elapsed SINCE: seconds since an earlier $(now), one decimal
now() { cut -d' ' -f1 /proc/uptime; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
E2E_FAILED=0
E2E_CONTAINERS=""
RELAY_PID=""
SCC_RELAY_PID=""
FINDINGS=$E2E_TMP/$E2E_NAME.jsonl
SCC_FINDINGS=$E2E_TMP/$E2E_NAME.scc.jsonl
mkdir -p "$E2E_TMP"

# --- TAP ------------------------------------------------------------------------------------------

ok() { echo "ok $1"; }
not_ok() {
	echo "not ok $1 - $2"
	E2E_FAILED=$((E2E_FAILED + 1))
}
diag() { echo "# $*"; }

# check NAME COMMAND...: ok if COMMAND succeeds.
check() {
	local name=$1
	shift
	if "$@" >"$E2E_TMP/check.out" 2>&1; then
		ok "$name"
	else
		not_ok "$name" "'$*' failed: $(tail -n 3 "$E2E_TMP/check.out" | tr '\n' ' ')"
	fi
}

# Called once at the end of every scenario: leaves the guest as it was, passes every finding seen
# to the data channel as "# whorl-finding <json>" lines (and the SCC twin's as "# whorl-scc-finding
# <json>"), exits non-zero on failure.
finish() {
	cleanup
	# Every finding seen, for the host to validate against docs/finding.schema.json and SCC's.
	[ -s "$FINDINGS" ] && sed 's/^/# whorl-finding /' "$FINDINGS"
	[ -s "$SCC_FINDINGS" ] && sed 's/^/# whorl-scc-finding /' "$SCC_FINDINGS"
	diag "$E2E_NAME: $(($(cut -d. -f1 /proc/uptime) - E2E_STARTED)) s"
	[ "$E2E_FAILED" -eq 0 ]
	exit $?
}

cleanup() {
	local id
	for id in $E2E_CONTAINERS; do
		container_remove "$id"
	done
	E2E_CONTAINERS=""
	relay_stop
	whorl_unload
}
trap 'cleanup' INT TERM

# --- the module and the relay ---------------------------------------------------------------------

whorl_load() {
	grep -q '^whorl ' /proc/modules && rmmod whorl
	insmod "$WHORL_KO" "$@"
}

whorl_unload() {
	if grep -q '^whorl ' /proc/modules; then
		rmmod whorl || diag "rmmod whorl failed"
	fi
}

# relay_start [RELAY ARGS...]: the relay in the background, JSON findings in $FINDINGS; waits for
# its "ready" line (it has loaded intel and subscribed). Unless RELAY_SCC=0 (suites that count
# subscribers or deliveries), a twin relay with the same arguments appends the same findings in
# SCC's shape to $SCC_FINDINGS, for the host to check against the SCC schema and protos.
relay_start() {
	: >"$FINDINGS"
	if [ "${RELAY_SCC:-1}" = 1 ]; then
		"$WHORL" relay --format scc --no-layout "$@" >>"$SCC_FINDINGS" \
			2>"$E2E_TMP/relay-scc.err" &
		SCC_RELAY_PID=$!
		relay_ready "$SCC_RELAY_PID" "$E2E_TMP/relay-scc.err" || return 1
	fi
	"$WHORL" relay --format json "$@" >>"$FINDINGS" 2>"$E2E_TMP/relay.err" &
	RELAY_PID=$!
	relay_ready "$RELAY_PID" "$E2E_TMP/relay.err"
}

# relay_ready PID ERRFILE: waits for that relay's "ready" line
relay_ready() {
	local i
	for i in $(seq 1 300); do
		grep -q ready "$2" && return 0
		kill -0 "$1" 2>/dev/null || break
		sleep 0.1
	done
	diag "relay not ready: $(tail -n 5 "$2" | tr '\n' ' ')"
	diag "relays running: $(ps 2>/dev/null | grep "[w]horl relay" | tr '\n' ';')"
	return 1
}

relay_stop() {
	local pid sig=${1:-TERM}
	for pid in $RELAY_PID $SCC_RELAY_PID; do
		kill -"$sig" "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	RELAY_PID=""
	SCC_RELAY_PID=""
}

# --- containers -----------------------------------------------------------------------------------

hex64() {
	echo "$(cat /proc/sys/kernel/random/uuid)$(cat /proc/sys/kernel/random/uuid)" | tr -d '-'
}

# json_args ARG...: the arguments as the elements of a JSON array (no control characters expected).
json_args() {
	local sep="" a
	for a in "$@"; do
		a=$(printf '%s' "$a" | sed 's/\\/\\\\/g; s/"/\\"/g')
		printf '%s"%s"' "$sep" "$a"
		sep=", "
	done
}

# container_start STYLE RUNTIME ARG...: a container of the three-layer image running ARG..., as
#   STYLE=docker  Docker with the systemd cgroup driver: /system.slice/docker-<id>.scope
#   STYLE=k8s     Kubernetes with containerd (burstable pod):
#                 /kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod<uid>.slice/cri-containerd-<id>.scope
# RUNTIME is runc or crun. SHM_EXEC=exec mounts /dev/shm executable (a pod's memory emptyDir there),
# the default is Docker's and containerd's noexec. CONFIG_TEMPLATE=$E2E_DATA/config-hostpid.json.in
# makes it privileged in the host's pid namespace. Sets C_ID (the 64-hex container id), C_PID,
# C_CGROUP, C_UPPER, C_BUNDLE and C_RUNTIME (the runtime whorl should name: docker, containerd).
container_start() {
	local style=$1 runtime=$2 id uid bundle root cgpath snap n rtbin
	shift 2
	id=$(hex64)
	case $runtime in
	runc) rtbin=/usr/sbin/runc ;;
	crun) rtbin=/usr/bin/crun ;;
	*) diag "unknown runtime $runtime"; return 1 ;;
	esac
	case $style in
	docker)
		cgpath=/system.slice/docker-$id.scope
		bundle=/run/containerd/io.containerd.runtime.v2.task/moby/$id
		root=/run/docker/runtime-$runtime/moby
		;;
	k8s)
		uid=$(sed "s/-/_/g" /proc/sys/kernel/random/uuid)
		cgpath=/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod$uid.slice/cri-containerd-$id.scope
		bundle=/run/containerd/io.containerd.runtime.v2.task/k8s.io/$id
		root=/run/containerd/$runtime/k8s.io
		;;
	*) diag "unknown style $style"; return 1 ;;
	esac
	# The container's writable snapshot, numbered after the image's layers as containerd does.
	n=4
	while [ -e "$SNAPSHOTS/$n" ]; do n=$((n + 1)); done
	snap=$SNAPSHOTS/$n
	mkdir -p "$snap" "$bundle/rootfs" "$root"
	mount -t tmpfs -o mode=0755 "snapshot-$n" "$snap" || return 1
	mkdir -p "$snap/fs" "$snap/work"
	mount -t overlay overlay -o "lowerdir=$LOWERDIR,upperdir=$snap/fs,workdir=$snap/work" \
		"$bundle/rootfs" || return 1
	sed -e "s|@ARGS@|$(json_args "$@")|" -e "s|@HOSTNAME@|$(echo "$id" | cut -c1-12)|" \
		-e "s|@CGROUPS_PATH@|$cgpath|" -e "s|@SHM_EXEC@|${SHM_EXEC:-noexec}|" \
		"${CONFIG_TEMPLATE:-$E2E_DATA/config.json.in}" >"$bundle/config.json"
	cat >"$E2E_TMP/container-$id.env" <<-EOF
		C_RTBIN=$rtbin
		C_ROOT=$root
		C_BUNDLE=$bundle
		C_SNAP=$snap
	EOF
	E2E_CONTAINERS="$E2E_CONTAINERS $id"
	if ! "$rtbin" --root "$root" run --no-pivot -d --bundle "$bundle" "$id" \
		</dev/null >"$bundle/output.log" 2>&1; then
		diag "$runtime run failed: $(tail -n 5 "$bundle/output.log" | tr '\n' ' ')"
		return 1
	fi
	C_ID=$id
	C_CGROUP=$cgpath
	C_BUNDLE=$bundle
	case $style in
	docker) C_RUNTIME=docker ;;
	k8s) C_RUNTIME=containerd ;;
	esac
	C_UPPER=$snap/fs
	C_PID=$("$rtbin" --root "$root" state "$id" | sed -n 's/.*"pid": *\([0-9]*\).*/\1/p' | head -n 1)
	[ -n "$C_PID" ]
}

# ctr ID ARG...: run ARG... in the container (as `docker exec`/`kubectl exec`), stdio passed through.
ctr() {
	local id=$1 C_RTBIN C_ROOT C_BUNDLE C_SNAP
	shift
	. "$E2E_TMP/container-$id.env"
	"$C_RTBIN" --root "$C_ROOT" exec "$id" "$@"
}

# ctr_copy_in ID SRC DEST [MODE]: stream a host file into the container, as `kubectl cp` does (through
# exec and the container's own programs); the write goes through overlayfs (copy-up if DEST exists).
ctr_copy_in() {
	ctr "$1" /bin/sh -c "cat > '$3' && chmod ${4:-0755} '$3'" <"$2"
}

container_remove() {
	local id=$1 C_RTBIN C_ROOT C_BUNDLE C_SNAP
	[ -f "$E2E_TMP/container-$id.env" ] || return 0
	. "$E2E_TMP/container-$id.env"
	"$C_RTBIN" --root "$C_ROOT" kill "$id" KILL >/dev/null 2>&1
	"$C_RTBIN" --root "$C_ROOT" delete -f "$id" >/dev/null 2>&1
	umount "$C_BUNDLE/rootfs" 2>/dev/null
	umount "$C_SNAP" 2>/dev/null
	rm -rf "$C_BUNDLE" "$C_SNAP" "$E2E_TMP/container-$id.env"
}

# wait_ctr_cmd CGROUP TEXT: until a process in cgroup CGROUP (cgroup2 path, as C_CGROUP) runs a
# command line (its arguments joined by spaces) that begins with TEXT: a command started in the
# background is in place. Returns 1 after FINDING_HANG_LIMIT seconds (a hang detector).
wait_ctr_cmd() {
	local w=0 pid
	while [ "$w" -lt $((FINDING_HANG_LIMIT * 10)) ]; do
		for pid in $(cat "/sys/fs/cgroup$1/cgroup.procs" 2>/dev/null); do
			case "$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" in
			"$2"*) return 0 ;;
			esac
		done
		sleep 0.1
		w=$((w + 1))
	done
	diag "wait_ctr_cmd: nothing in $1 runs '$2'"
	return 1
}

# wait_ctr_mount PID DIR: until a filesystem is mounted on DIR as process PID sees its mounts (a
# container's). Returns 1 after FINDING_HANG_LIMIT seconds (a hang detector).
wait_ctr_mount() {
	local w=0
	while [ "$w" -lt $((FINDING_HANG_LIMIT * 10)) ]; do
		awk -v d="$2" '$2 == d { found = 1 } END { exit !found }' "/proc/$1/mounts" 2>/dev/null &&
			return 0
		sleep 0.1
		w=$((w + 1))
	done
	diag "wait_ctr_mount: nothing mounted on $2 for pid $1"
	return 1
}

# The cgroup a process is in, as /proc shows it on cgroup2 (from the host's view).
cgroup_of() {
	sed -n 's/^0:://p' "/proc/$1/cgroup"
}

sha256_of() {
	sha256sum "$1" | cut -d' ' -f1
}

# status_get KEY: one field of `whorl status --json`, flattened (config.mode, counters.denied).
status_get() {
	"$WHORL" status --json | awk -f "$E2E_DIR/json.awk" |
		awk -F '\t' -v k="$1" '$2 == k { print $3; found = 1 } END { exit !found }'
}

# container_stat CGROUP FIELD: FIELD (workOverShare, hashOverBudget) of the line `whorl status`
# has for the container whose cgroup path is CGROUP (its id is the cgroup directory's inode
# number); 0 when there is none.
container_stat() {
	local cgid
	cgid=$(stat -c %i "/sys/fs/cgroup$1") || return 1
	"$WHORL" status --json | awk -f "$E2E_DIR/json.awk" |
		awk -F '\t' -v id="$cgid" -v f="$2" '
			{ v[$2] = $3 }
			$2 ~ /^containers\.[0-9]+\.cgroupId$/ && $3 == id { split($2, p, "."); n = p[2] }
			END { k = "containers." n "." f; print (n != "" && (k in v)) ? v[k] : 0 }'
}

# --- findings -------------------------------------------------------------------------------------

# mark: the number of findings so far; assertions after an action look only past it.
mark() {
	wc -l <"$FINDINGS" | tr -d ' '
}

# findings_matching FROM KEY=VALUE...: the record numbers (line numbers) past FROM whose flattened
# fields hold every KEY=VALUE exactly (keys as json.awk writes them: processes.0.binary.path);
# KEY!=VALUE excludes.
findings_matching() {
	local from=$1
	shift
	awk -f "$E2E_DIR/json.awk" "$FINDINGS" | awk -F '\t' -v from="$from" -v conds="$*" '
		BEGIN { n = split(conds, c, " "); }
		$1 > from { v[$1, $2] = $3; seen[$1] = 1 }
		END {
			for (r in seen) {
				good = 1
				for (i = 1; i <= n; i++) {
					k = substr(c[i], 1, index(c[i], "=") - 1)
					w = substr(c[i], index(c[i], "=") + 1)
					gsub(/\037/, " ", w)
					neg = sub(/!$/, "", k)
					has = ((r, k) in v) && v[r, k] == w
					if (has == neg) { good = 0; break }
				}
				if (good) print r
			}
		}' | sort -n
}

# Conditions travel as words: a space inside a value is written as \037 (unit separator) by q().
q() {
	printf '%s' "$1" | tr ' ' '\037'
}

# progress: one line that changes whenever the module or the relay moves: events held, work queued,
# files and bytes hashed, findings made and delivered, and what the relay has written.
progress() {
	"$WHORL" status --json 2>/dev/null | awk -f "$E2E_DIR/json.awk" |
		awk -F '\t' '$2 ~ /^(events\.alive|counters\.(workQueued|workDropped|filesHashed|bytesHashed|findingsEmitted|findingsDelivered|findingsDropped))$/ { printf "%s=%s ", $2, $3 }'
	wc -c <"$FINDINGS" 2>/dev/null
}

# wait_progress CMD...: runs CMD every quarter second until it succeeds; gives up (returns 1) after
# FINDING_TIMEOUT seconds in which the pipeline did not move (see progress), or FINDING_HANG_LIMIT
# seconds in all: a hang detector, never a latency bound. WAITED: the seconds it waited.
wait_progress() {
	local tick=0 idle=0 last="" now
	WAITED=0
	while :; do
		"$@" && return 0
		sleep 0.25
		tick=$((tick + 1))
		[ $((tick % 8)) -eq 0 ] || continue
		WAITED=$((tick / 4))
		now=$(progress)
		if [ "$now" != "$last" ]; then
			last=$now
			idle=0
		else
			idle=$((idle + 2))
		fi
		[ "$idle" -ge "$FINDING_TIMEOUT" ] && return 1
		[ "$WAITED" -ge "$FINDING_HANG_LIMIT" ] && return 1
	done
}

# found_past FROM KEY=VALUE...: is there a finding past FROM matching every condition? Leaves it
# flattened in $FOUND (key<TAB>value lines) and its number in FOUND_REC.
found_past() {
	local from=$1 rec
	shift
	rec=$(findings_matching "$from" "$@" | head -n 1)
	[ -n "$rec" ] || return 1
	FOUND_REC=$rec
	FOUND=$E2E_TMP/found.txt
	sed -n "${rec}p" "$FINDINGS" | awk -f "$E2E_DIR/json.awk" | cut -f2- >"$FOUND"
}

# wait_finding FROM KEY=VALUE...: found_past, waited for as long as the pipeline makes progress.
wait_finding() {
	FOUND_REC=""
	wait_progress found_past "$@"
}

# field KEY: a field of the last finding wait_finding returned.
field() {
	awk -F '\t' -v k="$1" '$1 == k { print $2; found = 1 } END { exit !found }' "$FOUND"
}

# expect_finding NAME FROM "EXPECTED FIELDS" KEY=VALUE...: one TAP line per expected field of the
# finding that matches the selecting KEY=VALUE conditions. EXPECTED FIELDS are lines "key<TAB>value".
expect_finding() {
	local name=$1 from=$2 expected=$3 key want got
	shift 3
	if ! wait_finding "$from" "$@"; then
		not_ok "$name" "no finding with $(echo "$*" | tr '\037' ' ') (waited ${WAITED}s, the last ${FINDING_TIMEOUT}s without progress); saw: $(tail -n +$((from + 1)) "$FINDINGS" | cut -c1-600 | tr '\n' ' ')"
		return 1
	fi
	ok "$name"
	printf '%s\n' "$expected" | while IFS='	' read -r key want; do
		[ -n "$key" ] || continue
		got=$(field "$key") || got="<absent>"
		if [ "$got" = "$want" ]; then
			ok "$name: $key"
		else
			not_ok "$name: $key" "expected '$want', got '$got'"
			echo 1 >"$E2E_TMP/field-failed"
		fi
	done
	if [ -f "$E2E_TMP/field-failed" ]; then
		rm -f "$E2E_TMP/field-failed"
		E2E_FAILED=$((E2E_FAILED + 1))
		diag "finding: $(sed -n "${FOUND_REC}p" "$FINDINGS")"
	fi
}

# expect_silence NAME FROM [KEY=VALUE...]: no finding past FROM (matching the conditions, if any)
# once the pipeline has settled. Call barrier first so "settled" is proven, not assumed.
expect_silence() {
	local name=$1 from=$2 recs
	shift 2
	recs=$(findings_matching "$from" "$@")
	if [ -z "$recs" ]; then
		ok "$name"
	else
		not_ok "$name" "unexpected finding(s): $(for r in $recs; do sed -n "${r}p" "$FINDINGS" | cut -c1-400; done | tr '\n' ' ')"
	fi
}

# barrier ID: run a fresh copy of the image's e2e-sentinel (a tool-name rule in the e2e intel; a new
# file each time, so deduplication never hides it) in the container and wait for its finding: what
# the container did before has been through the kernel's queue. Silence checks exclude it with
# $NOT_SENTINEL.
BARRIERS=0
NOT_SENTINEL="processes.0.name!=e2e-sentinel"
barrier() {
	local id=$1 from dir
	BARRIERS=$((BARRIERS + 1))
	dir=/tmp/.barrier-$BARRIERS
	ctr "$id" /bin/sh -c "mkdir -p $dir && cp /usr/local/bin/e2e-sentinel $dir/" || return 1
	from=$(mark)
	ctr "$id" "$dir/e2e-sentinel" barrier >/dev/null 2>&1
	if ! wait_finding "$from" "processes.0.binary.path=$dir/e2e-sentinel" "containers.0.id=$id"; then
		diag "barrier: no sentinel finding for $id"
		return 1
	fi
	sleep "$SETTLE"
}

# The runtime/style pairs each scenario runs under: both runtimes, both cgroup layouts; on the debug
# kernels (KASAN, lockdep, kmemleak: several times slower under TCG) one pair.
if [ "${WHORL_DEBUG:-0}" = 1 ]; then
	RUNS=${RUNS:-runc:docker}
else
	RUNS=${RUNS:-runc:docker crun:k8s}
fi

# The fields every finding about the current container carries (lines "key<TAB>value").
container_fields() {
	printf 'containers.0.id\t%s\ncontainers.0.runtime\t%s\nresource.cgroup\t%s\n' \
		"$C_ID" "$C_RUNTIME" "$C_CGROUP"
}

# file_fields PREFIX PATH HOSTFILE: path (inside the container), diskPath (through the container's
# rootfs mount), sha256 and size of the file, both taken from HOSTFILE's content (hashed whole).
file_fields() {
	local size
	size=$(wc -c <"$3" | tr -d ' ')
	printf '%s.path\t%s\n%s.diskPath\t%s\n%s.sha256\t%s\n' \
		"$1" "$2" "$1" "$C_BUNDLE/rootfs$2" "$1" "$(sha256_of "$3")"
	printf '%s.size\t%s\n%s.hashedSize\t%s\n%s.partiallyHashed\tfalse\n' \
		"$1" "$size" "$1" "$size" "$1"
}

# intel_fields CATEGORY LABEL SHA256: what intel said, and the indicator built from the hash.
intel_fields() {
	printf 'intel.category\t%s\nintel.label\t%s\nindicator.uris.0\thttps://www.virustotal.com/gui/file/%s\n' \
		"$1" "$2" "$3"
}

# args_fields ARG...: the exact argv of processes.0.
args_fields() {
	local i=0 a
	for a in "$@"; do
		printf 'processes.0.args.%d\t%s\n' "$i" "$a"
		i=$((i + 1))
	done
	printf 'processes.0.args.#\t%d\nprocesses.0.argumentsTruncated\tfalse\n' "$i"
}

# Low-severity kinds on/off, through the tool.
low_severity() {
	case $1 in
	on) "$WHORL" config --enable added-binary --enable added-library ;;
	off) "$WHORL" config --disable added-binary --disable added-library ;;
	esac
}

# for_each_run FUNCTION: FUNCTION RUNTIME STYLE "RUNTIME/STYLE", for every pair in $RUNS.
for_each_run() {
	local run
	for run in $RUNS; do
		"$1" "${run%%:*}" "${run##*:}" "${run%%:*}/${run##*:}"
	done
}

# start NAME RUNTIME STYLE: a long-running container; a TAP failure if it does not start.
start() {
	if container_start "$3" "$2" /bin/sleep infinity; then
		return 0
	fi
	not_ok "$1: container starts" "$2 under the $3 cgroup layout"
	return 1
}

# setup [RELAY ARGS...]: the module loaded and the relay ready with the e2e intel; bails out (TAP)
# when either fails, since nothing after could pass.
setup() {
	if ! whorl_load; then
		not_ok "module loads" "insmod $WHORL_KO failed"
		finish
	fi
	if ! relay_start --intel "$INTEL" "$@"; then
		not_ok "relay starts" "$(tail -n 3 "$E2E_TMP/relay.err" | tr '\n' ' ')"
		finish
	fi
}

LIBLZMA=/usr/lib/x86_64-linux-gnu/liblzma.so.5.4.1
