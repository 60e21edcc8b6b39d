/*
** The fault VFS: a pass-through shim over SQLite's default VFS whose only
** behaviour of its own is to fail xWrite once an armed budget of bytes or
** calls is spent, so that a drill can show what a full disk or a dying
** device does to a migration and to the application's writes.
**
** SPDX-License-Identifier: MIT
*/
#include "faultvfs.h"

#include <stddef.h>

#include <sqlite3.h>

#define FAULTVFS_NAME "mdrill-fault"

/*
** Process-global, like the VFS list it belongs to: the drill engine is
** single-threaded, and a count shared by every file is what makes "the
** Nth write fails" well defined across the database, journal and WAL.
*/
static struct {
	int kind;        /* enum faultvfs_kind, or 0 when disarmed */
	int tripped;     /* the budget ran out: every write fails from now on */
	long long left;  /* bytes (FULL) or xWrite calls (IOERR) still allowed */
	long long failed;
} fault;

static sqlite3_vfs *real_vfs;  /* the VFS wrapped, set by faultvfs_register */
static sqlite3_vfs fault_vfs;  /* filled in by faultvfs_register */

/*
** A shim file is a bare sqlite3_file, whose pMethods SQLite sees, followed
** in the same allocation by the real VFS's file (szOsFile covers both).
** sqlite3_file holds one pointer, so the real one stays pointer-aligned.
*/
static sqlite3_file *real_file(sqlite3_file *f)
{
	return f + 1;
}

/*
** Does this write of n bytes fail?  Spends the budget when it does not,
** and counts it when it does.
*/
static int write_fails(sqlite3_file *real, const void *buf, int n, sqlite3_int64 off)
{
	long long cost = fault.kind == FAULTVFS_FULL ? n : 1;

	if (!fault.tripped && cost <= fault.left) {
		fault.left -= cost;
		return 0;
	}
	/*
	** A full disk takes what still fits of the write that overflows it,
	** as write(2) does, so SQLite has to cope with a torn page too.
	*/
	if (!fault.tripped && fault.kind == FAULTVFS_FULL && fault.left > 0)
		real->pMethods->xWrite(real, buf, (int)fault.left, off);
	fault.tripped = 1;
	fault.left = 0;
	fault.failed++;
	return 1;
}

static int fault_close(sqlite3_file *f)
{
	sqlite3_file *r = real_file(f);
	return r->pMethods->xClose(r);
}

static int fault_read(sqlite3_file *f, void *buf, int n, sqlite3_int64 off)
{
	sqlite3_file *r = real_file(f);
	return r->pMethods->xRead(r, buf, n, off);
}

static int fault_write(sqlite3_file *f, const void *buf, int n, sqlite3_int64 off)
{
	sqlite3_file *r = real_file(f);

	/* Disarmed, the shim costs this one test of a global. */
	if (fault.kind && write_fails(r, buf, n, off))
		return fault.kind == FAULTVFS_FULL ? SQLITE_FULL : SQLITE_IOERR_WRITE;
	return r->pMethods->xWrite(r, buf, n, off);
}

/*
** Truncation passes through even when the disk is "full".  SQLite only
** truncates to shrink a file (it grows files by writing to them), and a
** real full disk lets a file shrink since that frees space; the unix VFS
** would also report a failed ftruncate as SQLITE_IOERR_TRUNCATE, never as
** SQLITE_FULL.  Failing it would simulate a disk that does not exist.
*/
static int fault_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	sqlite3_file *r = real_file(f);
	return r->pMethods->xTruncate(r, size);
}

static int fault_sync(sqlite3_file *f, int flags)
{
	sqlite3_file *r = real_file(f);
	return r->pMethods->xSync(r, flags);
}

static int fault_file_size(sqlite3_file *f, sqlite3_int64 *size)
{
	sqlite3_file *r = real_file(f);
	return r->pMethods->xFileSize(r, size);
}

static int fault_lock(sqlite3_file *f, int level)
{
	sqlite3_file *r = real_file(f);
	return r->pMethods->xLock(r, level);
}

static int fault_unlock(sqlite3_file *f, int level)
{
	sqlite3_file *r = real_file(f);
	return r->pMethods->xUnlock(r, level);
}

static int fault_check_reserved_lock(sqlite3_file *f, int *out)
{
	sqlite3_file *r = real_file(f);
	return r->pMethods->xCheckReservedLock(r, out);
}

static int fault_file_control(sqlite3_file *f, int op, void *arg)
{
	sqlite3_file *r = real_file(f);
	return r->pMethods->xFileControl(r, op, arg);
}

static int fault_sector_size(sqlite3_file *f)
{
	sqlite3_file *r = real_file(f);
	return r->pMethods->xSectorSize(r);
}

static int fault_device_characteristics(sqlite3_file *f)
{
	sqlite3_file *r = real_file(f);
	return r->pMethods->xDeviceCharacteristics(r);
}

static int fault_shm_map(sqlite3_file *f, int page, int pgsz, int extend, void volatile **pp)
{
	sqlite3_file *r = real_file(f);
	return r->pMethods->xShmMap(r, page, pgsz, extend, pp);
}

static int fault_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
	sqlite3_file *r = real_file(f);
	return r->pMethods->xShmLock(r, offset, n, flags);
}

static void fault_shm_barrier(sqlite3_file *f)
{
	sqlite3_file *r = real_file(f);
	r->pMethods->xShmBarrier(r);
}

static int fault_shm_unmap(sqlite3_file *f, int delete_flag)
{
	sqlite3_file *r = real_file(f);
	return r->pMethods->xShmUnmap(r, delete_flag);
}

static int fault_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **pp)
{
	sqlite3_file *r = real_file(f);
	return r->pMethods->xFetch(r, off, n, pp);
}

static int fault_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
	sqlite3_file *r = real_file(f);
	return r->pMethods->xUnfetch(r, off, p);
}

#define FAULT_IO_METHODS(version) { \
	.iVersion = (version), \
	.xClose = fault_close, \
	.xRead = fault_read, \
	.xWrite = fault_write, \
	.xTruncate = fault_truncate, \
	.xSync = fault_sync, \
	.xFileSize = fault_file_size, \
	.xLock = fault_lock, \
	.xUnlock = fault_unlock, \
	.xCheckReservedLock = fault_check_reserved_lock, \
	.xFileControl = fault_file_control, \
	.xSectorSize = fault_sector_size, \
	.xDeviceCharacteristics = fault_device_characteristics, \
	.xShmMap = fault_shm_map, \
	.xShmLock = fault_shm_lock, \
	.xShmBarrier = fault_shm_barrier, \
	.xShmUnmap = fault_shm_unmap, \
	.xFetch = fault_fetch, \
	.xUnfetch = fault_unfetch, \
}

/*
** One table per io_methods version: a shim file must not claim methods its
** real file lacks, since SQLite decides from iVersion whether WAL (shared
** memory, version 2) and memory-mapped reads (version 3) are possible.
*/
static const sqlite3_io_methods fault_io[3] = {
	FAULT_IO_METHODS(1),
	FAULT_IO_METHODS(2),
	FAULT_IO_METHODS(3),
};

static int fault_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out_flags)
{
	sqlite3_file *r = real_file(f);
	int rc, version;

	(void)vfs;
	r->pMethods = NULL;
	rc = real_vfs->xOpen(real_vfs, name, r, flags, out_flags);
	/*
	** SQLite calls xClose on any file whose pMethods is set, even after a
	** failed open: wrap exactly the files the real VFS wants closed.
	*/
	if (!r->pMethods) {
		f->pMethods = NULL;
		return rc;
	}
	version = r->pMethods->iVersion;
	if (version < 1)
		version = 1;
	if (version > 3)
		version = 3;
	f->pMethods = &fault_io[version - 1];
	return rc;
}

static int fault_delete(sqlite3_vfs *vfs, const char *name, int sync_dir)
{
	(void)vfs;
	return real_vfs->xDelete(real_vfs, name, sync_dir);
}

static int fault_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
	(void)vfs;
	return real_vfs->xAccess(real_vfs, name, flags, out);
}

static int fault_full_pathname(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
	(void)vfs;
	return real_vfs->xFullPathname(real_vfs, name, n, out);
}

static void *fault_dl_open(sqlite3_vfs *vfs, const char *name)
{
	(void)vfs;
	return real_vfs->xDlOpen(real_vfs, name);
}

static void fault_dl_error(sqlite3_vfs *vfs, int n, char *msg)
{
	(void)vfs;
	real_vfs->xDlError(real_vfs, n, msg);
}

static void (*fault_dl_sym(sqlite3_vfs *vfs, void *lib, const char *sym))(void)
{
	(void)vfs;
	return real_vfs->xDlSym(real_vfs, lib, sym);
}

static void fault_dl_close(sqlite3_vfs *vfs, void *lib)
{
	(void)vfs;
	real_vfs->xDlClose(real_vfs, lib);
}

static int fault_randomness(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs;
	return real_vfs->xRandomness(real_vfs, n, out);
}

static int fault_sleep(sqlite3_vfs *vfs, int usec)
{
	(void)vfs;
	return real_vfs->xSleep(real_vfs, usec);
}

static int fault_current_time(sqlite3_vfs *vfs, double *out)
{
	(void)vfs;
	return real_vfs->xCurrentTime(real_vfs, out);
}

static int fault_get_last_error(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs;
	return real_vfs->xGetLastError(real_vfs, n, out);
}

static int fault_current_time_int64(sqlite3_vfs *vfs, sqlite3_int64 *out)
{
	(void)vfs;
	return real_vfs->xCurrentTimeInt64(real_vfs, out);
}

static int fault_set_system_call(sqlite3_vfs *vfs, const char *name, sqlite3_syscall_ptr fn)
{
	(void)vfs;
	return real_vfs->xSetSystemCall(real_vfs, name, fn);
}

static sqlite3_syscall_ptr fault_get_system_call(sqlite3_vfs *vfs, const char *name)
{
	(void)vfs;
	return real_vfs->xGetSystemCall(real_vfs, name);
}

static const char *fault_next_system_call(sqlite3_vfs *vfs, const char *name)
{
	(void)vfs;
	return real_vfs->xNextSystemCall(real_vfs, name);
}

int faultvfs_register(void)
{
	sqlite3_vfs *real;
	int version;

	if (sqlite3_vfs_find(FAULTVFS_NAME) == &fault_vfs)
		return SQLITE_OK;
	real = sqlite3_vfs_find(NULL);
	if (!real)
		return SQLITE_ERROR;
	/* Only if someone made the shim the default: wrapping it would recurse. */
	if (real == &fault_vfs)
		return SQLITE_MISUSE;
	real_vfs = real;

	/*
	** Claim no more than the real VFS has, and leave NULL what it leaves
	** NULL (a build without extension loading has no xDlOpen), so that
	** SQLite's own checks see the real VFS's abilities through the shim.
	*/
	version = real->iVersion > 3 ? 3 : real->iVersion;
	fault_vfs = (sqlite3_vfs){
		.iVersion = version,
		.szOsFile = (int)sizeof(sqlite3_file) + real->szOsFile,
		.mxPathname = real->mxPathname,
		.zName = FAULTVFS_NAME,
		.xOpen = fault_open,
		.xDelete = real->xDelete ? fault_delete : NULL,
		.xAccess = real->xAccess ? fault_access : NULL,
		.xFullPathname = real->xFullPathname ? fault_full_pathname : NULL,
		.xDlOpen = real->xDlOpen ? fault_dl_open : NULL,
		.xDlError = real->xDlError ? fault_dl_error : NULL,
		.xDlSym = real->xDlSym ? fault_dl_sym : NULL,
		.xDlClose = real->xDlClose ? fault_dl_close : NULL,
		.xRandomness = real->xRandomness ? fault_randomness : NULL,
		.xSleep = real->xSleep ? fault_sleep : NULL,
		.xCurrentTime = real->xCurrentTime ? fault_current_time : NULL,
		.xGetLastError = real->xGetLastError ? fault_get_last_error : NULL,
	};
	if (version >= 2)
		fault_vfs.xCurrentTimeInt64 = real->xCurrentTimeInt64 ? fault_current_time_int64 : NULL;
	if (version >= 3) {
		fault_vfs.xSetSystemCall = real->xSetSystemCall ? fault_set_system_call : NULL;
		fault_vfs.xGetSystemCall = real->xGetSystemCall ? fault_get_system_call : NULL;
		fault_vfs.xNextSystemCall = real->xNextSystemCall ? fault_next_system_call : NULL;
	}
	return sqlite3_vfs_register(&fault_vfs, 0);
}

const char *faultvfs_name(void)
{
	return FAULTVFS_NAME;
}

void faultvfs_arm(int kind, long long after)
{
	if (kind != FAULTVFS_FULL && kind != FAULTVFS_IOERR) {
		faultvfs_disarm();
		return;
	}
	fault.kind = kind;
	fault.tripped = 0;
	fault.left = after > 0 ? after : 0;
	fault.failed = 0;
}

void faultvfs_disarm(void)
{
	fault.kind = 0;
	fault.tripped = 0;
	fault.left = 0;
}

long long faultvfs_failed(void)
{
	return fault.failed;
}
