#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# t-60-runtimes.sh - the seed scenarios through real runtimes: Debian 12's dockerd (with its
# containerd), containerd's ctr in the k8s.io namespace with the annotations and cgroup the
# kubelet's CRI gives a pod's container, and podman, each running the e2e image loaded from an
# image archive. Containers start before the relay does (a relay's cold start), and the relay is
# restarted while they run: every finding carries the identity each runtime's own state gives.
. /e2e/lib.sh
. /e2e/rt-lib.sh

MODIFIED="Execution: Modified Malicious Library Loaded"
ESCAPE="Execution: Container Escape"
TAMPERED=$E2E_DATA/liblzma.so.5.tampered
POD_UID=$(cat /proc/sys/kernel/random/uuid)
SANDBOX=$(hex64)

if ! rt_up; then
	not_ok "runtimes start" "see the diagnostics above"
	rt_down
	finish
fi
ok "dockerd and containerd start from the runtimes disk"

# --- the image, loaded by each runtime from the same archive ---
check "docker loads the image archive" rt docker load -i /tmp/image.tar
check "podman loads the image archive" rt_podman load -i /tmp/image.tar
check "containerd imports the image archive" rt_ctr image import /tmp/image.tar
diag "containerd images: $(rt_ctr image ls -q | tr '\n' ' ')"
CTR_IMAGE=$(rt_ctr image ls -q | grep "whorl-e2e/app:1.0" | head -n 1)

# --- containers, all started before the relay ---
D_ID=$(rt docker run -d --network none --name shop-web --label tier=web --label team=payments \
	"$RT_IMAGE" /bin/sleep infinity)
P_ID=$(rt_podman run -d --network none --name shop-worker --label tier=worker \
	"localhost/$RT_IMAGE" /bin/sleep infinity)
K_ID=$(hex64)
rt_ctr run -d --null-io --cgroup "/kubepods/burstable/pod$POD_UID/$K_ID" \
	--label io.kubernetes.container.name=api --label io.kubernetes.pod.name=shop-api-7d9f \
	--annotation io.kubernetes.cri.container-type=container \
	--annotation io.kubernetes.cri.container-name=api \
	--annotation io.kubernetes.cri.sandbox-id="$SANDBOX" \
	--annotation io.kubernetes.cri.sandbox-name=shop-api-7d9f \
	--annotation io.kubernetes.cri.sandbox-namespace=shop \
	--annotation io.kubernetes.cri.sandbox-uid="$POD_UID" \
	--annotation io.kubernetes.cri.image-name="$CTR_IMAGE" \
	"$CTR_IMAGE" "$K_ID" /bin/sleep infinity >"$E2E_TMP/ctr-run.out" 2>&1
for c in docker:$D_ID podman:$P_ID containerd:$K_ID; do
	diag "${c%%:*}: ${c#*:}"
done
diag "cgroups: $(find /sys/fs/cgroup -name '*'"$D_ID"'*' -o -name '*'"$P_ID"'*' -o -name "$K_ID" | tr '\n' ' ')"
diag "ctr run: $(cat "$E2E_TMP/ctr-run.out")"

# exec_in RUNTIME ID COMMAND...: COMMAND in that container through its runtime
EXECS=0
exec_in() {
	local runtime=$1 id=$2
	shift 2
	case $runtime in
	docker) rt docker exec -i "$id" "$@" ;;
	podman) rt_podman exec -i "$id" "$@" ;;
	containerd)
		EXECS=$((EXECS + 1))
		rt_ctr task exec --exec-id "e$EXECS" "$id" "$@"
		;;
	esac
}

# identity RUNTIME: the fields every finding about that runtime's container carries
identity() {
	case $1 in
	docker)
		printf 'containers.0.id\t%s\ncontainers.0.runtime\tdocker\ncontainers.0.name\tshop-web\n' "$D_ID"
		printf 'containers.0.uri\t%s\ncontainers.0.imageId\t%s\n' "$RT_IMAGE" "$IMAGE_ID"
		printf 'containers.0.createTime\t%s\n' "$D_CREATED"
		;;
	podman)
		printf 'containers.0.id\t%s\ncontainers.0.runtime\tpodman\ncontainers.0.name\tshop-worker\n' "$P_ID"
		printf 'containers.0.uri\tlocalhost/%s\ncontainers.0.imageId\t%s\n' "$RT_IMAGE" "$IMAGE_ID"
		printf 'containers.0.createTime\t%s\n' "$P_CREATED"
		;;
	containerd)
		printf 'containers.0.id\t%s\ncontainers.0.runtime\tcontainerd\ncontainers.0.name\tapi\n' "$K_ID"
		printf 'containers.0.uri\t%s\nkubernetes.pods.0.name\tshop-api-7d9f\n' "$CTR_IMAGE"
		printf 'kubernetes.pods.0.ns\tshop\nkubernetes.pods.0.uid\t%s\n' "$POD_UID"
		printf 'containers.0.imageId\t%s\ncontainers.0.createTime\t%s\n' "$IMAGE_ID" "$K_CREATED"
		;;
	esac
}

# layer_of PATH PREFIX: the image layer PATH comes from, as build.sh found it in the layers, as
# the fields of a file's imageLayer under PREFIX
layer_of() {
	awk -F '\t' -v f="$1" -v p="$2" '$1 == f {
		printf "%s.imageLayer.diffId\t%s\n%s.imageLayer.index\t%s\n", p, $3, p, $2
		printf "%s.imageLayer.count\t3\n", p }' "$RT_DATA/layers"
}

# labels RUNTIME: the labels a container of that runtime was given, and the image's
labels() {
	case $1 in
	docker) echo "tier=web team=payments io.whorl.test=runtimes" ;;
	podman) echo "tier=worker io.whorl.test=runtimes" ;;
	containerd) echo "io.kubernetes.pod.name=shop-api-7d9f io.whorl.test=runtimes" ;;
	esac
}

id_of() {
	case $1 in docker) echo "$D_ID" ;; podman) echo "$P_ID" ;; containerd) echo "$K_ID" ;; esac
}

# seed RUNTIME TAG: both seed scenarios in that runtime's container
seed() {
	local runtime=$1 tag=$2 id from
	id=$(id_of "$runtime")
	# the library the image's xz loads, replaced at run time, then loaded
	exec_in "$runtime" "$id" /bin/sh -c "cat > $LIBLZMA" <"$TAMPERED"
	from=$(mark)
	exec_in "$runtime" "$id" /usr/bin/xz --version >/dev/null
	expect_finding "$runtime ($tag): modified liblzma loaded" "$from" \
		"$(printf 'category\t%s\nlayer\tmodified\n' "$MODIFIED"; identity "$runtime"
		   layer_of "$LIBLZMA" processes.0.libraries.0; layer_of /usr/bin/xz processes.0.binary)" \
		"category=$(q "$MODIFIED")" "containers.0.id=$id"
	# an escape tool brought in and run
	exec_in "$runtime" "$id" /bin/sh -c "cat > /tmp/.x$tag && chmod 0755 /tmp/.x$tag" \
		<"$E2E_DATA/escape"
	from=$(mark)
	exec_in "$runtime" "$id" "/tmp/.x$tag" >/dev/null 2>&1
	expect_finding "$runtime ($tag): escape tool run" "$from" \
		"$(printf 'category\t%s\nlayer\tadded\n' "$ESCAPE"; identity "$runtime")" \
		"category=$(q "$ESCAPE")" "containers.0.id=$id" || return
	# the labels the container was run with, and the image's own, as each runtime merges them
	for l in $(labels "$runtime"); do
		got=$(label_of "${l%%=*}") || got="<absent>"
		if [ "$got" = "${l#*=}" ]; then
			ok "$runtime ($tag): label ${l%%=*}"
		else
			not_ok "$runtime ($tag): label ${l%%=*}" "expected '${l#*=}', got '$got'"
		fi
	done
}

# An exec'd process is in the container's own root: the image's layers under overlayfs.
for c in docker:$D_ID podman:$P_ID containerd:$K_ID; do
	root=$(exec_in "${c%%:*}" "${c#*:}" /bin/cat /proc/self/mountinfo | head -n 1)
	case $root in
	*" / / "*" - overlay "*) ok "${c%%:*}: an exec'd process is in the container's overlayfs root" ;;
	*) not_ok "${c%%:*}: an exec'd process is in the container's overlayfs root" "mountinfo: $root" ;;
	esac
done
diag "podman's state: $(head -c 600 "$RT/var/lib/containers/storage/overlay-containers/containers.json")"
diag "podman's bundle: $(grep -o '"annotations":{[^}]*}' "$RT/var/lib/containers/storage/overlay-containers/$P_ID/userdata/config.json" | head -c 600)"
diag "containerd's bundle: $(grep -o '"annotations":{[^}]*}' "$RT/run/containerd/io.containerd.runtime.v2.task/k8s.io/$K_ID/config.json" | head -c 600)"
# What each runtime says of its container, asked through its own CLI, in the form the relay
# writes a time (UTC, nine fractional digits)
IMAGE_ID=$(head -n 1 "$RT_DATA/image.ids")
utc() {
	date -u -d "@$(rt date -u -d "$1" +%s)" +%Y-%m-%dT%H:%M:%S.$(rt date -u -d "$1" +%N)Z
}
D_CREATED=$(utc "$(rt docker inspect -f '{{.Created}}' "$D_ID")")
P_CREATED=$(utc "$(rt_podman inspect -f '{{.Created}}' "$P_ID" | sed 's/ +0000 UTC$/Z/; s/ /T/')")
K_CREATED=$(utc "$(rt_ctr containers info "$K_ID" | sed -n 's/^ *"CreatedAt": "\(.*\)",$/\1/p')")
diag "created: docker $D_CREATED, podman $P_CREATED, containerd $K_CREATED"

# label_of NAME: the value of that label in the last finding found (none: empty, status 1)
label_of() {
	awk -F '\t' -v n="$1" '$1 ~ /^containers\.0\.labels\.[0-9]+\.name$/ && $2 == n {
			k = $1; sub(/name$/, "value", k); want = k }
		{ v[$1] = $2 } END { if (want in v) print v[want]; else exit 1 }' "$FOUND"
}

if ! whorl_load; then
	not_ok "module loads" "insmod $WHORL_KO failed"
	finish
fi
# The relay starts after the containers (cold start)...
if ! relay_start --intel "$INTEL"; then
	not_ok "relay starts" "$(tail -n 3 "$E2E_TMP/relay.err" | tr '\n' ' ')"
	finish
fi
for runtime in docker podman containerd; do
	seed "$runtime" cold
done
# ... and again after a restart while they run: the same identity (the first relay's findings
# kept for the host's schema checks, which read $FINDINGS at the end)
cp "$FINDINGS" "$E2E_TMP/cold.jsonl"
relay_stop
relay_start --intel "$INTEL" || not_ok "relay restarts" "$(tail -n 3 "$E2E_TMP/relay.err" | tr '\n' ' ')"
"$WHORL" config --dedup-ms 0 >/dev/null
for runtime in docker podman containerd; do
	# the image's library again: a fresh copy, so the finding is new
	seed "$runtime" restart
done

rt_ctr task kill -s KILL "$K_ID" >/dev/null 2>&1
rt_down
relay_stop
cat "$E2E_TMP/cold.jsonl" "$FINDINGS" >"$E2E_TMP/all.jsonl" && mv "$E2E_TMP/all.jsonl" "$FINDINGS"
finish
