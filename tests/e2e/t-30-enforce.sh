#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# t-30-enforce.sh - enforce mode: a cached known-bad fingerprint is refused at exec, mmap and
# mprotect with EPERM (action denied); a first-sight match kills the process once hashed (killed);
# names, unlisted files and cache misses are never refused; detect mode changes nothing; the mode
# is set by module parameter and at run time and shown in `whorl status`.
. /e2e/lib.sh

SHIM=$E2E_DATA/libsystemd-shim.so
SHIM_SHA=$(sha256_of "$SHIM")
MINER=$E2E_DATA/kworkerd
ESCAPE=$E2E_DATA/escape
IMAGE_DASH=$SNAPSHOTS/1/fs/usr/bin/dash
# A listed program that keeps running, so that a kill is observable: the image's dash with bytes
# appended (it still runs; its hash is new), listed here with its real hash. It blocks reading its
# stdin, a FIFO this script holds (see linger_start).
LURKER=$E2E_TMP/lurker
{ cat "$IMAGE_DASH"; printf '\nwhorl-e2e: a listed program that waits on its stdin\n'; } >"$LURKER"
chmod 0755 "$LURKER"
LURKER_SHA=$(sha256_of "$LURKER")
ENFORCE_INTEL=$E2E_TMP/enforce.intel
printf '# t-30-enforce: the lurker, listed by its real hash\n%s malicious e2e-lurker\n' \
	"$LURKER_SHA" >"$ENFORCE_INTEL"
LURK_SCRIPT='echo started; read line; echo done'
EPERM="Operation not permitted"
HOLD=7	# the file descriptor holding the FIFO's write end
# The debug kernels (one runtime pair, several times slower under TCG) run each hook's refusal,
# the kill, dedup and both mode switches once; the other kernels every case. ALL_CASES=0|1 decides.
if [ "${WHORL_DEBUG:-0}" = 1 ]; then ALL_CASES=${ALL_CASES:-0}; else ALL_CASES=${ALL_CASES:-1}; fi
all_cases() { [ "$ALL_CASES" = 1 ]; }
DEDUP_WIDE_MS=${DEDUP_WIDE_MS:-3600000}

# --- helpers --------------------------------------------------------------------------------------

# expect_mode NAME MODE: the mode as `whorl status --json` and the text `whorl config` show it.
expect_mode() {
	local json text
	json=$(status_get config.mode) || json="<absent>"
	text=$("$WHORL" config | awk '$1 == "mode" { print $2 }')
	if [ "$json" = "$2" ] && [ "$text" = "$2" ]; then
		ok "$1"
	else
		not_ok "$1" "expected mode '$2'; status --json says '$json', config says '${text:-<absent>}'"
	fi
}

# set_mode NAME MODE: switch the mode at run time, then check status shows it.
set_mode() {
	if "$WHORL" config --mode "$2" >"$E2E_TMP/config.out" 2>&1; then
		expect_mode "$1" "$2"
	else
		not_ok "$1" "whorl config --mode $2: $(tr '\n' ' ' <"$E2E_TMP/config.out")"
	fi
}

# run_ctr OUT ARG...: ARG... in the container $C_ID, output (both streams) in OUT, status in RC.
run_ctr() {
	local out=$1
	shift
	RC=0
	ctr "$C_ID" "$@" </dev/null >"$out" 2>&1 || RC=$?
}

# expect_run NAME OUT RC WANT [UNWANTED]: the last run_ctr exited RC, its output holds WANT and
# (when given) not UNWANTED.
expect_run() {
	if [ "$RC" != "$3" ]; then
		not_ok "$1" "exit status $RC, expected $3; output: $(head -c 400 "$2" | tr '\n' ' ')"
	elif ! grep -qF -- "$4" "$2"; then
		not_ok "$1" "no '$4' in the output: $(head -c 400 "$2" | tr '\n' ' ')"
	elif [ -n "${5:-}" ] && grep -qF -- "$5" "$2"; then
		not_ok "$1" "'$5' in the output: $(head -c 400 "$2" | tr '\n' ' ')"
	else
		ok "$1"
	fi
}

# linger_start OUT ARG...: ARG... in the container $C_ID in the background, its stdin a FIFO whose
# write end this shell holds: a program blocked reading it lives until linger_release closes it
# (EOF), or until something kills it. Its output goes to OUT, the runtime's exit status to OUT.rc.
linger_start() {
	local out=$1
	shift
	rm -f "$E2E_TMP/hold" "$out.rc"
	mkfifo "$E2E_TMP/hold"
	(
		rc=0
		ctr "$C_ID" "$@" <"$E2E_TMP/hold" >"$out" 2>&1 || rc=$?
		echo "$rc" >"$out.rc"
	) &
	LINGER_JOB=$!
	eval "exec $HOLD>\"\$E2E_TMP/hold\""
}

linger_release() {
	eval "exec $HOLD>&-"
}

# linger_wait OUT: waits (FINDING_TIMEOUT s) for the program started by linger_start to end; its
# exit status (as the runtime reports it: 128 + signal when killed) in LINGER_RC. If it does not
# end, releases it and says so (LINGER_RC=running).
linger_wait() {
	local i
	for i in $(seq 1 $((FINDING_TIMEOUT * 4))); do
		if [ -s "$1.rc" ]; then
			LINGER_RC=$(cat "$1.rc")
			wait "$LINGER_JOB" 2>/dev/null
			return 0
		fi
		sleep 0.25
	done
	LINGER_RC=running
	linger_release
	wait "$LINGER_JOB" 2>/dev/null
	return 1
}

# alive PID: the process exists and is not a zombie.
alive() {
	[ -n "$1" ] && [ -r "/proc/$1/stat" ] && ! awk '{ exit $3 != "Z" }' "/proc/$1/stat" 2>/dev/null
}

# expect_gone NAME PID: after a kill the process is gone, and the container holds only its init.
expect_gone() {
	local procs
	procs=$(tr '\n' ' ' <"/sys/fs/cgroup$C_CGROUP/cgroup.procs")
	if [ -z "$2" ]; then
		not_ok "$1" "no pid in the finding"
	elif [ -e "/proc/$2" ]; then
		not_ok "$1" "pid $2 still exists: $(cat "/proc/$2/stat" 2>/dev/null)"
	elif [ "$procs" != "$C_PID " ]; then
		not_ok "$1" "the container's cgroup holds '$procs', expected only its init $C_PID"
	else
		ok "$1"
	fi
}

# expect_alive NAME PID: a process that should not have been stopped still runs, after its finding.
expect_alive() {
	if alive "$2"; then
		ok "$1"
	else
		not_ok "$1" "pid '${2:-}' is not running: $(tr '\n' ' ' <"$E2E_TMP/linger.out" 2>/dev/null)"
	fi
}

# binary_fields CATEGORY LAYER ACTION PATH HOSTFILE INTELCAT LABEL: a finding about an exec.
binary_fields() {
	printf 'category\t%s\nlayer\t%s\naction\t%s\neventType\texec\n' "$1" "$2" "$3"
	file_fields processes.0.binary "$4" "$5"
	intel_fields "$6" "$7" "$(sha256_of "$5")"
	container_fields
}

# library_fields ACTION EVENT LIBPATH BINPATH: a finding about the preload library's mapping.
library_fields() {
	printf 'category\tExecution: Added Malicious Library Loaded\nlayer\tadded\naction\t%s\n' "$1"
	printf 'eventType\t%s\nprocesses.0.binary.path\t%s\n' "$2" "$4"
	file_fields processes.0.libraries.0 "$3" "$SHIM"
	intel_fields malicious evil-preload "$SHIM_SHA"
	container_fields
}

# expect_none NAME FROM EVENT KEY=VALUE: the finding KEY=VALUE selects came from the EVENT hook
# with action none.
expect_none() {
	expect_finding "$1" "$2" "$(printf 'action\tnone\neventType\t%s\n' "$3"; container_fields)" \
		"$4" "containers.0.id=$C_ID"
}

# counters_save FILE: the status, flattened; expect_counter_delta NAME FILE KEY N: counters.KEY
# rose by exactly N since FILE was saved.
counters_save() {
	"$WHORL" status --json | awk -f "$E2E_DIR/json.awk" >"$1"
}
counter_of() {
	awk -F '\t' -v k="counters.$2" '$2 == k { print $3 }' "$1"
}
expect_counter_delta() {
	local before after
	before=$(counter_of "$2" "$3")
	counters_save "$E2E_TMP/counters.now"
	after=$(counter_of "$E2E_TMP/counters.now" "$3")
	if [ -n "$before" ] && [ -n "$after" ] && [ $((after - before)) -eq "$4" ]; then
		ok "$1"
	else
		not_ok "$1" "counters.$3 went from '$before' to '$after', expected +$4"
	fi
}

# --- loaded with mode=1: enforce from the start, first sight ---------------------------------------

# A first-sight match: the exec is not refused (the hash is not known yet), the process is killed
# as soon as the worker has hashed it. Right after, the same file is cached: refused.
first_sight_binary() {
	local out=$E2E_TMP/linger.out pid
	ctr_copy_in "$C_ID" "$LURKER" /tmp/kdevtmpfsi
	from=$(mark)
	linger_start "$out" /tmp/kdevtmpfsi -c "$LURK_SCRIPT"
	expect_finding "$3: enforce: first_sight_listed_binary_is_killed" "$from" \
		"$(binary_fields "Execution: Added Malicious Binary Executed" added killed \
			/tmp/kdevtmpfsi "$LURKER" malicious e2e-lurker
		args_fields /tmp/kdevtmpfsi -c "$LURK_SCRIPT")" \
		"processes.0.binary.path=/tmp/kdevtmpfsi" "containers.0.id=$C_ID"
	pid=$(field processes.0.pid) || pid=""
	linger_wait "$out"
	linger_release
	# Killed, not refused: a refused exec fails inside the runtime, SIGKILL is 128 + 9.
	if [ "$LINGER_RC" = 137 ] && ! grep -q '^done' "$out"; then
		ok "$3: enforce: first_sight_exec_is_not_refused_but_killed_by_sigkill"
	else
		not_ok "$3: enforce: first_sight_exec_is_not_refused_but_killed_by_sigkill" \
			"runtime exit status $LINGER_RC; output: $(tr '\n' ' ' <"$out")"
	fi
	grep -q '^started' "$out" || diag "$3: the kill came before the program's first line (no 'started')"
	expect_gone "$3: enforce: killed_process_is_gone" "$pid"

	from=$(mark)
	run_ctr "$E2E_TMP/out" /bin/sh -c "/tmp/kdevtmpfsi -c 'echo started'"
	expect_run "$3: enforce: cached_listed_binary_exec_fails_with_eperm" "$E2E_TMP/out" 126 \
		"$EPERM" started
	expect_finding "$3: enforce: denial_right_after_kill_is_a_separate_finding" "$from" \
		"$(binary_fields "Execution: Added Malicious Binary Executed" added denied \
			/tmp/kdevtmpfsi "$LURKER" malicious e2e-lurker)" \
		"processes.0.binary.path=/tmp/kdevtmpfsi" "action=denied" "containers.0.id=$C_ID"
}

# A malicious preload library, first seen mapped by a program that keeps running: the program is
# killed once the library's hash is known. Cached, the next preload is refused: ld.so skips it
# and the program runs without the library's code.
first_sight_preload() {
	local out=$E2E_TMP/linger.out pid
	ctr_copy_in "$C_ID" "$SHIM" /tmp/libsystemd-shim.so 0644
	from=$(mark)
	linger_start "$out" /usr/bin/env LD_PRELOAD=/tmp/libsystemd-shim.so /bin/sh -c "$LURK_SCRIPT"
	expect_finding "$3: enforce: first_sight_listed_preload_library_kills_the_process" "$from" \
		"$(library_fields killed mmap /tmp/libsystemd-shim.so /usr/bin/dash
		args_fields /bin/sh -c "$LURK_SCRIPT")" \
		"processes.0.libraries.0.path=/tmp/libsystemd-shim.so" "containers.0.id=$C_ID"
	pid=$(field processes.0.pid) || pid=""
	linger_wait "$out"
	linger_release
	if [ "$LINGER_RC" = 137 ] && ! grep -q '^done' "$out"; then
		ok "$3: enforce: first_sight_mapping_is_not_refused_but_killed_by_sigkill"
	else
		not_ok "$3: enforce: first_sight_mapping_is_not_refused_but_killed_by_sigkill" \
			"runtime exit status $LINGER_RC; output: $(tr '\n' ' ' <"$out")"
	fi
	expect_gone "$3: enforce: process_killed_for_its_library_is_gone" "$pid"

	from=$(mark)
	run_ctr "$E2E_TMP/out" /usr/bin/env LD_PRELOAD=/tmp/libsystemd-shim.so /bin/sh -c 'echo ran'
	expect_run "$3: enforce: cached_preload_library_is_refused_and_its_code_never_runs" \
		"$E2E_TMP/out" 0 "cannot be preloaded (failed to map segment" "constructor ran"
	if grep -qx ran "$E2E_TMP/out"; then
		ok "$3: enforce: program_runs_without_its_refused_preload"
	else
		not_ok "$3: enforce: program_runs_without_its_refused_preload" \
			"output: $(tr '\n' ' ' <"$E2E_TMP/out")"
	fi
	expect_finding "$3: enforce: preload_denial_after_kill_is_a_separate_finding" "$from" \
		"$(library_fields denied mmap /tmp/libsystemd-shim.so /usr/bin/dash
		args_fields /bin/sh -c 'echo ran')" \
		"processes.0.libraries.0.path=/tmp/libsystemd-shim.so" "action=denied" \
		"containers.0.id=$C_ID"
}

# The first-sight cases in one container: each leaves only the container's init behind.
first_sight() {
	start "$3" "$1" "$2" || return
	first_sight_binary "$@"
	all_cases && first_sight_preload "$@"
	container_remove "$C_ID"
}

# --- loaded with defaults: detect, switched to enforce and back at run time ----------------------

# Files for the cases below, each its own file (own inode: own cache entry, own dedup key). The
# shim's copies and the renamed tools are made inside the container, as an attacker renames tools;
# the image's dash under a tool's name keeps the image's hash, in no intel set.
detect_files() {
	ctr_copy_in "$C_ID" "$SHIM" /tmp/libshim-mmap.so 0644
	if all_cases; then
		ctr_copy_in "$C_ID" "$LURKER" /tmp/kdevtmpfsi
		ctr_copy_in "$C_ID" "$MINER" /tmp/kworkerd
		ctr_copy_in "$C_ID" "$ESCAPE" /tmp/.x
		ctr_copy_in "$C_ID" "$E2E_DATA/hello" /tmp/hello
		ctr "$C_ID" /bin/sh -c 'cp /tmp/libshim-mmap.so /tmp/libshim-mprotect.so &&
			cp /tmp/libshim-mmap.so /tmp/libshim-dlopen.so && cp /usr/bin/dash /tmp/peirates &&
			cp /usr/bin/dash /usr/local/bin/cdk && cp /tmp/hello /tmp/amicontained'
	else
		ctr "$C_ID" /bin/cp /tmp/libshim-mmap.so /tmp/libshim-mprotect.so
	fi || not_ok "$3: files copied inside the container" "cp failed"
}

# Detect mode: every listed file runs to completion (action none), and its finding caches its
# hash for the enforce cases. The lurker is reported while it runs, and is left to finish.
detect_runs() {
	local out=$E2E_TMP/linger.out pid
	if all_cases; then
		from=$(mark)
		linger_start "$out" /tmp/kdevtmpfsi -c "$LURK_SCRIPT"
		expect_finding "$3: detect: listed_binary_reported_with_action_none" "$from" \
			"$(binary_fields "Execution: Added Malicious Binary Executed" added none \
				/tmp/kdevtmpfsi "$LURKER" malicious e2e-lurker
			args_fields /tmp/kdevtmpfsi -c "$LURK_SCRIPT")" \
			"processes.0.binary.path=/tmp/kdevtmpfsi" "containers.0.id=$C_ID"
		pid=$(field processes.0.pid) || pid=""
		sleep "$SETTLE"
		expect_alive "$3: detect: listed_binary_still_runs_after_its_finding" "$pid"
		linger_release
		linger_wait "$out"
		if [ "$LINGER_RC" = 0 ] && grep -q '^started' "$out" && grep -q '^done' "$out"; then
			ok "$3: detect: listed_binary_runs_to_completion"
		else
			not_ok "$3: detect: listed_binary_runs_to_completion" \
				"runtime exit status $LINGER_RC; output: $(tr '\n' ' ' <"$out")"
		fi
	fi

	# The library through the mmap and the mprotect hooks; the other binaries and dlopen.
	from=$(mark)
	run_ctr "$E2E_TMP/out" /usr/local/bin/probe mmap-exec /tmp/libshim-mmap.so
	expect_run "$3: detect: listed_library_maps_executable" "$E2E_TMP/out" 0 "probe: mapped"
	run_ctr "$E2E_TMP/out" /usr/local/bin/probe mprotect-exec /tmp/libshim-mprotect.so
	expect_run "$3: detect: listed_library_mprotect_exec_succeeds" "$E2E_TMP/out" 0 \
		"probe: mapped"
	if all_cases; then
		run_ctr "$E2E_TMP/out" /tmp/kworkerd
		expect_run "$3: detect: listed_miner_runs" "$E2E_TMP/out" 0 "kworkerd: would connect"
		run_ctr "$E2E_TMP/out" /tmp/.x
		expect_run "$3: detect: listed_escape_tool_runs" "$E2E_TMP/out" 0 \
			"escape: /var/run/docker.sock"
		run_ctr "$E2E_TMP/out" /usr/local/bin/probe dlopen /tmp/libshim-dlopen.so
		expect_run "$3: detect: listed_library_loads_and_its_constructor_runs" "$E2E_TMP/out" 0 \
			"constructor ran"
	fi
	expect_none "$3: detect: listed_library_mmap_reported_with_action_none" "$from" mmap \
		processes.0.libraries.0.path=/tmp/libshim-mmap.so
	expect_none "$3: detect: listed_library_mprotect_reported_with_action_none" "$from" mprotect \
		processes.0.libraries.0.path=/tmp/libshim-mprotect.so
	all_cases || return 0
	expect_none "$3: detect: listed_miner_reported_with_action_none" "$from" exec \
		processes.0.binary.path=/tmp/kworkerd
	expect_none "$3: detect: listed_escape_tool_reported_with_action_none" "$from" exec \
		processes.0.binary.path=/tmp/.x
	expect_none "$3: detect: listed_library_dlopen_reported_with_action_none" "$from" mmap \
		processes.0.libraries.0.path=/tmp/libshim-dlopen.so
}

# set_dedup MS: the dedup window (setting it also forgets what was reported).
set_dedup() {
	"$WHORL" config --dedup-ms "$1" >"$E2E_TMP/config.out" 2>&1 ||
		diag "whorl config --dedup-ms $1: $(tr '\n' ' ' <"$E2E_TMP/config.out")"
}

# Enforce mode, switched at run time: each cached listed file is refused, through each hook,
# before its code runs.
enforce_denials() {
	local first r window
	# The same denial twice within dedup_ms is reported once. The window is widened for this
	# case so that a slow guest cannot stretch the two denials apart: time is not under test.
	window=$(status_get config.dedupMs) || window=60000
	set_dedup "$DEDUP_WIDE_MS"
	from=$(mark)
	run_ctr "$E2E_TMP/out" /usr/local/bin/probe mmap-exec /tmp/libshim-mmap.so
	expect_run "$3: enforce: cached_listed_library_mmap_fails_with_eperm" "$E2E_TMP/out" 1 \
		"probe: mmap /tmp/libshim-mmap.so: $EPERM"
	expect_finding "$3: enforce: cached_listed_library_mmap_is_denied" "$from" \
		"$(library_fields denied mmap /tmp/libshim-mmap.so /usr/local/bin/probe
		args_fields /usr/local/bin/probe mmap-exec /tmp/libshim-mmap.so)" \
		"processes.0.libraries.0.path=/tmp/libshim-mmap.so" "action=denied" \
		"containers.0.id=$C_ID"
	first=$(field eventTime)
	# Refused again and counted, not reported again. And (all cases) an unlisted added binary,
	# on first sight and cached, runs and is not reported (low-severity kinds are off). One
	# barrier for both.
	counters_save "$E2E_TMP/counters.before"
	from=$(mark)
	run_ctr "$E2E_TMP/out" /usr/local/bin/probe mmap-exec /tmp/libshim-mmap.so
	expect_run "$3: enforce: repeated_denial_is_still_refused" "$E2E_TMP/out" 1 \
		"probe: mmap /tmp/libshim-mmap.so: $EPERM"
	if all_cases; then
		run_ctr "$E2E_TMP/out" /tmp/hello one two
		expect_run "$3: enforce: unlisted_binary_runs_on_first_sight" "$E2E_TMP/out" 0 \
			"hello: hello from a benign tool (2 args)"
		run_ctr "$E2E_TMP/out" /tmp/hello one two
		expect_run "$3: enforce: unlisted_binary_runs_when_cached" "$E2E_TMP/out" 0 \
			"hello: hello from a benign tool (2 args)"
	fi
	barrier "$C_ID" || not_ok "$3: barrier" "sentinel not seen"
	for r in $(findings_matching "$from" "processes.0.libraries.0.path=/tmp/libshim-mmap.so"); do
		diag "$3: the first denial at $first, dedup window $DEDUP_WIDE_MS ms; again: $(sed -n "${r}p" "$FINDINGS")"
	done
	expect_silence "$3: enforce: repeated_denial_within_dedup_window_is_not_reported_again" \
		"$from" "processes.0.libraries.0.path=/tmp/libshim-mmap.so"
	expect_silence "$3: enforce: nothing_else_reported" "$from" "$NOT_SENTINEL"
	expect_counter_delta "$3: enforce: repeated_denial_counted_as_denied" \
		"$E2E_TMP/counters.before" denied 1
	expect_counter_delta "$3: enforce: repeated_denial_counted_as_suppressed" \
		"$E2E_TMP/counters.before" findingsSuppressed 1
	set_dedup "$window"

	from=$(mark)
	run_ctr "$E2E_TMP/out" /usr/local/bin/probe mprotect-exec /tmp/libshim-mprotect.so
	expect_run "$3: enforce: mprotect_exec_of_cached_listed_library_fails_with_eperm" \
		"$E2E_TMP/out" 1 "probe: mprotect /tmp/libshim-mprotect.so: $EPERM"
	expect_finding "$3: enforce: mprotect_exec_of_cached_listed_library_is_denied" "$from" \
		"$(library_fields denied mprotect /tmp/libshim-mprotect.so /usr/local/bin/probe
		args_fields /usr/local/bin/probe mprotect-exec /tmp/libshim-mprotect.so)" \
		"processes.0.libraries.0.path=/tmp/libshim-mprotect.so" "action=denied" \
		"containers.0.id=$C_ID"
	all_cases || return 0

	from=$(mark)
	run_ctr "$E2E_TMP/out" /bin/sh -c "/tmp/kdevtmpfsi -c 'echo started'"
	expect_run "$3: enforce: cached_listed_binary_exec_fails_with_eperm" "$E2E_TMP/out" 126 \
		"$EPERM" started
	expect_finding "$3: enforce: cached_listed_binary_exec_is_denied" "$from" \
		"$(binary_fields "Execution: Added Malicious Binary Executed" added denied \
			/tmp/kdevtmpfsi "$LURKER" malicious e2e-lurker)" \
		"processes.0.binary.path=/tmp/kdevtmpfsi" "action=denied" "containers.0.id=$C_ID"

	from=$(mark)
	run_ctr "$E2E_TMP/out" /usr/local/bin/probe dlopen /tmp/libshim-dlopen.so
	# ld.so's message names the failed mapping, not the errno.
	expect_run "$3: enforce: cached_listed_library_dlopen_fails_before_its_code_runs" \
		"$E2E_TMP/out" 1 "failed to map segment from shared object" "constructor ran"
	expect_finding "$3: enforce: cached_listed_library_dlopen_is_denied" "$from" \
		"$(library_fields denied mmap /tmp/libshim-dlopen.so /usr/local/bin/probe
		args_fields /usr/local/bin/probe dlopen /tmp/libshim-dlopen.so)" \
		"processes.0.libraries.0.path=/tmp/libshim-dlopen.so" "action=denied" \
		"containers.0.id=$C_ID"

	# Both refusable intel categories: container-escape and malicious.
	from=$(mark)
	run_ctr "$E2E_TMP/out" /bin/sh -c /tmp/.x
	expect_run "$3: enforce: cached_escape_tool_exec_fails_with_eperm" "$E2E_TMP/out" 126 \
		"$EPERM" "escape: /"
	expect_finding "$3: enforce: cached_escape_tool_exec_is_denied" "$from" \
		"$(binary_fields "Execution: Container Escape" added denied /tmp/.x "$ESCAPE" \
			container-escape escape-tool)" \
		"processes.0.binary.path=/tmp/.x" "action=denied" "containers.0.id=$C_ID"
	from=$(mark)
	run_ctr "$E2E_TMP/out" /bin/sh -c /tmp/kworkerd
	expect_run "$3: enforce: cached_miner_exec_fails_with_eperm" "$E2E_TMP/out" 126 \
		"$EPERM" "would connect"
	expect_finding "$3: enforce: cached_miner_exec_is_denied" "$from" \
		"$(binary_fields "Execution: Added Malicious Binary Executed" added denied \
			/tmp/kworkerd "$MINER" malicious xmrig-miner)" \
		"processes.0.binary.path=/tmp/kworkerd" "action=denied" "containers.0.id=$C_ID"

	# Name rules report, never stop: a Kubernetes attack tool and an escape tool known only by
	# name keep running after their findings; a recon tool runs to completion.
	name_rule "$3" /tmp/peirates "Execution: Kubernetes Attack Tool Execution" k8s-attack Peirates \
		k8s_attack
	name_rule "$3" /usr/local/bin/cdk "Execution: Container Escape" container-escape CDK \
		escape
	from=$(mark)
	run_ctr "$E2E_TMP/out" /tmp/amicontained
	expect_run "$3: enforce: recon_name_rule_tool_runs" "$E2E_TMP/out" 0 "amicontained: hello"
	expect_finding "$3: enforce: recon_name_rule_tool_reported_with_action_none" "$from" \
		"$(printf 'category\tExecution: Local Reconnaissance Tool Execution\naction\tnone\n'
		printf 'intel.category\trecon\nintel.label\tamicontained\n'
		file_fields processes.0.binary /tmp/amicontained "$E2E_DATA/hello"
		container_fields)" \
		"processes.0.binary.path=/tmp/amicontained" "containers.0.id=$C_ID"
}

detect_then_enforce() {
	start "$3" "$1" "$2" || return
	detect_files "$@"
	detect_runs "$@"
	set_mode "$3: enforce: mode_switch_at_run_time_shown_in_status" enforce
	enforce_denials "$@"
	# Back to detect at run time: the cached listed files run again.
	set_mode "$3: detect: mode_switch_back_at_run_time_shown_in_status" detect
	run_ctr "$E2E_TMP/out" /usr/local/bin/probe mmap-exec /tmp/libshim-mmap.so
	expect_run "$3: detect: cached_listed_library_maps_again_after_switch_back" "$E2E_TMP/out" 0 \
		"probe: mapped"
	if all_cases; then
		run_ctr "$E2E_TMP/out" /bin/sh -c "/tmp/kdevtmpfsi -c 'echo ran'"
		expect_run "$3: detect: cached_listed_binary_runs_again_after_switch_back" \
			"$E2E_TMP/out" 0 ran
	fi
	container_remove "$C_ID"
}

# name_rule RUN PATH CATEGORY INTELCAT LABEL CASE: PATH (the image's own dash under a tool's name:
# an unlisted hash) keeps running in enforce mode after its finding, then ends normally.
name_rule() {
	local out=$E2E_TMP/linger.out pid
	from=$(mark)
	linger_start "$out" "$2" -c "$LURK_SCRIPT"
	expect_finding "$1: enforce: $6_name_rule_tool_reported_with_action_none" "$from" \
		"$(printf 'category\t%s\nlayer\tadded\naction\tnone\n' "$3"
		printf 'intel.category\t%s\nintel.label\t%s\n' "$4" "$5"
		file_fields processes.0.binary "$2" "$IMAGE_DASH"
		args_fields "$2" -c "$LURK_SCRIPT"
		container_fields)" \
		"processes.0.binary.path=$2" "containers.0.id=$C_ID"
	pid=$(field processes.0.pid) || pid=""
	sleep "$SETTLE"
	expect_alive "$1: enforce: $6_name_rule_tool_not_stopped" "$pid"
	linger_release
	linger_wait "$out"
	if [ "$LINGER_RC" = 0 ] && grep -q '^done' "$out"; then
		ok "$1: enforce: $6_name_rule_tool_runs_to_completion"
	else
		not_ok "$1: enforce: $6_name_rule_tool_runs_to_completion" \
			"runtime exit status $LINGER_RC; output: $(tr '\n' ' ' <"$out")"
	fi
}

# --- the scenario ---------------------------------------------------------------------------------

# end: finish, with the findings of both loads (the relay restarts with the module) kept for the
# host's schema check.
FIRST=$E2E_TMP/$E2E_NAME.first.jsonl
rm -f "$FIRST"
end() {
	if [ -f "$FIRST" ]; then
		cat "$FIRST" "$FINDINGS" >"$E2E_TMP/all.jsonl"
		mv "$E2E_TMP/all.jsonl" "$FINDINGS"
	fi
	finish
}

# The parameter: out of range refused; mode=1 is enforce from the start.
grep -q '^whorl ' /proc/modules && rmmod whorl
if insmod "$WHORL_KO" mode=2 2>"$E2E_TMP/insmod.err"; then
	not_ok "enforce: mode_param_out_of_range_is_refused" "insmod mode=2 succeeded"
	rmmod whorl
else
	ok "enforce: mode_param_out_of_range_is_refused"
fi
if ! whorl_load mode=1; then
	not_ok "module loads" "insmod $WHORL_KO mode=1 failed"
	end
fi
expect_mode "enforce: mode_param_shown_in_status" enforce
if "$WHORL" config --mode lenient >"$E2E_TMP/config.out" 2>&1; then
	not_ok "enforce: unknown_mode_name_is_refused" "whorl config --mode lenient succeeded"
else
	expect_mode "enforce: unknown_mode_name_is_refused" enforce
fi
if ! relay_start --intel "$INTEL" --intel "$ENFORCE_INTEL"; then
	not_ok "relay starts" "$(tail -n 3 "$E2E_TMP/relay.err" | tr '\n' ' ')"
	end
fi
for_each_run first_sight

# Reloaded with defaults (an empty cache): detect until switched.
relay_stop
cp "$FINDINGS" "$FIRST"
if ! whorl_load; then
	not_ok "module loads" "insmod $WHORL_KO failed"
	end
fi
expect_mode "detect: mode_is_the_default" detect
if ! relay_start --intel "$INTEL" --intel "$ENFORCE_INTEL"; then
	not_ok "relay starts" "$(tail -n 3 "$E2E_TMP/relay.err" | tr '\n' ' ')"
	end
fi
for_each_run detect_then_enforce
end
