/*
** A SQLite VFS shim that makes writes fail on purpose: a full disk
** (SQLITE_FULL) or a failing device (SQLITE_IOERR_WRITE), armed and
** disarmed by the drill.  Every other call passes through to the default
** VFS untouched.  State is process-global, as the drill engine is
** single-threaded.
**
** SPDX-License-Identifier: MIT
*/
#ifndef MDRILL_FAULTVFS_H
#define MDRILL_FAULTVFS_H

enum faultvfs_kind {
	FAULTVFS_FULL = 1,   /* a byte budget, then SQLITE_FULL */
	FAULTVFS_IOERR = 2,  /* a budget of xWrite calls, then SQLITE_IOERR_WRITE */
};

/**
 * Register the "mdrill-fault" VFS, wrapping the default one, unless that
 * is done already; it never becomes the default.  Returns SQLITE_OK (0)
 * or the SQLite error code of the failure (no default VFS, for one).
 */
int faultvfs_register(void);

/** The name to pass as sqlite3_open_v2's zVfs: "mdrill-fault". */
const char *faultvfs_name(void);

/**
 * Arm a fault: after `after` more bytes written (FAULTVFS_FULL) or `after`
 * more xWrite calls (FAULTVFS_IOERR), every xWrite fails with SQLITE_FULL
 * or SQLITE_IOERR_WRITE until disarmed.  Counts only files opened through
 * the shim, over all of them together, from this call on; arming again
 * starts a new count and resets faultvfs_failed().  A negative `after`
 * counts as 0: the next write fails.  An unknown kind disarms.
 */
void faultvfs_arm(int kind, long long after);

/** Let every write through again; faultvfs_failed() keeps its count. */
void faultvfs_disarm(void);

/** How many writes the shim has failed since the last arm. */
long long faultvfs_failed(void);

#endif
