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
	const char **rules;		/* --rules DIR|FILE: Sigma rules judging every exec */
	int nrules;
	const char **env;		/* --env NAME: the variables exec events carry, or NULL */
	int nenv;			/* for WHORL_RELAY_ENV_DEFAULT */
	const char *exec_log;		/* --exec-log FILE: each exec's Sigma event, a line */
	int min_severity;		/* --min-level: enum whorl_sigma_severity reported */
	const char **disabled;		/* --disable-rule NAME: a rule's id or file name */
	int ndisabled;
};

/* The environment variables exec events carry unless --env says (docs/SIGMA.md). */
#define WHORL_RELAY_ENV_DEFAULT							\
	"LD_PRELOAD", "LD_LIBRARY_PATH", "LD_AUDIT", "GCONV_PATH", "HTTP_PROXY",	\
	"HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "no_proxy"
/* execs checked per second for processes gone (the tree's reclaiming, proctree.h) */
#define WHORL_RELAY_SWEEP_BUDGET 256

/* The socket's receive buffer by default: findings the kernel may queue for a slow reader. */
#define WHORL_RELAY_RCVBUF	(16 << 20)

/* Runs until SIGINT/SIGTERM (returns 0) or a fatal error (returns 1). */
int whorl_relay(const struct whorl_relay_opts *opts);

#endif /* WHORL_RELAY_H */
