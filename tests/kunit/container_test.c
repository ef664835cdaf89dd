// SPDX-License-Identifier: GPL-2.0
/*
 * container_test.c - KUnit: container runtime and id from real runtimes'
 * cgroup paths; the per-cgroup cache on real cgroups and its bound.
 *
 * The real-cgroup cases need cgroup v2 cgroups shaped like a runtime's,
 * made in the guest before this module loads:
 *   mount -t cgroup2 none /sys/fs/cgroup   (unless mounted)
 *   mkdir -p /sys/fs/cgroup$DOCKER_SCOPE /sys/fs/cgroup$K8S_CGROUPFS \
 *            /sys/fs/cgroup$PODMAN_CONMON
 * with the three paths below (FIXTURE_*).
 */

#include <kunit/test.h>
#include <linux/cgroup.h>
#include <linux/err.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "container.h"
#include "stats.h"

/* Ids and a pod uid as the runtimes make them. */
#define ID_DOCKER	"d024d0482510dcc20f26ed6a1a575d5b2925b0bf00790a316034ac8096f9ea64"
#define ID_INNER	"ab5aae4f39ae25f290a5dc79920f3d29ebf72a01611de80c06a15404f02dc21b"
#define ID_CONTAINERD	"a2eaba3e3dfaaf6741f3523ddd6f401634995af569bdb89a71dbc020c26e9af1"
#define ID_CRIO		"a58bf2fd3ee583c7ea3f4101e75632d59aa6cc04b7c3ed39ac9de428d95ea382"
#define ID_PODMAN	"7dd7ac952aef1501d333d7bceb84eeb491eea2b625711f4125ec8b30af935d7b"
#define POD_UID_DASHES	"2bde21f8-3973-420e-9809-ce375d7ae9b0"
#define POD_UID_UNDERS	"2bde21f8_3973_420e_9809_ce375d7ae9b0"

#define KUBE_BURSTABLE	"/kubepods.slice/kubepods-burstable.slice/" \
			"kubepods-burstable-pod" POD_UID_UNDERS ".slice/"
#define KUBE_BESTEFFORT	"/kubepods.slice/kubepods-besteffort.slice/" \
			"kubepods-besteffort-pod" POD_UID_UNDERS ".slice/"
#define KUBE_GUARANTEED	"/kubepods.slice/kubepods-pod" POD_UID_UNDERS ".slice/"

struct parse_case {
	const char *name;
	const char *path;
	u8 want;
	const char *want_id;
};

static const struct parse_case parse_cases[] = {
	/* Docker */
	{ "docker_systemd_driver_scope",
	  "/system.slice/docker-" ID_DOCKER ".scope", WHORL_RUNTIME_DOCKER, ID_DOCKER },
	{ "docker_cgroupfs_driver",
	  "/docker/" ID_DOCKER, WHORL_RUNTIME_DOCKER, ID_DOCKER },
	{ "docker_rootless_under_user_manager",
	  "/user.slice/user-1000.slice/user@1000.service/user.slice/docker-" ID_DOCKER ".scope",
	  WHORL_RUNTIME_DOCKER, ID_DOCKER },
	{ "docker_container_running_systemd_owns_its_sub_cgroups",
	  "/system.slice/docker-" ID_DOCKER ".scope/init.scope",
	  WHORL_RUNTIME_DOCKER, ID_DOCKER },
	{ "docker_trailing_slash_is_tolerated",
	  "/docker/" ID_DOCKER "/", WHORL_RUNTIME_DOCKER, ID_DOCKER },
	/* containerd / CRI, Kubernetes with the systemd driver */
	{ "containerd_cri_burstable_pod",
	  KUBE_BURSTABLE "cri-containerd-" ID_CONTAINERD ".scope",
	  WHORL_RUNTIME_CONTAINERD, ID_CONTAINERD },
	{ "containerd_cri_besteffort_pod",
	  KUBE_BESTEFFORT "cri-containerd-" ID_CONTAINERD ".scope",
	  WHORL_RUNTIME_CONTAINERD, ID_CONTAINERD },
	{ "containerd_cri_guaranteed_pod_has_no_qos_slice",
	  KUBE_GUARANTEED "cri-containerd-" ID_CONTAINERD ".scope",
	  WHORL_RUNTIME_CONTAINERD, ID_CONTAINERD },
	{ "nerdctl_systemd_scope",
	  "/system.slice/nerdctl-" ID_CONTAINERD ".scope",
	  WHORL_RUNTIME_CONTAINERD, ID_CONTAINERD },
	/* Kubernetes with the cgroupfs driver (cgroup v1 and v2 alike) */
	{ "kubernetes_cgroupfs_burstable_pod",
	  "/kubepods/burstable/pod" POD_UID_DASHES "/" ID_CONTAINERD,
	  WHORL_RUNTIME_CONTAINERD, ID_CONTAINERD },
	{ "kubernetes_cgroupfs_besteffort_pod",
	  "/kubepods/besteffort/pod" POD_UID_DASHES "/" ID_CONTAINERD,
	  WHORL_RUNTIME_CONTAINERD, ID_CONTAINERD },
	{ "kubernetes_cgroupfs_guaranteed_pod_has_no_qos_dir",
	  "/kubepods/pod" POD_UID_DASHES "/" ID_CONTAINERD,
	  WHORL_RUNTIME_CONTAINERD, ID_CONTAINERD },
	/* CRI-O */
	{ "crio_systemd_scope",
	  KUBE_BURSTABLE "crio-" ID_CRIO ".scope", WHORL_RUNTIME_CRIO, ID_CRIO },
	{ "crio_cgroupfs_driver",
	  "/kubepods/besteffort/pod" POD_UID_DASHES "/crio-" ID_CRIO,
	  WHORL_RUNTIME_CRIO, ID_CRIO },
	/* Podman */
	{ "podman_rootful_machine_slice",
	  "/machine.slice/libpod-" ID_PODMAN ".scope", WHORL_RUNTIME_PODMAN, ID_PODMAN },
	{ "podman_container_leaf_cgroup",
	  "/machine.slice/libpod-" ID_PODMAN ".scope/container",
	  WHORL_RUNTIME_PODMAN, ID_PODMAN },
	{ "podman_rootless_under_user_manager",
	  "/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" ID_PODMAN ".scope",
	  WHORL_RUNTIME_PODMAN, ID_PODMAN },
	{ "podman_cgroupfs_manager",
	  "/libpod_parent/libpod-" ID_PODMAN, WHORL_RUNTIME_PODMAN, ID_PODMAN },
	/*
	 * Nesting: the outermost container wins, the one the host's runtime
	 * made; below it, the container names what it likes.
	 */
	{ "docker_in_docker_systemd_outer_cgroupfs_inner",
	  "/system.slice/docker-" ID_DOCKER ".scope/docker/" ID_INNER,
	  WHORL_RUNTIME_DOCKER, ID_DOCKER },
	{ "docker_in_docker_cgroup_v1",
	  "/docker/" ID_DOCKER "/docker/" ID_INNER, WHORL_RUNTIME_DOCKER, ID_DOCKER },
	{ "kind_node_pod_inside_docker_container",
	  "/system.slice/docker-" ID_DOCKER ".scope/kubelet.slice/kubelet-kubepods.slice/"
	  "kubelet-kubepods-besteffort.slice/kubelet-kubepods-besteffort-pod"
	  POD_UID_UNDERS ".slice/cri-containerd-" ID_CONTAINERD ".scope",
	  WHORL_RUNTIME_DOCKER, ID_DOCKER },
	{ "podman_inside_docker_container",
	  "/docker/" ID_DOCKER "/libpod_parent/libpod-" ID_PODMAN,
	  WHORL_RUNTIME_DOCKER, ID_DOCKER },
	{ "victim_scope_forged_below_a_container_is_not_the_victim",
	  "/system.slice/docker-" ID_DOCKER ".scope/system.slice/docker-" ID_INNER ".scope",
	  WHORL_RUNTIME_DOCKER, ID_DOCKER },
	{ "pod_forged_below_a_pod_is_not_the_victim",
	  KUBE_BURSTABLE "cri-containerd-" ID_CONTAINERD ".scope/" KUBE_BURSTABLE
	  "cri-containerd-" ID_INNER ".scope",
	  WHORL_RUNTIME_CONTAINERD, ID_CONTAINERD },
	/* Not containers: runtimes' own helpers and host units */
	{ "crio_conmon_is_not_a_container",
	  KUBE_BURSTABLE "crio-conmon-" ID_CRIO ".scope", WHORL_RUNTIME_NONE, "" },
	{ "podman_conmon_is_not_a_container",
	  "/machine.slice/libpod-conmon-" ID_PODMAN ".scope", WHORL_RUNTIME_NONE, "" },
	{ "kubernetes_pod_slice_itself_is_not_a_container",
	  "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod"
	  POD_UID_UNDERS ".slice", WHORL_RUNTIME_NONE, "" },
	{ "docker_daemon_service", "/system.slice/docker.service", WHORL_RUNTIME_NONE, "" },
	{ "containerd_daemon_service", "/system.slice/containerd.service",
	  WHORL_RUNTIME_NONE, "" },
	{ "crio_daemon_service", "/system.slice/crio.service", WHORL_RUNTIME_NONE, "" },
	{ "docker_netns_mount_unit", "/system.slice/run-docker-netns-1a2b3c4d5e6f.mount",
	  WHORL_RUNTIME_NONE, "" },
	{ "docker_overlay_mount_unit_with_an_id_inside",
	  "/system.slice/var-lib-docker-overlay2-" ID_DOCKER "-merged.mount",
	  WHORL_RUNTIME_NONE, "" },
	{ "user_session", "/user.slice/user-1000.slice/session-2.scope", WHORL_RUNTIME_NONE, "" },
	{ "systemd_init_scope", "/init.scope", WHORL_RUNTIME_NONE, "" },
	{ "root_cgroup", "/", WHORL_RUNTIME_NONE, "" },
	{ "empty_path", "", WHORL_RUNTIME_NONE, "" },
	/* Ids that are not ids */
	{ "docker_scope_with_a_name_not_an_id", "/system.slice/docker-xyz.scope",
	  WHORL_RUNTIME_NONE, "" },
	{ "docker_scope_with_63_hex_digits",
	  "/system.slice/docker-d024d0482510dcc20f26ed6a1a575d5b2925b0bf00790a316034ac8096f9ea6.scope",
	  WHORL_RUNTIME_NONE, "" },
	{ "docker_scope_with_65_hex_digits",
	  "/system.slice/docker-" ID_DOCKER "0.scope", WHORL_RUNTIME_NONE, "" },
	{ "docker_scope_with_uppercase_hex",
	  "/system.slice/docker-D024D0482510DCC20F26ED6A1A575D5B2925B0BF00790A316034AC8096F9EA64.scope",
	  WHORL_RUNTIME_NONE, "" },
	{ "docker_short_12_digit_id_is_not_accepted", "/docker/d024d0482510",
	  WHORL_RUNTIME_NONE, "" },
	{ "docker_scope_without_scope_suffix_is_not_a_unit",
	  "/system.slice/docker-" ID_DOCKER, WHORL_RUNTIME_NONE, "" },
	{ "bare_id_under_an_unknown_parent", "/custom-parent/" ID_DOCKER,
	  WHORL_RUNTIME_NONE, "" },
	{ "bare_id_under_pod_outside_kubepods", "/pod" POD_UID_DASHES "/" ID_CONTAINERD,
	  WHORL_RUNTIME_NONE, "" },
	{ "bare_id_at_the_root", "/" ID_DOCKER, WHORL_RUNTIME_NONE, "" },
};

static void parse_case_desc(const struct parse_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}
KUNIT_ARRAY_PARAM(parse, parse_cases, parse_case_desc);

static void cgroup_path_names_runtime_and_id(struct kunit *test)
{
	const struct parse_case *c = test->param_value;
	char id[WHORL_CONTAINER_ID_MAX];
	u8 runtime;

	/* Arrange */
	memset(id, 'x', sizeof(id));

	/* Act */
	runtime = whorl_container_parse(c->path, id, sizeof(id));

	/* Assert */
	KUNIT_EXPECT_EQ_MSG(test, runtime, c->want, "path %s", c->path);
	KUNIT_EXPECT_STREQ_MSG(test, id, c->want_id, "path %s", c->path);
}

static void id_is_cut_to_a_small_buffer_runtime_still_named(struct kunit *test)
{
	char id[13];
	u8 runtime;

	/* Act */
	runtime = whorl_container_parse("/docker/" ID_DOCKER, id, sizeof(id));

	/* Assert */
	KUNIT_EXPECT_EQ(test, runtime, WHORL_RUNTIME_DOCKER);
	KUNIT_EXPECT_STREQ(test, id, "d024d0482510");
}

static void runtime_alone_needs_no_id_buffer(struct kunit *test)
{
	/* Act, Assert */
	KUNIT_EXPECT_EQ(test, whorl_container_parse("/machine.slice/libpod-" ID_PODMAN ".scope",
						    NULL, 0),
			WHORL_RUNTIME_PODMAN);
	KUNIT_EXPECT_EQ(test, whorl_container_parse(NULL, NULL, 0), WHORL_RUNTIME_NONE);
}

/* Real cgroups, made in the guest before the module loads (see the top). */
#define FIXTURE_DOCKER_SCOPE	"/system.slice/docker-" ID_DOCKER ".scope"
#define FIXTURE_K8S_CGROUPFS	"/kubepods/burstable/pod" POD_UID_DASHES "/" ID_CONTAINERD
#define FIXTURE_PODMAN_CONMON	"/machine.slice/libpod-conmon-" ID_PODMAN ".scope"

struct resolve_case {
	const char *path;
	u8 want;
	const char *want_id;
};

static const struct resolve_case resolve_cases[] = {
	{ FIXTURE_DOCKER_SCOPE, WHORL_RUNTIME_DOCKER, ID_DOCKER },
	{ FIXTURE_K8S_CGROUPFS, WHORL_RUNTIME_CONTAINERD, ID_CONTAINERD },
	{ FIXTURE_PODMAN_CONMON, WHORL_RUNTIME_NONE, "" },
	{ "/", WHORL_RUNTIME_NONE, "" },
};

static void resolve_case_desc(const struct resolve_case *c, char *desc)
{
	strscpy(desc, c->path, KUNIT_PARAM_DESC_SIZE);
}
KUNIT_ARRAY_PARAM(resolve, resolve_cases, resolve_case_desc);

static void real_cgroup_resolves_and_is_then_peekable(struct kunit *test)
{
	const struct resolve_case *c = test->param_value;
	struct whorl_container *out;
	struct cgroup *cgrp;
	u8 peeked = 0xff;
	int err;

	/* Arrange */
	out = kunit_kzalloc(test, sizeof(*out), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, out);
	cgrp = cgroup_get_from_path(c->path);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(cgrp),
			       "cgroup %s missing: make it in the guest first (container_test.c)",
			       c->path);
	whorl_container_forget_all();

	/* Act */
	err = whorl_container_resolve(cgrp, out);

	/* Assert */
	KUNIT_EXPECT_EQ(test, err, 0);
	KUNIT_EXPECT_EQ(test, out->cgroup_id, cgroup_id(cgrp));
	KUNIT_EXPECT_STREQ(test, out->path, c->path);
	KUNIT_EXPECT_EQ(test, out->runtime, c->want);
	KUNIT_EXPECT_STREQ(test, out->id, c->want_id);
	KUNIT_EXPECT_TRUE(test, whorl_container_peek(cgroup_id(cgrp), &peeked));
	KUNIT_EXPECT_EQ(test, peeked, c->want);
	cgroup_put(cgrp);
}

static void second_resolve_is_served_from_the_cache(struct kunit *test)
{
	struct whorl_container *first, *again;
	struct cgroup *cgrp;
	u32 cached;

	/* Arrange */
	first = kunit_kzalloc(test, sizeof(*first), GFP_KERNEL);
	again = kunit_kzalloc(test, sizeof(*again), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, first);
	KUNIT_ASSERT_NOT_NULL(test, again);
	cgrp = cgroup_get_from_path(FIXTURE_DOCKER_SCOPE);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR(cgrp), "cgroup %s missing",
			       FIXTURE_DOCKER_SCOPE);
	whorl_container_forget_all();
	KUNIT_ASSERT_EQ(test, whorl_container_resolve(cgrp, first), 0);
	cached = whorl_container_cached();

	/* Act */
	KUNIT_EXPECT_EQ(test, whorl_container_resolve(cgrp, again), 0);

	/* Assert */
	KUNIT_EXPECT_EQ(test, whorl_container_cached(), cached);
	KUNIT_EXPECT_EQ(test, again->cgroup_id, first->cgroup_id);
	KUNIT_EXPECT_EQ(test, again->runtime, WHORL_RUNTIME_DOCKER);
	KUNIT_EXPECT_STREQ(test, again->id, first->id);
	KUNIT_EXPECT_STREQ(test, again->path, first->path);
	cgroup_put(cgrp);
}

/* Cgroup ids no real cgroup has this early in a boot. */
#define FAKE_CGROUP_ID(i) (0x7ead000000000000ULL + (i))

static void remember_fake(struct whorl_container *c, u64 cgroup_id, u8 runtime)
{
	c->key = cgroup_id;
	c->cgroup_id = cgroup_id;
	c->runtime = runtime;
	strscpy(c->id, runtime == WHORL_RUNTIME_NONE ? "" : ID_DOCKER, sizeof(c->id));
	strscpy(c->path, "/system.slice/docker-" ID_DOCKER ".scope", sizeof(c->path));
	whorl_container_remember(c);
}

static void uncached_cgroup_is_not_peekable(struct kunit *test)
{
	u8 runtime = 0xff;

	/* Arrange */
	whorl_container_forget_all();

	/* Act, Assert */
	KUNIT_EXPECT_FALSE(test, whorl_container_peek(FAKE_CGROUP_ID(1), &runtime));
	KUNIT_EXPECT_EQ(test, runtime, 0xff);
}

static void first_answer_for_a_cgroup_stays(struct kunit *test)
{
	struct whorl_container *c;
	u8 runtime = 0xff;

	/* Arrange */
	c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	whorl_container_forget_all();
	remember_fake(c, FAKE_CGROUP_ID(7), WHORL_RUNTIME_DOCKER);

	/* Act */
	remember_fake(c, FAKE_CGROUP_ID(7), WHORL_RUNTIME_NONE);

	/* Assert */
	KUNIT_EXPECT_EQ(test, whorl_container_cached(), 1U);
	KUNIT_EXPECT_TRUE(test, whorl_container_peek(FAKE_CGROUP_ID(7), &runtime));
	KUNIT_EXPECT_EQ(test, runtime, WHORL_RUNTIME_DOCKER);
	whorl_container_forget_all();
}

static void full_cache_evicts_the_oldest_unread_cgroup(struct kunit *test)
{
	struct whorl_container *c;
	u8 runtime;
	u32 i;

	/* Arrange: a full cache; the oldest entry was read since. */
	c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	whorl_container_forget_all();
	for (i = 0; i < WHORL_CGROUP_CACHE_MAX; i++)
		remember_fake(c, FAKE_CGROUP_ID(i), WHORL_RUNTIME_DOCKER);
	KUNIT_ASSERT_EQ(test, whorl_container_cached(), (u32)WHORL_CGROUP_CACHE_MAX);
	KUNIT_ASSERT_TRUE(test, whorl_container_peek(FAKE_CGROUP_ID(0), &runtime));

	/* Act */
	remember_fake(c, FAKE_CGROUP_ID(WHORL_CGROUP_CACHE_MAX), WHORL_RUNTIME_CRIO);

	/* Assert */
	KUNIT_EXPECT_EQ(test, whorl_container_cached(), (u32)WHORL_CGROUP_CACHE_MAX);
	KUNIT_EXPECT_TRUE_MSG(test, whorl_container_peek(FAKE_CGROUP_ID(0), &runtime),
			      "a recently read cgroup was evicted");
	KUNIT_EXPECT_FALSE_MSG(test, whorl_container_peek(FAKE_CGROUP_ID(1), &runtime),
			       "the oldest unread cgroup was kept");
	KUNIT_EXPECT_TRUE(test, whorl_container_peek(FAKE_CGROUP_ID(WHORL_CGROUP_CACHE_MAX),
						     &runtime));
	KUNIT_EXPECT_EQ(test, runtime, WHORL_RUNTIME_CRIO);
	whorl_container_forget_all();
	KUNIT_EXPECT_EQ(test, whorl_container_cached(), 0U);
}

static void cache_never_grows_past_its_bound(struct kunit *test)
{
	struct whorl_container *c;
	u8 runtime;
	u32 i, found = 0;

	/* Arrange */
	c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	whorl_container_forget_all();

	/* Act: twice the bound, every entry read once when new. */
	for (i = 0; i < 2 * WHORL_CGROUP_CACHE_MAX; i++) {
		remember_fake(c, FAKE_CGROUP_ID(i), WHORL_RUNTIME_DOCKER);
		whorl_container_peek(FAKE_CGROUP_ID(i), &runtime);
	}

	/* Assert */
	KUNIT_EXPECT_EQ(test, whorl_container_cached(), (u32)WHORL_CGROUP_CACHE_MAX);
	for (i = 0; i < 2 * WHORL_CGROUP_CACHE_MAX; i++)
		found += whorl_container_peek(FAKE_CGROUP_ID(i), &runtime);
	KUNIT_EXPECT_EQ(test, found, (u32)WHORL_CGROUP_CACHE_MAX);
	KUNIT_EXPECT_TRUE_MSG(test, whorl_container_peek(FAKE_CGROUP_ID(2 * WHORL_CGROUP_CACHE_MAX - 1),
							 &runtime),
			      "the newest cgroup was evicted");
	whorl_container_forget_all();
}

/* On cgroup v2 a cgroup's cache key is its id, and a task's cgroup is its v2 one. */
static void v2_cgroup_key_is_its_id_and_task_cgroup_is_the_v2_one(struct kunit *test)
{
	struct cgroup *cgrp = cgroup_get_from_path(FIXTURE_DOCKER_SCOPE);
	struct cgroup *mine;

	KUNIT_ASSERT_FALSE(test, IS_ERR(cgrp));
	KUNIT_EXPECT_EQ(test, whorl_cgroup_key(cgrp), cgroup_id(cgrp));
	cgroup_put(cgrp);

	rcu_read_lock();
	mine = whorl_task_cgroup(current);
	KUNIT_EXPECT_PTR_EQ(test, mine, task_dfl_cgroup(current));
	rcu_read_unlock();
}

/* Status names the containers refused most: lines merge by key, and the least gives way. */
static void ct_stats_keep_the_containers_refused_most(struct kunit *test)
{
	struct whorl_ct_stat *st;
	unsigned int n = 0, i;

	st = kunit_kcalloc(test, WHORL_CT_STATS_MAX, sizeof(*st), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, st);
	for (i = 0; i < WHORL_CT_STATS_MAX; i++)
		n = whorl_ct_stat_add(st, n, 1000 + i, i + 1, 0);
	KUNIT_EXPECT_EQ(test, n, WHORL_CT_STATS_MAX);
	/* the same container's budget refusals join its share line */
	n = whorl_ct_stat_add(st, n, 1005, 0, 7);
	KUNIT_EXPECT_EQ(test, n, WHORL_CT_STATS_MAX);
	KUNIT_EXPECT_EQ(test, st[5].over_share, 6ULL);
	KUNIT_EXPECT_EQ(test, st[5].over_budget, 7ULL);
	/* full: a container refused less than all is left out ... */
	n = whorl_ct_stat_add(st, n, 5000, 1, 0);
	for (i = 0; i < n; i++)
		KUNIT_EXPECT_NE(test, st[i].key, 5000ULL);
	/* ... one refused more takes the place of the least (1000, refused once) */
	n = whorl_ct_stat_add(st, n, 6000, 100, 0);
	KUNIT_EXPECT_EQ(test, st[0].key, 6000ULL);
	KUNIT_EXPECT_EQ(test, st[0].over_share, 100ULL);
}

static struct kunit_case container_test_cases[] = {
	KUNIT_CASE_PARAM(cgroup_path_names_runtime_and_id, parse_gen_params),
	KUNIT_CASE(id_is_cut_to_a_small_buffer_runtime_still_named),
	KUNIT_CASE(runtime_alone_needs_no_id_buffer),
	KUNIT_CASE_PARAM(real_cgroup_resolves_and_is_then_peekable, resolve_gen_params),
	KUNIT_CASE(second_resolve_is_served_from_the_cache),
	KUNIT_CASE(uncached_cgroup_is_not_peekable),
	KUNIT_CASE(first_answer_for_a_cgroup_stays),
	KUNIT_CASE(full_cache_evicts_the_oldest_unread_cgroup),
	KUNIT_CASE(cache_never_grows_past_its_bound),
	KUNIT_CASE(v2_cgroup_key_is_its_id_and_task_cgroup_is_the_v2_one),
	KUNIT_CASE(ct_stats_keep_the_containers_refused_most),
	{}
};

static struct kunit_suite container_test_suite = {
	.name = "whorl_container",
	.test_cases = container_test_cases,
};
kunit_test_suite(container_test_suite);
