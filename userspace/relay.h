/* SPDX-License-Identifier: GPL-2.0 */
/* relay.h - `whorl relay`: load intel, subscribe, write one finding per line. */
#ifndef WHORL_RELAY_H
#define WHORL_RELAY_H

#include <stdint.h>

/* --format: SCC v2 export JSON (the default), today's flat JSON, or one readable line. */
enum whorl_format {
	WHORL_FORMAT_SCC,
	WHORL_FORMAT_FLAT,
	WHORL_FORMAT_TEXT,
};

struct whorl_relay_opts {
	const char **intel;		/* intel files, loaded together as one set */
	int nintel;
	enum whorl_format format;
	const char *output;		/* --output PATH, or NULL for stdout */
	uint32_t enable;		/* kinds to switch on (--enable) */
	int rcvbuf;			/* --rcvbuf BYTES, or 0 for the default */
	int no_layout;			/* --no-layout: keep the module's own overlayfs layout */
};

/* The socket's receive buffer by default: findings the kernel may queue for a slow reader. */
#define WHORL_RELAY_RCVBUF	(16 << 20)

/* Runs until SIGINT/SIGTERM (returns 0) or a fatal error (returns 1). */
int whorl_relay(const struct whorl_relay_opts *opts);

#endif /* WHORL_RELAY_H */
