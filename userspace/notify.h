/* SPDX-License-Identifier: GPL-2.0 */
/* notify.h - systemd's readiness protocol (sd_notify), without linking libsystemd. */
#ifndef WHORL_NOTIFY_H
#define WHORL_NOTIFY_H

/* Send @state ("READY=1\nSTATUS=...") to $NOTIFY_SOCKET; 0 if unset or sent, else -errno. */
int whorl_notify(const char *state);

#endif /* WHORL_NOTIFY_H */
