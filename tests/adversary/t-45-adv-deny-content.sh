#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# t-45-adv-deny-content.sh - enforce mode refuses known-bad content however the fingerprint cache
# is churned: with a small cache (cache_max=16) and many other files hashed in between, a listed
# program is still refused at its next exec; and a listed library held open for writing (whose
# hash the cache never keeps) is refused at its next mapping instead of killed late, every time.
. /e2e/adv-lib.sh
adv_setup cache_max=16 mode=1
EPERM="Operation not permitted"

churned() {
	start "$3" "$1" "$2" || return
	ctr_copy_in "$C_ID" "$ADV/implant" /tmp/implant
	ctr "$C_ID" /tmp/implant >/dev/null 2>&1	# first sight: hashed, killed or gone
	barrier "$C_ID"
	# 48 distinct scripts, each hashed at its exec: the 16-entry cache turns over three times
	ctr "$C_ID" /bin/sh -c 'i=0; while [ $i -lt 48 ]; do printf "#!/bin/sh\n# %s\n" $i >/tmp/c$i;
		chmod +x /tmp/c$i; /tmp/c$i; i=$((i + 1)); done'
	barrier "$C_ID"
	from=$(mark)
	ctr "$C_ID" /tmp/implant >"$E2E_TMP/out" 2>&1
	printed "$3: listed_program_is_refused_after_cache_churn" "$E2E_TMP/out" "$EPERM"
	expect_finding "$3: refusal_after_churn_is_reported" "$from" \
		"$(printf 'action\tdenied\n'; implant_fields /tmp/implant added)" \
		"containers.0.id=$C_ID" "processes.0.binary.path=/tmp/implant" "action=denied"
	container_remove "$C_ID"
}

held_for_writing() {
	start "$3" "$1" "$2" || return
	ctr_copy_in "$C_ID" "$ADV/adv" /tmp/adv
	ctr_copy_in "$C_ID" "$ADV/implant" /tmp/libimplant.so
	# a writer that never writes: the cache keeps nothing read while it holds the file
	ctr "$C_ID" /bin/sh -c 'exec 3>>/tmp/libimplant.so; exec sleep 600' &
	writer=$!
	wait_ctr_cmd "$C_CGROUP" "sleep 600"	# fd 3 is open once the shell became sleep
	ctr "$C_ID" /tmp/adv map /tmp/libimplant.so >/dev/null 2>&1	# first sight
	barrier "$C_ID"
	from=$(mark)
	ctr "$C_ID" /tmp/adv map /tmp/libimplant.so >"$E2E_TMP/out" 2>&1
	printed "$3: listed_library_open_for_writing_is_refused_at_its_next_mapping" "$E2E_TMP/out" "$EPERM"
	expect_finding "$3: refusal_of_library_open_for_writing_is_reported" "$from" \
		"$(printf 'action\tdenied\ncategory\tExecution: Added Malicious Library Loaded\n'
		container_fields)" \
		"containers.0.id=$C_ID" "processes.0.libraries.0.path=/tmp/libimplant.so" "action=denied"
	container_remove "$C_ID"
	wait "$writer"
}

for_each_run churned
for_each_run held_for_writing
finish
