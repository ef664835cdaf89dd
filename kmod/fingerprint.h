/* SPDX-License-Identifier: GPL-2.0 */
/* fingerprint.h - SHA-256 of files, computed in the kernel. */
#ifndef WHORL_FINGERPRINT_H
#define WHORL_FINGERPRINT_H

#include <linux/types.h>

#include "limits.h"

struct file;
struct inode;

/**
 * struct whorl_fp - a file's fingerprint.
 * @sha256: the digest.
 * @size: the file's size when it was hashed.
 * @hashed: bytes the digest covers (== @size unless @partial).
 * @partial: the file is larger than the bound; only a prefix was hashed.
 * @cookie: the inode cookie (whorl_inode_cookie()) the content was read
 *	under: while the inode's is the same, so is the content.
 */
struct whorl_fp {
	u8 sha256[WHORL_SHA256_LEN];
	u64 size;
	u64 hashed;
	bool partial;
	u64 cookie;
};

/**
 * whorl_inode_cookie - a 64-bit summary of what changes when a file does:
 * i_version (where the filesystem keeps it), mtime, ctime and size.
 * Any context.
 */
u64 whorl_inode_cookie(const struct inode *inode);

/* SHA-256 of a buffer. Process context. Return: 0 or -errno. */
int whorl_sha256(const void *data, size_t len, u8 *out);

/**
 * whorl_fingerprint_file - hash @file from offset 0, at most @max bytes.
 * @file: an open, readable file (its own position is not used).
 * @inode: the inode whose cookie guards the content (the real inode).
 * @max: bound; a longer file gets a prefix hash flagged partial.
 * @out: the result.
 * @cookie: receives the inode cookie the content was read under.
 *
 * Process context. A file that changes while it is read is re-read; if it
 * keeps changing, -EAGAIN: the digest is never attributed to content it was
 * not computed from. Return: 0 or -errno.
 */
int whorl_fingerprint_file(struct file *file, struct inode *inode, u64 max,
			   struct whorl_fp *out, u64 *cookie);

int whorl_fingerprint_init(void);
void whorl_fingerprint_exit(void);

#endif /* WHORL_FINGERPRINT_H */
