/*
** SHA-256 (FIPS 180-4) and base64, for the checksums migration tools keep:
** Atlas's atlas.sum, Prisma's _prisma_migrations.checksum.  A running hash
** can be read without ending it, as Go's hash.Sum does, since atlas.sum
** holds the running hash after each file.
**
** SPDX-License-Identifier: MIT
*/
#ifndef MDRILL_SHA256_H
#define MDRILL_SHA256_H

#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"

#define SHA256_LEN 32

struct sha256 {
	uint32_t h[8];
	uint64_t len;            /* bytes hashed so far */
	unsigned char buf[64];   /* the block being filled */
	size_t n;                /* bytes in buf */
};

/** Start a hash. */
void sha256_init(struct sha256 *c);
/** Hash len more bytes of data. */
void sha256_add(struct sha256 *c, const void *data, size_t len);
/** The digest of what c has hashed so far, into out; c goes on unchanged. */
void sha256_sum(const struct sha256 *c, unsigned char out[SHA256_LEN]);
/** Append the digest as 64 lowercase hex digits. */
void sha256_add_hex(struct strbuf *out, const unsigned char d[SHA256_LEN]);
/** Append n bytes as standard base64 with padding (RFC 4648). */
void base64_add(struct strbuf *out, const unsigned char *d, size_t n);

#endif
