// SPDX-License-Identifier: GPL-2.0
/*
 * mounts_test.c - diskPath from (device, path in the filesystem) through a host's mountinfo
 * (tests/fixtures/state/proc/1/mountinfo): longest root, component boundaries, escapes, misses,
 * and the table read again when it changes, fixtures and the live procfs alike.
 */

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "finding.h"
#include "mounts.h"
#include "testlib.h"

#define LIBLZMA "/usr/lib/x86_64-linux-gnu/liblzma.so.5.4.1"

static struct whorl_mounts fixture;

static int setup_fixture(void **state)
{
	(void)state;
	return whorl_mounts_init(&fixture, t_fixture(T_MOUNTINFO));
}

static int teardown_fixture(void **state)
{
	(void)state;
	whorl_mounts_free(&fixture);
	return 0;
}

static void check_path(const char *got, const char *want)
{
	if (!want && got)
		fail_msg("expected no diskPath, got '%s'", got);
	if (want && (!got || strcmp(got, want)))
		fail_msg("expected '%s', got '%s'", want, got ? got : "(none)");
}

struct resolve_case {
	const char *name;
	uint32_t dev;
	const char *fs_path;
	const char *want;		/* NULL: no diskPath */
};

static const struct resolve_case cases[] = {
	{ "overlay_file_resolves_under_the_bundle_rootfs", T_DOCKER_DEV, LIBLZMA,
	  T_DOCKER_ROOTFS LIBLZMA },
	{ "overlay_mounted_twice_resolves_through_the_first", T_DOCKER_DEV, "/usr/bin/xz",
	  T_DOCKER_ROOTFS "/usr/bin/xz" },
	{ "overlay_root_is_the_rootfs_itself", T_DOCKER_DEV, "/", T_DOCKER_ROOTFS },
	{ "kubernetes_overlay_file", T_K8S_DEV, "/tmp/.x", T_K8S_ROOTFS "/tmp/.x" },
	{ "host_root_file_is_its_own_path", T_DEV(259, 2), "/usr/bin/ls", "/usr/bin/ls" },
	{ "host_root_itself_is_slash", T_DEV(259, 2), "/", "/" },
	{ "bind_mount_resolves_through_the_longest_root", T_DEV(8, 17),
	  "/var/lib/containerd/x", "/var/lib/containerd/x" },
	{ "bind_mount_root_itself_is_its_mount_point", T_DEV(8, 17), "/var/lib", "/var/lib" },
	{ "outside_the_bind_resolves_through_the_whole_filesystem", T_DEV(8, 17),
	  "/home/user/notes", "/data/home/user/notes" },
	{ "root_prefix_matches_on_a_component_boundary_only", T_DEV(8, 17), "/var/lib2/x",
	  "/data/var/lib2/x" },
	{ "escaped_space_in_the_mount_point_is_decoded", T_DEV(8, 33), "/photos/a b.jpg",
	  "/mnt/usb stick/photos/a b.jpg" },
	{ "escaped_tab_newline_backslash_are_decoded", T_DEV(8, 49), "/f",
	  "/mnt/odd\ttab\nnl\\bs/f" },
	{ "container_shm_on_the_host_resolves", T_DEV(0, 124), "/payload",
	  "/var/lib/docker/containers/" T_DOCKER_ID "/mounts/shm/payload" },
	{ "tmpfs_file", T_DEV(0, 40), "/.x/run", "/tmp/.x/run" },
	{ "unknown_device_has_no_disk_path", T_DEV(0, 999), "/usr/bin/xz", NULL },
	{ "memfd_has_no_disk_path", T_DEV(0, 1), "/memfd:payload (deleted)", NULL },
	{ "same_minor_other_major_has_no_disk_path", T_DEV(1, 123), "/usr/bin/xz", NULL },
	{ "relative_path_has_no_disk_path", T_DOCKER_DEV, "usr/bin/xz", NULL },
	{ "empty_path_has_no_disk_path", T_DOCKER_DEV, "", NULL },
};

static void resolves_through_the_host_mount_table(void **state)
{
	const struct resolve_case *c = *state;
	char *got = whorl_mounts_resolve(&fixture, c->dev, c->fs_path);

	check_path(got, c->want);
	free(got);
}

static void finding_files_get_their_disk_paths(void **state)
{
	struct t_finding tf = t_modified_liblzma();
	struct whorl_finding f;
	static char buf[16384];
	size_t len;

	(void)state;
	tf.binary.fs_path = NULL;		/* no path in the filesystem: none on the host */
	len = t_build_finding(buf, &tf);
	assert_int_equal(whorl_finding_parse(buf, len, &f), 0);
	assert_null(f.library.disk_path);
	whorl_mounts_fill(&fixture, &f);
	check_path(f.library.disk_path, T_DOCKER_ROOTFS LIBLZMA);
	assert_null(f.binary.disk_path);
	whorl_finding_free(&f);
}

/* --- the table read again ------------------------------------------------------------------- */

static char dir[] = "/tmp/whorl-mounts-test.XXXXXX";

#define PATH_LEN 4096

static void tmp_path(char out[PATH_LEN], const char *rel)
{
	snprintf(out, PATH_LEN, "%s/%s", dir, rel);
}

static void write_file(const char *path, const char *text, const char *mode)
{
	FILE *f = fopen(path, mode);

	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

/* The fixture copied to @path. */
static void copy_fixture(const char *path)
{
	static char text[65536];
	FILE *f = fopen(t_fixture(T_MOUNTINFO), "r");
	size_t n;

	assert_non_null(f);
	n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	write_file(path, text, "w");
}

#define NEW_ID "d00dfeedd00dfeedd00dfeedd00dfeedd00dfeedd00dfeedd00dfeedd00dfeed"
#define NEW_ROOTFS "/run/containerd/io.containerd.runtime.v2.task/k8s.io/" NEW_ID "/rootfs"
#define NEW_LINE(dev) \
	"700 29 " dev " / " NEW_ROOTFS " rw,relatime shared:400 - overlay overlay rw,lowerdir=/l\n"

static void mount_added_after_the_first_read_is_found(void **state)
{
	struct whorl_mounts m;
	char path[PATH_LEN], *got;

	(void)state;
	tmp_path(path, "appended");
	copy_fixture(path);
	assert_int_equal(whorl_mounts_init(&m, path), 0);
	assert_null(whorl_mounts_resolve(&m, T_DEV(0, 140), "/bin/sh"));
	/* A container starts just before its first finding. */
	write_file(path, NEW_LINE("0:140"), "a");
	got = whorl_mounts_resolve(&m, T_DEV(0, 140), "/bin/sh");
	check_path(got, NEW_ROOTFS "/bin/sh");
	assert_int_equal(m.reads, 2);
	free(got);
	whorl_mounts_free(&m);
	unlink(path);
}

static void miss_on_an_unchanged_table_does_not_read_it_again(void **state)
{
	struct whorl_mounts m;
	char path[PATH_LEN];
	int i;

	(void)state;
	tmp_path(path, "unchanged");
	copy_fixture(path);
	assert_int_equal(whorl_mounts_init(&m, path), 0);
	for (i = 0; i < 1000; i++)
		assert_null(whorl_mounts_resolve(&m, T_DEV(0, 1), "/memfd:x"));
	/* At most once a second whatever: this loop takes far less (or one more read). */
	assert_true(m.reads <= 2);
	whorl_mounts_free(&m);
	unlink(path);
}

/* Anonymous device numbers are reused: a hit must not come from a table gone stale. */
static void device_number_reused_by_a_new_mount_resolves_there(void **state)
{
	struct whorl_mounts m;
	char path[PATH_LEN], next[PATH_LEN], *got;

	(void)state;
	tmp_path(path, "reused");
	tmp_path(next, "reused.new");
	copy_fixture(path);
	assert_int_equal(whorl_mounts_init(&m, path), 0);
	got = whorl_mounts_resolve(&m, T_DOCKER_DEV, "/usr/bin/xz");
	check_path(got, T_DOCKER_ROOTFS "/usr/bin/xz");
	free(got);
	/* The Docker container is gone; a new one has its overlay's number. */
	write_file(next, "24 1 259:2 / / rw,relatime shared:1 - ext4 /dev/nvme0n1p2 rw\n"
		   NEW_LINE("0:123"), "w");
	assert_int_equal(rename(next, path), 0);
	got = whorl_mounts_resolve(&m, T_DOCKER_DEV, "/usr/bin/xz");
	check_path(got, NEW_ROOTFS "/usr/bin/xz");
	free(got);
	whorl_mounts_free(&m);
	unlink(path);
}

static void default_is_proc_1_under_the_state_root(void **state)
{
	struct whorl_mounts m;
	char *got;

	(void)state;
	setenv("WHORL_STATE_ROOT", t_fixture("state"), 1);
	assert_int_equal(whorl_mounts_init(&m, NULL), 0);
	unsetenv("WHORL_STATE_ROOT");
	assert_non_null(strstr(m.path[m.cur], "/proc/1/mountinfo"));
	got = whorl_mounts_resolve(&m, T_K8S_DEV, "/tmp/.x");
	check_path(got, T_K8S_ROOTFS "/tmp/.x");
	free(got);
	whorl_mounts_free(&m);
}

static void falls_back_to_proc_self_when_proc_1_is_unreadable(void **state)
{
	struct whorl_mounts m;
	char root[PATH_LEN], proc[PATH_LEN], self[PATH_LEN], file[PATH_LEN], *got;

	(void)state;
	tmp_path(root, "root");
	tmp_path(proc, "root/proc");
	tmp_path(self, "root/proc/self");
	tmp_path(file, "root/proc/self/mountinfo");
	assert_int_equal(mkdir(root, 0700), 0);
	assert_int_equal(mkdir(proc, 0700), 0);
	assert_int_equal(mkdir(self, 0700), 0);
	copy_fixture(file);
	setenv("WHORL_STATE_ROOT", root, 1);
	assert_int_equal(whorl_mounts_init(&m, NULL), 0);
	unsetenv("WHORL_STATE_ROOT");
	assert_int_equal(m.cur, 1);
	got = whorl_mounts_resolve(&m, T_DOCKER_DEV, "/usr/bin/xz");
	check_path(got, T_DOCKER_ROOTFS "/usr/bin/xz");
	free(got);
	whorl_mounts_free(&m);
	unlink(file);
	rmdir(self);
	rmdir(proc);
	rmdir(root);
}

static void unreadable_table_gives_no_disk_paths(void **state)
{
	struct whorl_mounts m;
	char path[PATH_LEN];

	(void)state;
	tmp_path(path, "absent");
	assert_int_equal(whorl_mounts_init(&m, path), -ENOENT);
	assert_null(whorl_mounts_resolve(&m, T_DOCKER_DEV, "/usr/bin/xz"));
	whorl_mounts_free(&m);
}

/* --- the live procfs ------------------------------------------------------------------------ */

static uint32_t kdev(dev_t d)
{
	return T_DEV(major(d), minor(d));
}

static void live_table_resolves_proc(void **state)
{
	struct whorl_mounts m;
	struct stat st;
	char *got;
	int i;

	(void)state;
	assert_int_equal(whorl_mounts_init(&m, "/proc/self/mountinfo"), 0);
	assert_true(m.is_proc);
	assert_int_equal(stat("/proc", &st), 0);
	got = whorl_mounts_resolve(&m, kdev(st.st_dev), "/");
	check_path(got, "/proc");
	free(got);
	for (i = 0; i < 1000; i++)
		assert_null(whorl_mounts_resolve(&m, T_DEV(0, 1), "/memfd:x"));
	assert_true(m.reads <= 3);	/* the table might change under us, once */
	whorl_mounts_free(&m);
}

/* poll() on procfs's mountinfo: a mount made just before a finding is found. Needs root. */
static void live_mount_made_after_the_first_read_is_found(void **state)
{
	struct whorl_mounts m;
	char point[PATH_LEN], want[PATH_LEN + 8], *got;
	unsigned long reads;
	struct stat st;

	(void)state;
	tmp_path(point, "mnt");
	snprintf(want, sizeof(want), "%s/a b/x", point);
	/* A mount namespace of our own, private: nothing reaches the host's. */
	if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL)) {
		print_message("skipped: no CAP_SYS_ADMIN for a private mount namespace\n");
		skip();
	}
	assert_int_equal(mkdir(point, 0700), 0);
	assert_int_equal(whorl_mounts_init(&m, "/proc/self/mountinfo"), 0);
	reads = m.reads;
	assert_int_equal(mount("whorl-test", point, "tmpfs", 0, "size=64k"), 0);
	assert_int_equal(stat(point, &st), 0);
	got = whorl_mounts_resolve(&m, kdev(st.st_dev), "/a b/x");
	check_path(got, want);
	assert_int_equal(m.reads, reads + 1);
	free(got);
	assert_int_equal(umount(point), 0);
	assert_null(whorl_mounts_resolve(&m, kdev(st.st_dev), "/a b/x"));
	whorl_mounts_free(&m);
	rmdir(point);
}

int main(void)
{
	struct CMUnitTest tests[48];
	size_t i, n = 0;
	int ret;

	if (!mkdtemp(dir)) {
		perror("mounts-test");
		return 1;
	}
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		tests[n++] = (struct CMUnitTest){ cases[i].name,
			resolves_through_the_host_mount_table, NULL, NULL, (void *)&cases[i] };
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(finding_files_get_their_disk_paths);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(mount_added_after_the_first_read_is_found);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(
		miss_on_an_unchanged_table_does_not_read_it_again);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(
		device_number_reused_by_a_new_mount_resolves_there);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(default_is_proc_1_under_the_state_root);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(
		falls_back_to_proc_self_when_proc_1_is_unreadable);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(unreadable_table_gives_no_disk_paths);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(live_table_resolves_proc);
	/* last: it leaves the process in a mount namespace of its own */
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(
		live_mount_made_after_the_first_read_is_found);
	ret = _cmocka_run_group_tests("mounts", tests, n, setup_fixture, teardown_fixture);
	rmdir(dir);
	return ret;
}
