// SPDX-License-Identifier: GPL-2.0
/* notify_test.c - systemd's readiness message reaches $NOTIFY_SOCKET, path or abstract. */

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <cmocka.h>

#include "notify.h"

/* A datagram socket listening at @name ("@..." is abstract); returns its fd. */
static int listener(const char *name)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	size_t n = strlen(name);
	int fd = socket(AF_UNIX, SOCK_DGRAM, 0);

	assert_true(fd >= 0);
	memcpy(sa.sun_path, name, n);
	if (name[0] == '@')
		sa.sun_path[0] = '\0';
	else
		unlink(name);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, offsetof(struct sockaddr_un, sun_path) + n), 0);
	return fd;
}

static void expect_message(const char *name)
{
	char got[64];
	ssize_t n;
	int fd = listener(name);

	setenv("NOTIFY_SOCKET", name, 1);
	assert_int_equal(whorl_notify("READY=1\nSTATUS=relaying findings"), 0);
	n = recv(fd, got, sizeof(got) - 1, MSG_DONTWAIT);
	assert_true(n > 0);
	got[n] = '\0';
	assert_string_equal(got, "READY=1\nSTATUS=relaying findings");
	close(fd);
	if (name[0] != '@')
		unlink(name);
	unsetenv("NOTIFY_SOCKET");
}

static void ready_reaches_a_path_socket(void **state)
{
	char name[64];

	(void)state;
	snprintf(name, sizeof(name), "/tmp/whorl-notify-%d", (int)getpid());
	expect_message(name);
}

static void ready_reaches_an_abstract_socket(void **state)
{
	char name[64];

	(void)state;
	snprintf(name, sizeof(name), "@whorl-notify-%d", (int)getpid());
	expect_message(name);
}

static void no_notify_socket_is_not_an_error(void **state)
{
	(void)state;
	unsetenv("NOTIFY_SOCKET");
	assert_int_equal(whorl_notify("READY=1"), 0);
}

static void relative_notify_socket_is_refused(void **state)
{
	(void)state;
	setenv("NOTIFY_SOCKET", "run/notify", 1);
	assert_int_equal(whorl_notify("READY=1"), -EINVAL);
	unsetenv("NOTIFY_SOCKET");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ready_reaches_a_path_socket),
		cmocka_unit_test(ready_reaches_an_abstract_socket),
		cmocka_unit_test(no_notify_socket_is_not_an_error),
		cmocka_unit_test(relative_notify_socket_is_refused),
	};

	return cmocka_run_group_tests_name("notify", tests, NULL, NULL);
}
