/* SPDX-License-Identifier: GPL-2.0 */
/* rules.h - the 'whorl rules' command: check Sigma rules, match events, measure throughput. */
#ifndef WHORL_RULES_H
#define WHORL_RULES_H

extern const char whorl_rules_usage[];

/* 'whorl rules SUBCOMMAND ...', argv[0] being "rules". Return: the exit status. */
int whorl_rules_main(int argc, char **argv);

#endif /* WHORL_RULES_H */
