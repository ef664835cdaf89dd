// SPDX-License-Identifier: GPL-2.0
/*
 * runas.c - run a program as another actor: another user, without a capability, in a new user
 * namespace (mapped as a container runtime maps one), in a new network namespace. Busybox has
 * no setpriv or unshare with uid maps, and the access tests need each of these exactly.
 *
 *   whorl-runas [-u UID] [-g GID] [-d CAP]... [-U INSIDE:OUTSIDE:COUNT] [-n] PROG [ARG]...
 *     -d CAP   drop capability number CAP (e.g. 12, CAP_NET_ADMIN) from every set, the bounding
 *              set included, so that not even an exec as root brings it back
 *     -u, -g   become UID and GID (supplementary groups cleared); with -U, inside the namespace
 *     -U I:O:N a new user namespace; its uid and gid maps "I O N" are written from outside, by
 *              the parent, as runc or podman write them; the program runs as uid and gid I
 *     -n       a new network namespace (owned by the new user namespace with -U)
 * The exit status is the program's (or 126 when this program itself failed).
 */

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/capability.h>

static void die(const char *what)
{
	fprintf(stderr, "whorl-runas: %s: %s\n", what, strerror(errno));
	exit(126);
}

static void drop_cap(unsigned int cap)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];

	if (cap > CAP_LAST_CAP) {
		errno = EINVAL;
		die("-d");
	}
	if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0)
		die("PR_CAPBSET_DROP");
	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	if (syscall(SYS_capget, &hdr, data) < 0)
		die("capget");
	data[cap / 32].effective &= ~(1U << (cap % 32));
	data[cap / 32].permitted &= ~(1U << (cap % 32));
	data[cap / 32].inheritable &= ~(1U << (cap % 32));
	if (syscall(SYS_capset, &hdr, data) < 0)
		die("capset");
}

static void write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		die(path);
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		die(path);
	close(fd);
}

static void become(long uid, long gid)
{
	if (gid >= 0) {
		if (setgroups(0, NULL) < 0)
			die("setgroups");
		if (setresgid((gid_t)gid, (gid_t)gid, (gid_t)gid) < 0)
			die("setresgid");
	}
	if (uid >= 0 && setresuid((uid_t)uid, (uid_t)uid, (uid_t)uid) < 0)
		die("setresuid");
}

int main(int argc, char **argv)
{
	long uid = -1, gid = -1, in = -1, out = -1, count = -1;
	int opt, netns = 0, caps[64], ncaps = 0, i, status, up[2], go[2];
	char path[64], map[96], c;
	pid_t pid;

	while ((opt = getopt(argc, argv, "+u:g:d:U:n")) != -1) {
		switch (opt) {
		case 'u': uid = strtol(optarg, NULL, 10); break;
		case 'g': gid = strtol(optarg, NULL, 10); break;
		case 'd':
			if (ncaps < 64)
				caps[ncaps++] = atoi(optarg);
			break;
		case 'U':
			if (sscanf(optarg, "%ld:%ld:%ld", &in, &out, &count) != 3 || in < 0 ||
			    out < 0 || count < 1) {
				fprintf(stderr, "whorl-runas: -U wants INSIDE:OUTSIDE:COUNT\n");
				return 126;
			}
			break;
		case 'n': netns = 1; break;
		default:
			fprintf(stderr, "usage: whorl-runas [-u UID] [-g GID] [-d CAP]... "
				"[-U INSIDE:OUTSIDE:COUNT] [-n] PROG [ARG]...\n");
			return 126;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "whorl-runas: no program\n");
		return 126;
	}
	for (i = 0; i < ncaps; i++)
		drop_cap((unsigned int)caps[i]);

	if (in < 0) {
		if (netns && unshare(CLONE_NEWNET) < 0)
			die("unshare(CLONE_NEWNET)");
		become(uid, gid);
		execvp(argv[optind], argv + optind);
		die(argv[optind]);
	}

	/* A user namespace: the child unshares, the parent (still outside) writes its maps. */
	if (pipe(up) < 0 || pipe(go) < 0)
		die("pipe");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (!pid) {
		close(up[0]);
		close(go[1]);
		if (unshare(CLONE_NEWUSER | (netns ? CLONE_NEWNET : 0)) < 0)
			die("unshare(CLONE_NEWUSER)");
		if (write(up[1], "u", 1) != 1)
			die("pipe");
		if (read(go[0], &c, 1) != 1)
			_exit(126);	/* the parent could not map us; it said why */
		become(uid >= 0 ? uid : in, gid >= 0 ? gid : in);
		execvp(argv[optind], argv + optind);
		die(argv[optind]);
	}
	close(up[1]);
	close(go[0]);
	if (read(up[0], &c, 1) != 1) {
		waitpid(pid, &status, 0);
		return 126;
	}
	snprintf(map, sizeof(map), "%ld %ld %ld\n", in, out, count);
	snprintf(path, sizeof(path), "/proc/%d/uid_map", (int)pid);
	write_file(path, map);
	snprintf(path, sizeof(path), "/proc/%d/gid_map", (int)pid);
	write_file(path, map);
	if (write(go[1], "g", 1) != 1)
		die("pipe");
	close(go[1]);
	if (waitpid(pid, &status, 0) < 0)
		die("waitpid");
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
