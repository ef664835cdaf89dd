// SPDX-License-Identifier: GPL-2.0
/*
 * attack.c - MITRE ATT&CK ids and tactics as Security Command Center's MitreAttack enums name
 * them: a Sigma rule's attack.* tags become a finding's mitreAttack.
 */

#include <stdlib.h>
#include <string.h>

#include "attack.h"

/* Every technique SCC's MitreAttack.Technique enum has, by ATT&CK id, sorted. */
static const struct {
	const char *id;
	const char *name;
} techniques[] = {
	{ "T1001", "DATA_OBFUSCATION" },
	{ "T1001.002", "DATA_OBFUSCATION_STEGANOGRAPHY" },
	{ "T1003", "OS_CREDENTIAL_DUMPING" },
	{ "T1003.007", "OS_CREDENTIAL_DUMPING_PROC_FILESYSTEM" },
	{ "T1003.008", "OS_CREDENTIAL_DUMPING_ETC_PASSWORD_AND_ETC_SHADOW" },
	{ "T1005", "DATA_FROM_LOCAL_SYSTEM" },
	{ "T1020", "AUTOMATED_EXFILTRATION" },
	{ "T1027", "OBFUSCATED_FILES_OR_INFO" },
	{ "T1027.003", "STEGANOGRAPHY" },
	{ "T1027.004", "COMPILE_AFTER_DELIVERY" },
	{ "T1027.010", "COMMAND_OBFUSCATION" },
	{ "T1029", "SCHEDULED_TRANSFER" },
	{ "T1033", "SYSTEM_OWNER_USER_DISCOVERY" },
	{ "T1036", "MASQUERADING" },
	{ "T1036.005", "MATCH_LEGITIMATE_NAME_OR_LOCATION" },
	{ "T1037", "BOOT_OR_LOGON_INITIALIZATION_SCRIPTS" },
	{ "T1037.005", "STARTUP_ITEMS" },
	{ "T1046", "NETWORK_SERVICE_DISCOVERY" },
	{ "T1053", "SCHEDULED_TASK_JOB" },
	{ "T1053.003", "SCHEDULED_TASK_JOB_CRON" },
	{ "T1053.007", "CONTAINER_ORCHESTRATION_JOB" },
	{ "T1055", "PROCESS_INJECTION" },
	{ "T1056", "INPUT_CAPTURE" },
	{ "T1056.001", "INPUT_CAPTURE_KEYLOGGING" },
	{ "T1057", "PROCESS_DISCOVERY" },
	{ "T1059", "COMMAND_AND_SCRIPTING_INTERPRETER" },
	{ "T1059.004", "UNIX_SHELL" },
	{ "T1059.006", "PYTHON" },
	{ "T1068", "EXPLOITATION_FOR_PRIVILEGE_ESCALATION" },
	{ "T1069", "PERMISSION_GROUPS_DISCOVERY" },
	{ "T1069.003", "CLOUD_GROUPS" },
	{ "T1070", "INDICATOR_REMOVAL" },
	{ "T1070.002", "INDICATOR_REMOVAL_CLEAR_LINUX_OR_MAC_SYSTEM_LOGS" },
	{ "T1070.003", "INDICATOR_REMOVAL_CLEAR_COMMAND_HISTORY" },
	{ "T1070.004", "INDICATOR_REMOVAL_FILE_DELETION" },
	{ "T1070.006", "INDICATOR_REMOVAL_TIMESTOMP" },
	{ "T1070.008", "INDICATOR_REMOVAL_CLEAR_MAILBOX_DATA" },
	{ "T1071", "APPLICATION_LAYER_PROTOCOL" },
	{ "T1071.004", "DNS" },
	{ "T1072", "SOFTWARE_DEPLOYMENT_TOOLS" },
	{ "T1078", "VALID_ACCOUNTS" },
	{ "T1078.001", "DEFAULT_ACCOUNTS" },
	{ "T1078.003", "LOCAL_ACCOUNTS" },
	{ "T1078.004", "CLOUD_ACCOUNTS" },
	{ "T1083", "FILE_AND_DIRECTORY_DISCOVERY" },
	{ "T1087.001", "ACCOUNT_DISCOVERY_LOCAL_ACCOUNT" },
	{ "T1090", "PROXY" },
	{ "T1090.002", "EXTERNAL_PROXY" },
	{ "T1090.003", "MULTI_HOP_PROXY" },
	{ "T1098", "ACCOUNT_MANIPULATION" },
	{ "T1098.001", "ADDITIONAL_CLOUD_CREDENTIALS" },
	{ "T1098.003", "ADDITIONAL_CLOUD_ROLES" },
	{ "T1098.004", "SSH_AUTHORIZED_KEYS" },
	{ "T1098.006", "ADDITIONAL_CONTAINER_CLUSTER_ROLES" },
	{ "T1104", "MULTI_STAGE_CHANNELS" },
	{ "T1105", "INGRESS_TOOL_TRANSFER" },
	{ "T1106", "NATIVE_API" },
	{ "T1110", "BRUTE_FORCE" },
	{ "T1119", "AUTOMATED_COLLECTION" },
	{ "T1129", "SHARED_MODULES" },
	{ "T1132", "DATA_ENCODING" },
	{ "T1132.001", "STANDARD_ENCODING" },
	{ "T1134", "ACCESS_TOKEN_MANIPULATION" },
	{ "T1134.001", "TOKEN_IMPERSONATION_OR_THEFT" },
	{ "T1136", "CREATE_ACCOUNT" },
	{ "T1136.001", "LOCAL_ACCOUNT" },
	{ "T1140", "DEOBFUSCATE_DECODE_FILES_OR_INFO" },
	{ "T1190", "EXPLOIT_PUBLIC_FACING_APPLICATION" },
	{ "T1195", "SUPPLY_CHAIN_COMPROMISE" },
	{ "T1195.001", "COMPROMISE_SOFTWARE_DEPENDENCIES_AND_DEVELOPMENT_TOOLS" },
	{ "T1203", "EXPLOITATION_FOR_CLIENT_EXECUTION" },
	{ "T1204", "USER_EXECUTION" },
	{ "T1222.002", "LINUX_AND_MAC_FILE_AND_DIRECTORY_PERMISSIONS_MODIFICATION" },
	{ "T1484", "DOMAIN_POLICY_MODIFICATION" },
	{ "T1485", "DATA_DESTRUCTION" },
	{ "T1486", "DATA_ENCRYPTED_FOR_IMPACT" },
	{ "T1489", "SERVICE_STOP" },
	{ "T1490", "INHIBIT_SYSTEM_RECOVERY" },
	{ "T1495", "FIRMWARE_CORRUPTION" },
	{ "T1496", "RESOURCE_HIJACKING" },
	{ "T1498", "NETWORK_DENIAL_OF_SERVICE" },
	{ "T1526", "CLOUD_SERVICE_DISCOVERY" },
	{ "T1528", "STEAL_APPLICATION_ACCESS_TOKEN" },
	{ "T1531", "ACCOUNT_ACCESS_REMOVAL" },
	{ "T1537", "TRANSFER_DATA_TO_CLOUD_ACCOUNT" },
	{ "T1539", "STEAL_WEB_SESSION_COOKIE" },
	{ "T1543", "CREATE_OR_MODIFY_SYSTEM_PROCESS" },
	{ "T1546", "EVENT_TRIGGERED_EXECUTION" },
	{ "T1547", "BOOT_OR_LOGON_AUTOSTART_EXECUTION" },
	{ "T1547.006", "KERNEL_MODULES_AND_EXTENSIONS" },
	{ "T1547.009", "SHORTCUT_MODIFICATION" },
	{ "T1548", "ABUSE_ELEVATION_CONTROL_MECHANISM" },
	{ "T1548.001", "ABUSE_ELEVATION_CONTROL_MECHANISM_SETUID_AND_SETGID" },
	{ "T1548.003", "ABUSE_ELEVATION_CONTROL_MECHANISM_SUDO_AND_SUDO_CACHING" },
	{ "T1552", "UNSECURED_CREDENTIALS" },
	{ "T1552.001", "CREDENTIALS_IN_FILES" },
	{ "T1552.003", "BASH_HISTORY" },
	{ "T1552.004", "PRIVATE_KEYS" },
	{ "T1553", "SUBVERT_TRUST_CONTROL" },
	{ "T1553.004", "INSTALL_ROOT_CERTIFICATE" },
	{ "T1554", "COMPROMISE_HOST_SOFTWARE_BINARY" },
	{ "T1555", "CREDENTIALS_FROM_PASSWORD_STORES" },
	{ "T1556", "MODIFY_AUTHENTICATION_PROCESS" },
	{ "T1556.003", "PLUGGABLE_AUTHENTICATION_MODULES" },
	{ "T1556.006", "MULTI_FACTOR_AUTHENTICATION" },
	{ "T1562", "IMPAIR_DEFENSES" },
	{ "T1562.001", "DISABLE_OR_MODIFY_TOOLS" },
	{ "T1562.006", "INDICATOR_BLOCKING" },
	{ "T1562.012", "DISABLE_OR_MODIFY_LINUX_AUDIT_SYSTEM" },
	{ "T1564", "HIDE_ARTIFACTS" },
	{ "T1564.001", "HIDDEN_FILES_AND_DIRECTORIES" },
	{ "T1564.002", "HIDDEN_USERS" },
	{ "T1567", "EXFILTRATION_OVER_WEB_SERVICE" },
	{ "T1567.002", "EXFILTRATION_TO_CLOUD_STORAGE" },
	{ "T1568", "DYNAMIC_RESOLUTION" },
	{ "T1570", "LATERAL_TOOL_TRANSFER" },
	{ "T1574", "HIJACK_EXECUTION_FLOW" },
	{ "T1574.006", "HIJACK_EXECUTION_FLOW_DYNAMIC_LINKER_HIJACKING" },
	{ "T1578", "MODIFY_CLOUD_COMPUTE_INFRASTRUCTURE" },
	{ "T1578.001", "CREATE_SNAPSHOT" },
	{ "T1580", "CLOUD_INFRASTRUCTURE_DISCOVERY" },
	{ "T1587", "DEVELOP_CAPABILITIES" },
	{ "T1587.001", "DEVELOP_CAPABILITIES_MALWARE" },
	{ "T1588", "OBTAIN_CAPABILITIES" },
	{ "T1588.001", "OBTAIN_CAPABILITIES_MALWARE" },
	{ "T1588.006", "OBTAIN_CAPABILITIES_VULNERABILITIES" },
	{ "T1595", "ACTIVE_SCANNING" },
	{ "T1595.001", "SCANNING_IP_BLOCKS" },
	{ "T1608", "STAGE_CAPABILITIES" },
	{ "T1608.001", "UPLOAD_MALWARE" },
	{ "T1609", "CONTAINER_ADMINISTRATION_COMMAND" },
	{ "T1610", "DEPLOY_CONTAINER" },
	{ "T1611", "ESCAPE_TO_HOST" },
	{ "T1613", "CONTAINER_AND_RESOURCE_DISCOVERY" },
	{ "T1620", "REFLECTIVE_CODE_LOADING" },
	{ "T1649", "STEAL_OR_FORGE_AUTHENTICATION_CERTIFICATES" },
	{ "T1657", "FINANCIAL_THEFT" },
};

/* SCC's MitreAttack.Tactic values. */
static const char *const tactics[] = {
	"RECONNAISSANCE", "RESOURCE_DEVELOPMENT", "INITIAL_ACCESS", "EXECUTION", "PERSISTENCE",
	"PRIVILEGE_ESCALATION", "DEFENSE_EVASION", "CREDENTIAL_ACCESS", "DISCOVERY",
	"LATERAL_MOVEMENT", "COLLECTION", "COMMAND_AND_CONTROL", "EXFILTRATION", "IMPACT",
};

static int id_cmp(const void *key, const void *row)
{
	return strcmp(key, *(const char *const *)row);
}

const char *whorl_attack_technique(const char *id)
{
	const char *const *row = bsearch(id, techniques, sizeof(techniques) / sizeof(techniques[0]),
					 sizeof(techniques[0]), id_cmp);

	return row ? row[1] : NULL;
}

int whorl_attack_tactic_known(const char *tactic)
{
	size_t i;

	for (i = 0; i < sizeof(tactics) / sizeof(tactics[0]); i++)
		if (!strcmp(tactics[i], tactic))
			return 1;
	return 0;
}

static void push(const char **arr, size_t *n, size_t max, const char *s)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (!strcmp(arr[i], s))
			return;
	if (*n < max)
		arr[(*n)++] = s;
}

/* @id's technique, then its parent's when @id is a sub-technique: SCC lists both. */
static void push_technique(const char **arr, size_t *n, size_t max, const char *id)
{
	char parent[6];
	const char *name = whorl_attack_technique(id);

	if (name)
		push(arr, n, max, name);
	if (strlen(id) != 9)
		return;
	memcpy(parent, id, 5);
	parent[5] = '\0';
	name = whorl_attack_technique(parent);
	if (name)
		push(arr, n, max, name);
}

void whorl_attack_lists(const struct whorl_sigma_meta *m, struct whorl_attack_lists *out)
{
	size_t i, first = m->ntechniques;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < m->ntactics; i++) {
		if (!whorl_attack_tactic_known(m->tactics[i]))
			continue;
		if (!out->tactic)
			out->tactic = m->tactics[i];
		else
			push(out->more_tactics, &out->nmore_tactics, WHORL_ATTACK_LIST_MAX,
			     m->tactics[i]);
	}
	for (i = 0; i < m->ntechniques && first == m->ntechniques; i++) {
		push_technique(out->techniques, &out->ntechniques, WHORL_ATTACK_LIST_MAX,
			       m->techniques[i]);
		if (out->ntechniques)
			first = i;
	}
	for (i = first + 1; i < m->ntechniques; i++) {
		size_t before = out->nmore_techniques, j, k;

		push_technique(out->more_techniques, &out->nmore_techniques, WHORL_ATTACK_LIST_MAX,
			       m->techniques[i]);
		/* a technique already primary is not also additional */
		for (j = before; j < out->nmore_techniques; j++) {
			for (k = 0; k < out->ntechniques; k++) {
				if (strcmp(out->more_techniques[j], out->techniques[k]))
					continue;
				memmove(&out->more_techniques[j], &out->more_techniques[j + 1],
					(out->nmore_techniques - j - 1) * sizeof(char *));
				out->nmore_techniques--;
				j--;
				break;
			}
		}
	}
}
