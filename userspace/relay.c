// SPDX-License-Identifier: GPL-2.0
/*
 * relay.c - `whorl relay`. Intel is loaded on a short-lived control socket; findings arrive by
 * unicast on the subscribed relay socket, with per-subscriber sequence numbers whose gaps are
 * the kernel's drops. A third socket listens to nlctrl's notifications, so that a module
 * unloaded and loaded again is resubscribed (with intel and --enable applied again) instead of
 * leaving a relay that silently hears nothing. With --rules, the module also sends every exec
 * in a container, which the relay judges with Sigma rules (execev.h) and reports as findings.
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/whorl.h>

#include "enrich.h"
#include "execev.h"
#include "finding.h"
#include "intel.h"
#include "json.h"
#include "layout.h"
#include "mounts.h"
#include "netlink.h"
#include "notify.h"
#include "relay.h"
#include "scc.h"
#include "sigma.h"
#include "status.h"
#include "text.h"

/* Room for bursts: a finding is ~1-5 KiB, the kernel never waits for us. */

struct relay {
	const struct whorl_relay_opts *opts;
	FILE *out;
	int out_fd;
	char host[256];
	const char *state_root;
	struct whorl_mounts mounts;	/* the host's mount table, for diskPath */
	struct whorl_nl nl;		/* the subscribed socket; nl.sock NULL while unsubscribed */
	struct whorl_seq seq;
	uint64_t written, skipped;
	uint64_t state_refused;		/* runtime state files or fields not used (enrich.h) */
	int write_failed;
	/* --rules */
	struct whorl_sigma_set *rules;	/* NULL without --rules */
	struct whorl_urls urls;		/* intel's url: lines */
	struct whorl_exec_ctx exec;
	struct whorl_exec_result res;
	FILE *exec_log;
	uint64_t execs, matches, below_level, last_sweep;
	int exec_on;			/* we turned exec events on */
};

static volatile sig_atomic_t got_stop, got_hup;

static void on_signal(int sig)
{
	if (sig == SIGHUP)
		got_hup = 1;
	else
		got_stop = 1;
}

static int open_output(struct relay *r)
{
	int fd;
	FILE *f;

	if (!r->opts->output) {
		r->out = stdout;
		return 0;
	}
	fd = open(r->opts->output, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
	if (fd < 0 || !(f = fdopen(fd, "a"))) {
		fprintf(stderr, "whorl: %s: %s\n", r->opts->output, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (r->out && r->out != stdout)
		fclose(r->out);
	r->out = f;
	return 0;
}

/*
 * Intel from every --intel file: hashes and name rules to the module, url: lines kept here for
 * the exec events (whorl.IntelUrl). A file that does not parse changes neither.
 */
static int load_intel(struct relay *r)
{
	const struct whorl_relay_opts *o = r->opts;
	struct whorl_intel set = { 0 };
	char err[WHORL_INTEL_ERR_MAX];
	struct whorl_nl nl;
	int i, ret;

	if (!o->nintel)
		return 0;
	for (i = 0; i < o->nintel; i++) {
		if (whorl_intel_load_file(&set, o->intel[i], err)) {
			fprintf(stderr, "whorl: %s; nothing loaded\n", err);
			whorl_intel_free(&set);
			return -1;
		}
	}
	whorl_urls_free(&r->urls);
	r->urls = set.urls;
	memset(&set.urls, 0, sizeof(set.urls));
	if (r->urls.n && !r->rules)
		fprintf(stderr, "whorl: %zu url: line(s) not used: URLs are looked for in exec "
			"events, which need --rules\n", r->urls.n);
	ret = whorl_nl_open(&nl);
	if (ret) {
		whorl_nl_perror(&nl, "intel load", ret);
		whorl_intel_free(&set);
		return -1;
	}
	ret = whorl_nl_intel_load(&nl, &set);
	if (ret)
		whorl_nl_perror(&nl, "intel load", ret);
	else
		fprintf(stderr, "whorl: intel loaded: %zu hashes, %zu name rules, %zu URLs\n",
			set.hashes, set.names, r->urls.n);
	whorl_nl_close(&nl);
	whorl_intel_free(&set);
	return ret ? -1 : 0;
}

static int enable_kinds(uint32_t enable)
{
	struct whorl_config_req req = { .has_kinds = 1 };
	struct whorl_status st;
	struct whorl_nl nl;
	int ret;

	if (!enable)
		return 0;
	ret = whorl_nl_open(&nl);
	if (!ret)
		ret = whorl_nl_status(&nl, &st);
	if (!ret && !st.has_kinds)
		ret = -EPROTO;
	if (!ret) {
		req.kinds = st.kinds | enable;
		ret = whorl_nl_config(&nl, &req);
	}
	if (ret)
		whorl_nl_perror(&nl, "enabling kinds", ret);
	whorl_nl_close(&nl);
	return ret ? -1 : 0;
}

static int write_line(struct relay *r, const char *line)
{
	if (fputs(line, r->out) == EOF || fputc('\n', r->out) == EOF || fflush(r->out) == EOF) {
		fprintf(stderr, "whorl: writing findings: %s\n", strerror(errno));
		r->write_failed = 1;
		return -1;
	}
	return 0;
}

static void check_sequence(struct relay *r, uint64_t seq)
{
	uint64_t expected = r->seq.next, gap = whorl_seq_next(&r->seq, seq);

	if (gap)
		fprintf(stderr, "whorl: %" PRIu64 " finding(s) lost by the kernel before sequence %"
			PRIu64 " (relay too slow; %" PRIu64 " lost in all)\n",
			gap, seq, r->seq.lost);
	else if (seq < expected)
		fprintf(stderr, "whorl: sequence went back from %" PRIu64 " to %" PRIu64 "\n",
			expected - 1, seq);
}

/* createTime: when the relay wrote the finding. */
static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* The image layer @fl came from, as its runtime records it (enrich.h). */
static void resolve_layer(struct relay *r, struct whorl_file *fl,
			  const struct whorl_container_info *ci, unsigned int *refused)
{
	struct whorl_layer_info li;

	if (!fl->present || !fl->layer_dir ||
	    !whorl_enrich_layer(r->state_root, fl->layer_dir, ci ? ci->image_id : NULL, &li,
				refused))
		return;
	fl->layer_diff_id = li.diff_id;
	fl->layer_index = li.index;
	fl->layer_count = li.count;
}

/* --- exec events and Sigma rules ------------------------------------------------------------- */

/* Is @m switched off by --disable-rule? */
static int rule_disabled(const struct whorl_relay_opts *o, const struct whorl_sigma_meta *m)
{
	int i;

	for (i = 0; i < o->ndisabled; i++)
		if (whorl_sigma_meta_named(m, o->disabled[i]))
			return 1;
	return 0;
}

/* Each --disable-rule names a loaded rule. Return: how many do not (each reported). */
static int check_disabled(const struct whorl_relay_opts *o, const struct whorl_sigma_set *set)
{
	int i, bad = 0, off = 0;
	size_t k;

	for (i = 0; i < o->ndisabled; i++) {
		for (k = 0; k < set->n; k++)
			if (whorl_sigma_meta_named(whorl_sigma_rule_meta(set, k), o->disabled[i]))
				break;
		if (k == set->n) {
			fprintf(stderr, "whorl: --disable-rule %s: no loaded rule has that id or "
				"file name\n", o->disabled[i]);
			bad++;
		}
	}
	for (k = 0; k < set->n; k++)
		off += rule_disabled(o, whorl_sigma_rule_meta(set, k));
	if (o->ndisabled)
		fprintf(stderr, "whorl: rules switched off: %d\n", off);
	return bad;
}

static void print_refused(void *ctx, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "%s\n", msg);
}

/*
 * A new rule set from every --rules path. Return: the set (refused rules reported, the set's
 * unreadable count says whether a path could not be read), or NULL out of memory.
 */
static struct whorl_sigma_set *load_rules(const struct whorl_relay_opts *o)
{
	struct whorl_sigma_set *set = calloc(1, sizeof(*set));
	int i;

	for (i = 0; set && i < o->nrules; i++) {
		if (whorl_sigma_load_path(set, o->rules[i], print_refused, NULL)) {
			whorl_sigma_free(set);
			free(set);
			set = NULL;
		}
	}
	if (!set)
		fprintf(stderr, "whorl: out of memory loading rules\n");
	else
		fprintf(stderr, "whorl: rules: %zu loaded, %zu refused\n", set->n, set->refused);
	return set;
}

static void free_rules(struct whorl_sigma_set *set)
{
	if (set) {
		whorl_sigma_free(set);
		free(set);
	}
}

/* SIGHUP: the new set replaces the old only if every path could be read. */
static void reload_rules(struct relay *r)
{
	struct whorl_sigma_set *set = load_rules(r->opts);

	if (!set) {
		fprintf(stderr, "whorl: keeping the %zu rules loaded before\n", r->rules->n);
		return;
	}
	if (set->unreadable) {
		fprintf(stderr, "whorl: %zu rule path(s) could not be read; keeping the %zu rules "
			"loaded before\n", set->unreadable, r->rules->n);
		free_rules(set);
		return;
	}
	free_rules(r->rules);
	r->rules = set;
	check_disabled(r->opts, set);	/* a typo now is reported, the rules still used */
}

/* Exec events on (with the environment allow-list), or off. */
static int config_exec(const struct whorl_relay_opts *o, int on)
{
	static const char *const dflt[] = { WHORL_RELAY_ENV_DEFAULT };
	struct whorl_config_req req = { .has_exec_events = 1, .exec_events = on };
	struct whorl_nl nl;
	int ret;

	if (on) {
		req.env_names = o->env ? o->env : dflt;
		req.nenv_names = o->env ? (size_t)o->nenv : sizeof(dflt) / sizeof(dflt[0]);
	}
	ret = whorl_nl_open(&nl);
	if (!ret)
		ret = whorl_nl_config(&nl, &req);
	if (ret)
		whorl_nl_perror(&nl, on ? "turning exec events on" : "turning exec events off",
				ret);
	whorl_nl_close(&nl);
	return ret ? -1 : 0;
}

static uint64_t mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec;
}

static void resolve_layer(struct relay *r, struct whorl_file *fl,
			  const struct whorl_container_info *ci, unsigned int *refused);

static int write_obj(struct relay *r, json_object *o)
{
	char *text;
	int ret = 0;

	if (r->opts->format == WHORL_FORMAT_TEXT) {
		text = whorl_finding_text(o);
		ret = !text || write_line(r, text) ? -1 : 0;
		free(text);
		return ret;
	}
	return write_line(r, whorl_json_line(o));
}

/* One exec: into the tree, into the exec log, through the rules; a finding per match. */
static int on_exec(struct relay *r, struct whorl_finding *f)
{
	struct whorl_exec_result *res = &r->res;
	unsigned int refused = 0;
	uint64_t now = mono_s();
	json_object *o;
	size_t i;

	r->execs++;
	if (whorl_exec_judge(&r->exec, r->rules, f, now, res)) {
		fprintf(stderr, "whorl: out of memory judging an exec\n");
		return MNL_CB_OK;
	}
	if (r->exec_log) {
		o = whorl_sigma_event_json(&res->sev.ev);
		if (o && (fputs(whorl_json_line(o), r->exec_log) == EOF ||
			  fputc('\n', r->exec_log) == EOF || fflush(r->exec_log) == EOF)) {
			fprintf(stderr, "whorl: writing the exec log: %s; not written any more\n",
				strerror(errno));
			fclose(r->exec_log);
			r->exec_log = NULL;
		}
		json_object_put(o);
	}
	if (res->nhits) {
		/* only for a finding: the host's path and the image layer cost reads */
		whorl_mounts_fill(&r->mounts, f);
		resolve_layer(r, &f->binary, res->ci, &refused);
		r->state_refused += refused;
	}
	for (i = 0; i < res->nhits; i++) {
		/* below --min-level: counted, not reported (SigmaHQ's hunting rules match routine) */
		if ((int)res->hits[i]->severity < r->opts->min_severity) {
			r->below_level++;
			continue;
		}
		if (rule_disabled(r->opts, res->hits[i]))
			continue;
		if (r->opts->format == WHORL_FORMAT_SCC)
			o = whorl_rule_finding_scc(res->hits[i], f, res,
						   r->host[0] ? r->host : NULL, now_ns());
		else
			o = whorl_rule_finding_json(res->hits[i], f, res,
						    r->host[0] ? r->host : NULL);
		if (!o) {
			fprintf(stderr, "whorl: out of memory writing a rule's finding\n");
			continue;
		}
		if (write_obj(r, o)) {
			json_object_put(o);
			return MNL_CB_ERROR;
		}
		json_object_put(o);
		r->written++;
		r->matches++;
	}
	if (now != r->last_sweep) {
		r->last_sweep = now;
		whorl_proctree_sweep(&r->exec.tree, r->state_root, now, WHORL_RELAY_SWEEP_BUDGET);
	}
	return MNL_CB_OK;
}

static int on_finding(const struct nlmsghdr *nlh, void *data)
{
	struct relay *r = data;
	struct whorl_container_info ci, *cip = NULL;
	struct whorl_finding f;
	json_object *o;
	char *text;
	int ret = MNL_CB_OK, err;

	err = whorl_finding_parse(nlh, nlh->nlmsg_len, &f);
	if (err) {
		if (err == -ENOMEM)
			fprintf(stderr, "whorl: out of memory parsing a finding\n");
		whorl_finding_free(&f);
		return MNL_CB_OK;	/* not a finding: nothing for the relay */
	}
	if (f.has_seq)
		check_sequence(r, f.seq);
	if (f.exec) {
		ret = r->rules ? on_exec(r, &f) : MNL_CB_OK;
		whorl_finding_free(&f);
		return ret;
	}
	whorl_mounts_fill(&r->mounts, &f);
	if (f.container_id && whorl_enrich(r->state_root, f.has_runtime ? f.runtime : 0,
					   f.container_id, &ci))
		cip = &ci;
	if (f.container_id) {
		resolve_layer(r, &f.binary, cip, &ci.refused);
		resolve_layer(r, &f.library, cip, &ci.refused);
	}
	if (f.container_id && ci.refused) {
		if (!r->state_refused)
			fprintf(stderr, "whorl: container %s: a runtime state file or field was not used "
				"(not a regular file, over %u MiB, or a field over %u bytes); its "
				"findings go out without what it said (counted at exit)\n",
				f.container_id, WHORL_STATE_FILE_MAX >> 20, WHORL_STATE_FIELD_MAX);
		r->state_refused += ci.refused;
	}
	if (r->opts->format == WHORL_FORMAT_SCC)
		o = whorl_finding_scc(&f, cip, r->host[0] ? r->host : NULL, now_ns());
	else
		o = whorl_finding_json(&f, cip, r->host[0] ? r->host : NULL);
	if (!o) {
		r->skipped++;
		fprintf(stderr, "whorl: finding %" PRIu64 " of kind %" PRIu32 " skipped: a kind this "
			"tool does not know (a newer module?)\n", f.seq, f.kind);
	} else if (r->opts->format == WHORL_FORMAT_TEXT) {
		text = whorl_finding_text(o);
		if (!text || write_line(r, text))
			ret = MNL_CB_ERROR;
		free(text);
	} else if (write_line(r, whorl_json_line(o))) {
		ret = MNL_CB_ERROR;
	}
	if (o && ret == MNL_CB_OK)
		r->written++;
	json_object_put(o);
	if (cip)
		whorl_container_info_free(cip);
	whorl_finding_free(&f);
	return ret;
}

/* Intel, --enable, a fresh subscribed socket; "ready" once findings can arrive. */
static int subscribe(struct relay *r)
{
	int ret;

	if (load_intel(r) || enable_kinds(r->opts->enable))
		return -1;
	ret = whorl_nl_open(&r->nl);
	if (ret) {
		whorl_nl_perror(&r->nl, "subscribe", ret);
		return -1;
	}
	if (whorl_nl_set_rcvbuf(&r->nl, r->opts->rcvbuf ? r->opts->rcvbuf : WHORL_RELAY_RCVBUF))
		fprintf(stderr, "whorl: could not enlarge the receive buffer: %s\n",
			strerror(errno));
	r->seq.next = 1;
	ret = whorl_nl_simple(&r->nl, WHORL_CMD_SUBSCRIBE, on_finding, r);
	if (ret) {
		whorl_nl_perror(&r->nl, "subscribe", ret);
		whorl_nl_close(&r->nl);
		return -1;
	}
	/*
	 * Then overlayfs's layout from the kernel's BTF (once allowed to, so that a refusal
	 * says one thing): when it cannot be read or is refused, the module keeps its own
	 * table or has provenance off, and says so in status.
	 */
	if (!r->opts->no_layout)
		whorl_layout_load(WHORL_BTF_DIR, 1);
	if (r->rules) {
		if (config_exec(r->opts, 1)) {
			whorl_nl_close(&r->nl);
			return -1;
		}
		r->exec_on = 1;
	}
	fprintf(stderr, "whorl: ready: subscribed to findings%s\n",
		r->rules ? " and exec events" : "");
	whorl_notify("READY=1\nSTATUS=relaying findings");
	return 0;
}

/* --- nlctrl notifications: the module leaving and coming back -------------------------------- */

struct ctrl_event {
	int cmd;		/* the last NEWFAMILY or DELFAMILY about "whorl" */
	int ours;
	int deleted;		/* a DELFAMILY was among them */
};

static int ctrl_attr_cb(const struct nlattr *a, void *data)
{
	struct ctrl_event *ev = data;

	if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_NAME &&
	    !strncmp(mnl_attr_get_payload(a), WHORL_GENL_NAME, mnl_attr_get_payload_len(a)) &&
	    mnl_attr_get_payload_len(a) == sizeof(WHORL_GENL_NAME))
		ev->ours = 1;
	return MNL_CB_OK;
}

static int ctrl_cb(const struct nlmsghdr *nlh, void *data)
{
	struct ctrl_event *ev = data;
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);
	struct ctrl_event one = { 0 };

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*genl))
		return MNL_CB_OK;
	if (genl->cmd != CTRL_CMD_NEWFAMILY && genl->cmd != CTRL_CMD_DELFAMILY)
		return MNL_CB_OK;
	mnl_attr_parse(nlh, sizeof(*genl), ctrl_attr_cb, &one);
	if (one.ours) {
		ev->cmd = genl->cmd;
		ev->ours = 1;
		ev->deleted |= genl->cmd == CTRL_CMD_DELFAMILY;
	}
	return MNL_CB_OK;
}

struct mcast_ctx {
	int id;
	int in_groups;
};

static int mcast_grp_cb(const struct nlattr *a, void *data)
{
	struct mcast_ctx *m = data;
	const struct nlattr *g;
	const char *name = NULL;
	int id = -1;

	mnl_attr_for_each_nested(g, a) {
		if (mnl_attr_get_type(g) == CTRL_ATTR_MCAST_GRP_NAME)
			name = mnl_attr_get_payload(g);
		else if (mnl_attr_get_type(g) == CTRL_ATTR_MCAST_GRP_ID &&
			 mnl_attr_get_payload_len(g) == sizeof(uint32_t))
			id = mnl_attr_get_u32(g);
	}
	if (name && id >= 0 && !strcmp(name, "notify"))
		m->id = id;
	return MNL_CB_OK;
}

static int family_attr_cb(const struct nlattr *a, void *data)
{
	if (mnl_attr_get_type(a) == CTRL_ATTR_MCAST_GROUPS)
		mnl_attr_parse_nested(a, mcast_grp_cb, data);
	return MNL_CB_OK;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	mnl_attr_parse(nlh, sizeof(struct genlmsghdr), family_attr_cb, data);
	return MNL_CB_OK;
}

/* A socket in nlctrl's "notify" group; NULL if that cannot be had (then no resubscribing). */
static struct mnl_socket *ctrl_listen(void)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct mcast_ctx m = { .id = -1 };
	struct mnl_socket *s;
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;
	struct whorl_nl ctl;
	int ret;

	/* The group's id, asked on a socket of our own. */
	memset(&ctl, 0, sizeof(ctl));
	ctl.buflen = MNL_SOCKET_BUFFER_SIZE;
	ctl.buf = malloc(ctl.buflen);
	ctl.sock = mnl_socket_open2(NETLINK_GENERIC, SOCK_CLOEXEC);
	if (!ctl.buf || !ctl.sock || mnl_socket_bind(ctl.sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		whorl_nl_close(&ctl);
		return NULL;
	}
	ctl.portid = mnl_socket_get_portid(ctl.sock);
	ctl.family = GENL_ID_CTRL;
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_seq = ++ctl.seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = CTRL_CMD_GETFAMILY;
	genl->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, "nlctrl");
	ret = whorl_nl_request(&ctl, nlh, family_cb, &m);
	whorl_nl_close(&ctl);
	if (ret || m.id < 0)
		return NULL;

	s = mnl_socket_open2(NETLINK_GENERIC, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (!s)
		return NULL;
	if (mnl_socket_bind(s, 0, MNL_SOCKET_AUTOPID) < 0 ||
	    mnl_socket_setsockopt(s, NETLINK_ADD_MEMBERSHIP, &m.id, sizeof(m.id)) < 0) {
		mnl_socket_close(s);
		return NULL;
	}
	return s;
}

/* What nlctrl said about the whorl family since last asked. */
static struct ctrl_event ctrl_read(struct mnl_socket *s)
{
	char buf[8192];
	struct ctrl_event ev = { 0 };
	ssize_t n;

	while ((n = mnl_socket_recvfrom(s, buf, sizeof(buf))) > 0)
		mnl_cb_run(buf, n, 0, 0, ctrl_cb, &ev);
	return ev;
}

/* --- the loop --------------------------------------------------------------------------------- */

static int relay_loop(struct relay *r, struct mnl_socket *ctrl, const sigset_t *waitmask)
{
	struct ctrl_event ev;
	struct pollfd pfd[2];
	int ret;

	for (;;) {
		if (got_stop)
			return 0;
		if (got_hup) {
			got_hup = 0;
			fprintf(stderr, "whorl: SIGHUP: reloading intel%s\n",
				r->rules ? " and rules" : "");
			if (r->opts->output)
				open_output(r);
			if (r->nl.sock)
				load_intel(r);	/* a bad file keeps the kernel's set */
			if (r->rules)
				reload_rules(r);	/* likewise, the set in use */
		}
		pfd[0].fd = r->nl.sock ? whorl_nl_fd(&r->nl) : -1;
		pfd[0].events = POLLIN;
		pfd[1].fd = ctrl ? mnl_socket_get_fd(ctrl) : -1;
		pfd[1].events = POLLIN;
		pfd[0].revents = pfd[1].revents = 0;
		ret = ppoll(pfd, 2, NULL, waitmask);
		if (ret < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "whorl: poll: %s\n", strerror(errno));
			return 1;
		}
		if (pfd[0].revents) {
			while ((ret = whorl_nl_receive(&r->nl, on_finding, r)) == 0 ||
			       ret == -ENOBUFS) {
				if (ret == -ENOBUFS)
					fprintf(stderr, "whorl: receive buffer overrun\n");
				if (got_stop)
					break;
			}
			if (r->write_failed)
				return 1;
			if (ret != -EAGAIN && ret != -EINTR) {
				whorl_nl_perror(&r->nl, "receiving findings", ret);
				return 1;
			}
		}
		if (pfd[1].revents) {
			/* Unloaded and loaded again before we looked: the old socket is stale too. */
			ev = ctrl_read(ctrl);
			if (ev.deleted && r->nl.sock) {
				fprintf(stderr, "whorl: the kernel module was unloaded; waiting for it\n");
				whorl_notify("STATUS=waiting for the whorl module");
				whorl_nl_close(&r->nl);
			}
			if (ev.ours && ev.cmd == CTRL_CMD_NEWFAMILY && !r->nl.sock) {
				fprintf(stderr, "whorl: the kernel module is back; subscribing again\n");
				if (subscribe(r))
					return 1;
			}
		}
	}
}

/* Rules loaded, the exec log opened, the tree seeded with what runs now. */
static int start_rules(struct relay *r)
{
	size_t seeded;

	r->rules = load_rules(r->opts);
	if (!r->rules)
		return -1;
	if (check_disabled(r->opts, r->rules))
		return -1;	/* a typo must not leave a rule on that was meant to be off */
	if (whorl_exec_init(&r->exec, r->state_root, 1)) {
		fprintf(stderr, "whorl: out of memory\n");
		return -1;
	}
	r->exec.urls = &r->urls;
	if (r->opts->exec_log) {
		int fd = open(r->opts->exec_log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);

		r->exec_log = fd >= 0 ? fdopen(fd, "a") : NULL;
		if (!r->exec_log) {
			fprintf(stderr, "whorl: %s: %s\n", r->opts->exec_log, strerror(errno));
			if (fd >= 0)
				close(fd);
			return -1;
		}
	}
	seeded = whorl_proctree_seed(&r->exec.tree, r->state_root, mono_s());
	fprintf(stderr, "whorl: process tree: %zu running process(es) read from %s/proc\n",
		seeded, r->state_root);
	return 0;
}

/*
 * Exec events off when the relay goes, unless another subscriber remains (another relay with
 * rules may need them; one without ignores them). `whorl config --exec-events off` does it
 * by hand.
 */
static void exec_off(struct relay *r)
{
	struct whorl_status st;
	struct whorl_nl nl;

	if (whorl_nl_open(&nl))
		return;	/* the module is gone, and its setting with it */
	if (!whorl_nl_status(&nl, &st) && st.has_counter[WHORL_CTR_SUBSCRIBERS] &&
	    st.counters[WHORL_CTR_SUBSCRIBERS]) {
		fprintf(stderr, "whorl: exec events left on: %" PRIu64 " other subscriber(s)\n",
			st.counters[WHORL_CTR_SUBSCRIBERS]);
		whorl_nl_close(&nl);
		return;
	}
	whorl_nl_close(&nl);
	config_exec(r->opts, 0);
}

static void relay_free(struct relay *r)
{
	free_rules(r->rules);
	if (r->exec.tree.bucket)
		whorl_exec_free(&r->exec);
	if (r->exec_log)
		fclose(r->exec_log);
	if (r->out && r->out != stdout)
		fclose(r->out);
	whorl_mounts_free(&r->mounts);
	whorl_urls_free(&r->urls);
}

int whorl_relay(const struct whorl_relay_opts *opts)
{
	struct relay r = { .opts = opts };
	struct sigaction sa = { .sa_handler = on_signal };
	struct mnl_socket *ctrl;
	sigset_t block, waitmask;
	int ret;

	if (open_output(&r))
		return 1;
	if (gethostname(r.host, sizeof(r.host)) < 0)
		r.host[0] = '\0';
	r.host[sizeof(r.host) - 1] = '\0';
	r.state_root = whorl_state_root();
	ret = whorl_mounts_init(&r.mounts, NULL);
	if (ret)
		fprintf(stderr, "whorl: cannot read the host's mount table (%s): %s; findings "
			"have no diskPath until it can be read\n", r.mounts.path[0], strerror(-ret));
	signal(SIGPIPE, SIG_IGN);

	/* Signals are taken only inside ppoll(), so none is lost between a check and a wait. */
	sigemptyset(&block);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &waitmask);
	sigdelset(&waitmask, SIGHUP);
	sigdelset(&waitmask, SIGINT);
	sigdelset(&waitmask, SIGTERM);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	if (opts->nrules && start_rules(&r)) {
		relay_free(&r);
		return 1;
	}
	ctrl = ctrl_listen();
	if (subscribe(&r)) {
		if (ctrl)
			mnl_socket_close(ctrl);
		relay_free(&r);
		return 1;
	}
	ret = relay_loop(&r, ctrl, &waitmask);
	whorl_notify("STOPPING=1");
	fprintf(stderr, "whorl: relay stopped: %" PRIu64 " finding(s) written, %" PRIu64
		" lost by the kernel, %" PRIu64 " skipped, %" PRIu64 " runtime state file(s) or "
		"field(s) refused\n", r.written, r.seq.lost, r.skipped, r.state_refused);
	if (r.rules)
		fprintf(stderr, "whorl: %" PRIu64 " exec(s) judged, %" PRIu64 " rule match(es) "
			"(%" PRIu64 " below --min-level, not reported); process tree: %zu exec(s), "
			"%" PRIu64 " evicted, %" PRIu64 " reclaimed\n", r.execs, r.matches,
			r.below_level, r.exec.tree.n, r.exec.tree.evicted, r.exec.tree.reclaimed);
	if (r.nl.sock)
		whorl_nl_close(&r.nl);
	if (r.exec_on)
		exec_off(&r);
	if (ctrl)
		mnl_socket_close(ctrl);
	relay_free(&r);
	return ret;
}
