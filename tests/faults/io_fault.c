/*
 * An LD_PRELOAD shim that makes the disk fail under tsudoi, for
 * tests/io_faults.rs. It watches the files whose path contains
 * IO_FAULT_PATH and, once IO_FAULT_AFTER calls of the chosen kind have
 * succeeded on them, fails every further one with IO_FAULT_ERRNO:
 *
 *   IO_FAULT_PATH   substring of the watched paths (e.g. "tsudoi.db", which
 *                   also matches the -wal and -shm files)
 *   IO_FAULT_OP     read | write | sync
 *   IO_FAULT_AFTER  how many calls pass before the first failure
 *   IO_FAULT_ERRNO  EIO | ENOSPC
 *
 * read covers read/pread/pread64, write covers write/pwrite/pwrite64 and
 * sync covers fsync/fdatasync, which is what SQLite's unix VFS and Rust's
 * std call. A failed write writes nothing. When the shim first fails a call
 * it says so on standard error once ("io_fault: failing"), so a test knows
 * the fault was reached.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#define MAX_FD 4096

typedef int (*open_fn)(const char *, int, ...);
typedef int (*openat_fn)(int, const char *, int, ...);
typedef int (*fd_fn)(int);
typedef ssize_t (*read_fn)(int, void *, size_t);
typedef ssize_t (*pread_fn)(int, void *, size_t, off_t);
typedef ssize_t (*write_fn)(int, const void *, size_t);
typedef ssize_t (*pwrite_fn)(int, const void *, size_t, off_t);


static unsigned char watched[MAX_FD];
static int configured;
static const char *pattern;
static int op_kind;      /* 1 read, 2 write, 3 sync */
static long after;
static int fail_errno = EIO;
static long calls;
static int announced;

static void configure(void) {
    if (configured) return;
    configured = 1;
    pattern = getenv("IO_FAULT_PATH");
    const char *op = getenv("IO_FAULT_OP");
    const char *n = getenv("IO_FAULT_AFTER");
    const char *e = getenv("IO_FAULT_ERRNO");
    if (op && strcmp(op, "read") == 0) op_kind = 1;
    else if (op && strcmp(op, "write") == 0) op_kind = 2;
    else if (op && strcmp(op, "sync") == 0) op_kind = 3;
    after = n ? atol(n) : 0;
    if (e && strcmp(e, "ENOSPC") == 0) fail_errno = ENOSPC;
}

static void watch(int fd, const char *path) {
    configure();
    if (fd >= 0 && fd < MAX_FD) {
        watched[fd] = pattern && path && strstr(path, pattern) != NULL;
    }
}

/* Whether this call on fd fails; counts the calls that pass. */
static int fails(int fd, int kind) {
    configure();
    if (kind != op_kind || fd < 0 || fd >= MAX_FD || !watched[fd]) return 0;
    if (calls < after) {
        calls++;
        return 0;
    }
    if (!announced) {
        announced = 1;
        static const char msg[] = "io_fault: failing\n";
        write_fn real_write = (write_fn)dlsym(RTLD_NEXT, "write");
        if (real_write) (void)real_write(2, msg, sizeof msg - 1);
    }
    errno = fail_errno;
    return 1;
}

/* The next definition of `name` (libc's), looked up once. */
#define REAL(name, type) static type real_##name; if (!real_##name) real_##name = (type)dlsym(RTLD_NEXT, #name)

/* open, open64, openat and openat64 differ only in their name and a
 * leading dirfd; each records whether the new fd is watched. The mode is
 * there only when the flags create a file. */
#define MODE_ARG(flags, mode)                      \
    mode_t mode = 0;                               \
    if ((flags) & (O_CREAT | O_TMPFILE)) {         \
        va_list ap;                                \
        va_start(ap, flags);                       \
        mode = va_arg(ap, mode_t);                 \
        va_end(ap);                                \
    }

#define OPEN_WRAPPER(name)                         \
    int name(const char *path, int flags, ...) {   \
        REAL(name, open_fn);                       \
        MODE_ARG(flags, mode);                     \
        int fd = real_##name(path, flags, mode);   \
        watch(fd, path);                           \
        return fd;                                 \
    }

#define OPENAT_WRAPPER(name)                                \
    int name(int dirfd, const char *path, int flags, ...) { \
        REAL(name, openat_fn);                              \
        MODE_ARG(flags, mode);                              \
        int fd = real_##name(dirfd, path, flags, mode);     \
        watch(fd, path);                                    \
        return fd;                                          \
    }

OPEN_WRAPPER(open)
OPEN_WRAPPER(open64)
OPENAT_WRAPPER(openat)
OPENAT_WRAPPER(openat64)

int close(int fd) {
    REAL(close, fd_fn);
    if (fd >= 0 && fd < MAX_FD) watched[fd] = 0;
    return real_close(fd);
}

ssize_t read(int fd, void *buf, size_t n) {
    REAL(read, read_fn);
    if (fails(fd, 1)) return -1;
    return real_read(fd, buf, n);
}

ssize_t pread(int fd, void *buf, size_t n, off_t off) {
    REAL(pread, pread_fn);
    if (fails(fd, 1)) return -1;
    return real_pread(fd, buf, n, off);
}

ssize_t pread64(int fd, void *buf, size_t n, off_t off) {
    REAL(pread64, pread_fn);
    if (fails(fd, 1)) return -1;
    return real_pread64(fd, buf, n, off);
}

ssize_t write(int fd, const void *buf, size_t n) {
    REAL(write, write_fn);
    if (fails(fd, 2)) return -1;
    return real_write(fd, buf, n);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off) {
    REAL(pwrite, pwrite_fn);
    if (fails(fd, 2)) return -1;
    return real_pwrite(fd, buf, n, off);
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off_t off) {
    REAL(pwrite64, pwrite_fn);
    if (fails(fd, 2)) return -1;
    return real_pwrite64(fd, buf, n, off);
}

int fsync(int fd) {
    REAL(fsync, fd_fn);
    if (fails(fd, 3)) return -1;
    return real_fsync(fd);
}

int fdatasync(int fd) {
    REAL(fdatasync, fd_fn);
    if (fails(fd, 3)) return -1;
    return real_fdatasync(fd);
}
