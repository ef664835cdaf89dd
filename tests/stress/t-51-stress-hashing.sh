#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# t-51-stress-hashing.sh - what the kernel hashes when files change under it, and its partial-hash bound:
#  1. a large file in a container rewritten in place, truncated, or deleted and replaced, while
#     another process keeps mapping it executable or executing it: every finding's sha256 (with its
#     size) must be that of a state the file really had, or be absent (not hashed: flagged), never
#     a hash of mixed content; a last touch once the file is quiet must carry exactly its final
#     content; a replaced file's old inode must be reported with its own content;
#  2. one write() caught in the middle (its source pages held by userfaultfd): while it stays so,
#     the file is reported without a hash (a change is in progress: hashBusy counts it); once the
#     write has finished a finding must carry the new content (the write changed the file's times
#     and i_version when it began, not after);
#  3. a 4 GiB sparse executable with hash_max=16 MiB: partiallyHashed, hashedSize == hash_max,
#     size == 4 GiB, sha256 == that of its first 16 MiB.
# Low-severity kinds are on and every event is reported (dedup_ms=0), so that a wrong hash could
# not hide behind "no intel match".
. /e2e/lib.sh
. /e2e/stress-lib.sh

stress_begin
ENABLE="--enable added-binary --enable added-library"
if ! whorl_load dedup_ms=0; then
	not_ok "module loads with dedup_ms=0" "insmod failed"
	finish
fi
# shellcheck disable=SC2086
relay_start --intel "$INTEL" $ENABLE || { not_ok "relay starts" "not ready"; finish; }
start "hashing" runc docker || finish
A=$C_ID
UPPER=$C_UPPER
HOST_TRUE=$STRESS_BIN/stress-true	# the same bytes as the image's /usr/local/bin/stress-true
readies() { grep -c 'ready' "$E2E_TMP/relay.err"; }
unloads() { grep -c 'unloaded' "$E2E_TMP/relay.err"; }

# unload_drained: rmmod (which finishes every queued event first), then wait until the relay has
# seen the module go, so that every finding is in $FINDINGS.
unload_drained() {
	local u0 w=0
	u0=$(unloads)
	rmmod whorl || return 1
	while [ "$(unloads)" -le "$u0" ] && [ "$w" -lt 3000 ]; do sleep 0.1; w=$((w + 1)); done
	sleep 1
}

# --- 1. files changed while hashed ---------------------------------------------------------------
for run in $MUTATE_RUNS; do
	mode=${run%%:*}
	how=${run##*:}
	prefix=-
	[ "$how" = exec ] && prefix=/usr/local/bin/stress-true
	t0=$(now)
	if ctr "$A" /usr/local/bin/stress-mutate run "$mode" "$how" "/tmp/big-$mode-$how" "$BIG_SIZE" \
		"$MUTATE_ROUNDS" "$prefix" "$MUTATE_PAUSE_MS" >"$E2E_TMP/mutate-$mode-$how.out" 2>"$E2E_TMP/mutate-$mode-$how.err"; then
		ok "$mode/$how: a $((BIG_SIZE >> 20)) MiB file changed $MUTATE_ROUNDS times while $(grep -c '^touch tag=t[0-9]* rc=' "$E2E_TMP/mutate-$mode-$how.out") processes touched it ($(elapsed "$t0") s)"
	else
		not_ok "$mode/$how: the file is changed while touched" "$(tail -n 3 "$E2E_TMP/mutate-$mode-$how.err" | tr '\n' ' ')"
	fi
done
status_save "$E2E_TMP/sm1"
t0=$(now)
unload_drained || not_ok "module unloads after the mutations" "rmmod failed"
diag "drained the hashing in $(elapsed "$t0") s"
awk -f "$E2E_DIR/json.awk" "$FINDINGS" >"$E2E_TMP/findings.flat"

# candidates MODE HOW PREFIX: "sha256 size seed" of every state the run logged, hashed here by
# busybox's sha256sum from the same generator (cached: states recur across runs).
candidates() {
	local s z sha key
	grep '^state ' "$E2E_TMP/mutate-$1-$2.out" | sort -u | while read -r _ s z; do
		s=${s#seed=}
		z=${z#size=}
		key="$s-$z-$(basename "$3")"
		if [ ! -f "$E2E_TMP/cand-$key" ]; then
			"$STRESS_BIN/stress-mutate" gen "$s" "$z" "$3" | sha256sum | cut -d' ' -f1 >"$E2E_TMP/cand-$key"
		fi
		echo "$(cat "$E2E_TMP/cand-$key") $z $s"
	done
}

# found MODE HOW: "tag sha256|- size hashedSize partiallyHashed" of the findings about the run's file.
found() {
	awk -F '\t' -v file="/tmp/big-$1-$2" -v how="$2" -v id="$A" '
		{ v[$1, $2] = $3; rec[$1] = 1 }
		END {
			for (r in rec) {
				if (v[r, "containers.0.id"] != id) continue
				if (how == "map") {
					if (v[r, "processes.0.args.3"] != file) continue
					tag = v[r, "processes.0.args.4"]; p = "processes.0.libraries.0"
				} else {
					if (v[r, "processes.0.args.0"] != file) continue
					tag = v[r, "processes.0.args.1"]; p = "processes.0.binary"
				}
				sha = ((r, p ".sha256") in v) ? v[r, p ".sha256"] : "-"
				print tag, sha, v[r, p ".size"], v[r, p ".hashedSize"], v[r, p ".partiallyHashed"]
			}
		}' "$E2E_TMP/findings.flat"
}

for run in $MUTATE_RUNS; do
	mode=${run%%:*}
	how=${run##*:}
	name="$mode/$how"
	out=$E2E_TMP/mutate-$mode-$how.out
	[ -s "$out" ] || continue
	hprefix=-
	[ "$how" = exec ] && hprefix=$HOST_TRUE
	candidates "$mode" "$how" "$hprefix" >"$E2E_TMP/cand-$mode-$how"
	found "$mode" "$how" >"$E2E_TMP/found-$mode-$how"
	n=$(wc -l <"$E2E_TMP/found-$mode-$how")
	unhashed=$(awk '$2 == "-"' "$E2E_TMP/found-$mode-$how" | wc -l)
	# A hash must be one of a real state's, with that state's size, hashed whole.
	bad=$(awk 'NR == FNR { size[$1] = $2; next }
		$2 != "-" && (!($2 in size) || size[$2] != $3 || $4 != $3 || $5 != "false") { print }' \
		"$E2E_TMP/cand-$mode-$how" "$E2E_TMP/found-$mode-$how")
	if [ "$n" -gt 0 ] && [ -z "$bad" ]; then
		ok "$name: each of $n findings carries the hash of a state the file had between writes, or none ($unhashed without a hash)"
	else
		not_ok "$name: each finding carries the hash of a state the file had between writes, or none" "$n findings; mixed content (no state's hash): $(echo "$bad" | head -n 3 | tr '\n' ';') states: $(tr '\n' ';' <"$E2E_TMP/cand-$mode-$how")"
	fi
	diag "$name: by state: $(awk 'NR == FNR { st[$1] = "seed" $3 "/" $2; next } { c[$2 == "-" ? "unhashed" : ($2 in st ? st[$2] : "OTHER")]++ }
		END { for (k in c) printf "%s=%d ", k, c[k] }' "$E2E_TMP/cand-$mode-$how" "$E2E_TMP/found-$mode-$how")"
	# The file is quiet at the last touch: its finding must carry the final content exactly.
	set -- $(sed -n 's/^final tag=final seed=\([0-9]*\) size=\([0-9]*\).*/\1 \2/p' "$out")
	want=$(awk -v s="$1" -v z="$2" '$3 == s && $2 == z { print $1 }' "$E2E_TMP/cand-$mode-$how")
	got=$(awk '$1 == "final" { print $2 " " $3 }' "$E2E_TMP/found-$mode-$how" | head -n 1)
	if [ -n "$want" ] && [ "$got" = "$want $2" ]; then
		ok "$name: the last touch, on a quiet file, reports its final content (seed $1, $2 bytes)"
	else
		not_ok "$name: the last touch reports the final content" "want '$want $2' got '$got'"
	fi
	# A replaced file's old inode keeps its content: a touch's finding names what that touch mapped.
	if [ "$mode" = delete ] && [ "$how" = map ]; then
		sed -n 's/^touch tag=\(t[0-9]*\) seed=\([1-9][0-9]*\) size=\([0-9]*\)$/\1 \2 \3/p' "$out" \
			>"$E2E_TMP/touched-$mode-$how"
		wrong=$(awk 'FILENAME == ARGV[1] { sha[$3 "/" $2] = $1; next }
			FILENAME == ARGV[2] { want[$1] = sha[$2 "/" $3]; next }
			$1 in want && $2 != "-" && $2 != want[$1] { print $1 " " $2 " want " want[$1] }' \
			"$E2E_TMP/cand-$mode-$how" "$E2E_TMP/touched-$mode-$how" "$E2E_TMP/found-$mode-$how")
		checked=$(wc -l <"$E2E_TMP/touched-$mode-$how")
		if [ -z "$wrong" ]; then
			ok "$name: every touch's finding carries the content of the very inode it mapped ($checked touches)"
		else
			not_ok "$name: every touch's finding carries the content of the inode it mapped" "$(echo "$wrong" | head -n 3 | tr '\n' ';')"
		fi
	fi
done
diag "hashing counters: $(for k in filesHashed hashErrors hashBusy bytesHashed hashNanoseconds hashInflightShared workQueued workDropped findingsEmitted findingsDropped; do
	printf '%s=%s ' "$k" "$(status_val "$E2E_TMP/sm1" "counters.$k")"; done) (before the drain)"

# --- 2. a write caught halfway ------------------------------------------------------------------------
# The module is back (the relay subscribes again); the file is written through the container's
# rootfs as the host sees it (userfaultfd needs CAP_SYS_PTRACE, which containers do not have).
r0=$(readies)
if ! insmod "$WHORL_KO" dedup_ms=0; then
	not_ok "module loads again" "insmod failed"
	finish
fi
w=0
while [ "$(readies)" -le "$r0" ] && [ "$w" -lt 600 ]; do sleep 0.1; w=$((w + 1)); done
half=$((BIG_SIZE / 2))
seedsha() { "$STRESS_BIN/stress-mutate" gen "$1" "$2" - | sha256sum | cut -d' ' -f1; }
old=$(seedsha 1 "$BIG_SIZE")
new=$(seedsha 2 "$BIG_SIZE")
torn=$({ "$STRESS_BIN/stress-mutate" gen 2 "$half" -
	"$STRESS_BIN/stress-mutate" gen 1 "$BIG_SIZE" - | tail -c "$half"; } | sha256sum | cut -d' ' -f1)
# touch_sha TAG: map /tmp/stall in the container, wait for that touch's finding, print its sha256.
touch_sha() {
	local from
	from=$(mark)
	ctr "$A" /usr/local/bin/stress-mutate touch map /tmp/stall "$1" - >/dev/null || return 1
	wait_finding "$from" "processes.0.args.4=$1" "containers.0.id=$A" || return 1
	field processes.0.libraries.0.sha256 || echo none
}
name_of() {
	case $1 in "$old") echo "the old content" ;; "$new") echo "the new content" ;;
	"$torn") echo "the half-written file" ;; none) echo "no hash" ;; *) echo "unknown content $1" ;; esac
}
ctr "$A" /usr/local/bin/stress-mutate write /tmp/stall 1 "$BIG_SIZE" -
got=$(touch_sha before) || got="no finding"
[ "$got" = "$old" ] && ok "stalled write: the file's first content is reported ($((BIG_SIZE >> 20)) MiB)" ||
	not_ok "stalled write: the file's first content is reported" "got $(name_of "$got")"
rm -f "$E2E_TMP/stall.in"
mkfifo "$E2E_TMP/stall.in"
"$STRESS_BIN/stress-mutate" stall "$C_BUNDLE/rootfs/tmp/stall" 2 "$BIG_SIZE" "$half" \
	<"$E2E_TMP/stall.in" >"$E2E_TMP/stall.out" 2>&1 &
stall_pid=$!
exec 7>"$E2E_TMP/stall.in"
w=0
while ! grep -q '^stalled' "$E2E_TMP/stall.out" && [ "$w" -lt 600 ]; do
	kill -0 "$stall_pid" 2>/dev/null || break
	sleep 0.1
	w=$((w + 1))
done
nouffd=""
grep -q 'userfaultfd: Function not implemented' "$E2E_TMP/stall.out" && nouffd=1
if [ -n "$nouffd" ]; then
	ok "stalled write: the write stalls halfway # SKIP this kernel has no userfaultfd (CONFIG_USERFAULTFD)"
elif grep -q '^stalled' "$E2E_TMP/stall.out"; then
	busy0=$(status_now counters.hashBusy) || busy0=""
	during=$(touch_sha during) || during="no finding"
	busy1=$(status_now counters.hashBusy) || busy1=""
	if [ "$during" = none ] && [ -n "$busy0" ] && [ -n "$busy1" ] && [ "$busy1" -gt "$busy0" ]; then
		ok "stalled write: while one write() is halfway, the touch is reported without a hash (hashBusy $busy0 -> $busy1)"
	else
		not_ok "stalled write: while one write() is halfway, the touch is reported without a hash" \
			"got $(name_of "$during"), hashBusy $busy0 -> $busy1"
	fi
else
	not_ok "stalled write: the write stalls halfway" "$(tr '\n' ' ' <"$E2E_TMP/stall.out")"
fi
# (a writer that already died would leave no reader: SIGPIPE)
kill -0 "$stall_pid" 2>/dev/null && echo go >&7
exec 7>&-
wait "$stall_pid"
if [ -n "$nouffd" ]; then
	ok "stalled write: once the write has finished, the finding carries the new content # SKIP no userfaultfd"
elif grep -q "^written $BIG_SIZE" "$E2E_TMP/stall.out"; then
	after=$(touch_sha after) || after="no finding"
	if [ "$after" = "$new" ]; then
		ok "stalled write: once the write has finished, the finding carries the new content"
	else
		not_ok "stalled write: once the write has finished, the finding carries the new content" \
			"got $(name_of "$after"): a hash computed while the write was in progress, kept for the finished file (the write changed times and i_version only when it began)"
	fi
else
	not_ok "stalled write: the write finishes" "$(tr '\n' ' ' <"$E2E_TMP/stall.out")"
fi
unload_drained || not_ok "module unloads" "rmmod failed"

# --- 3. a 4 GiB sparse executable, hash_max 16 MiB -------------------------------------------------
r0=$(readies)
if insmod "$WHORL_KO" hash_max="$SPARSE_HASH_MAX" dedup_ms=0; then
	ok "module loads with hash_max=$SPARSE_HASH_MAX"
else
	not_ok "module loads with hash_max=$SPARSE_HASH_MAX" "insmod failed"
	finish
fi
w=0
while [ "$(readies)" -le "$r0" ] && [ "$w" -lt 600 ]; do sleep 0.1; w=$((w + 1)); done
hm=$(status_now config.hashMax) || hm=""
[ "$hm" = "$SPARSE_HASH_MAX" ] && ok "status shows hashMax $hm" || not_ok "status shows hashMax $SPARSE_HASH_MAX" "got '$hm'"
check "a 4 GiB sparse executable in the container" \
	ctr "$A" /usr/local/bin/stress-mutate sparse /tmp/sparse "$SPARSE_SIZE" /usr/local/bin/stress-true
want=$(head -c "$SPARSE_HASH_MAX" "$UPPER/tmp/sparse" | sha256sum | cut -d' ' -f1)
from=$(mark)
check "the 4 GiB sparse executable runs" ctr "$A" /tmp/sparse sparse-exec
expect_finding "4 GiB sparse executable: partial hash bounded by hash_max" "$from" \
	"$(printf 'category\tAdded Binary Executed\n'
	printf 'processes.0.binary.sha256\t%s\nprocesses.0.binary.size\t%s\n' "$want" "$SPARSE_SIZE"
	printf 'processes.0.binary.hashedSize\t%s\nprocesses.0.binary.partiallyHashed\ttrue\n' "$SPARSE_HASH_MAX"
	container_fields)" \
	"processes.0.binary.path=/tmp/sparse" "containers.0.id=$A"
from=$(mark)
check "the 4 GiB sparse file maps executable" ctr "$A" /usr/local/bin/stress-mutate touch map /tmp/sparse sparse-map -
expect_finding "4 GiB sparse library: partial hash bounded by hash_max" "$from" \
	"$(printf 'category\tAdded Library Loaded\n'
	printf 'processes.0.libraries.0.sha256\t%s\nprocesses.0.libraries.0.size\t%s\n' "$want" "$SPARSE_SIZE"
	printf 'processes.0.libraries.0.hashedSize\t%s\nprocesses.0.libraries.0.partiallyHashed\ttrue\n' "$SPARSE_HASH_MAX"
	container_fields)" \
	"processes.0.libraries.0.path=/tmp/sparse" "containers.0.id=$A"
bh=$(status_now counters.bytesHashed) || bh=""
if [ -n "$bh" ] && [ "$bh" -le $((2 * SPARSE_HASH_MAX + 4 * 1048576)) ]; then
	ok "no more than hash_max read for it ($bh bytes hashed since load, sparse file and the tools)"
else
	not_ok "no more than hash_max read for it" "bytesHashed $bh"
fi

# --- the end ----------------------------------------------------------------------------------------
container_remove "$A"
E2E_CONTAINERS=""
stress_end t-51
