/*
 * An LD_PRELOAD shim that keeps, beside the real files, what a disk would
 * still hold after a power cut: for tests/power_cut.rs. A power cut loses
 * every write that no fsync has yet made durable; this shim models the
 * strictest such disk by copying a watched file into POWER_CUT_DIR each
 * time an fsync (or fdatasync) of it succeeds, and by nothing else. After
 * the test kills every process at once, POWER_CUT_DIR holds the disk as it
 * would come back: the files as of their last sync.
 *
 *   POWER_CUT_PATH  substring of the watched paths ("tsudoi.db", which also
 *                   matches the -wal file; -shm is never copied, as SQLite
 *                   rebuilds it after a restart)
 *   POWER_CUT_DIR   where the durable copies are kept, under the watched
 *                   file's own name
 *
 * A file never synced does not exist after the cut. An unlink of a watched
 * file removes its copy too (ext4 orders the unlink before any later
 * sync's journal commit, so a deleted WAL does not come back). The copy
 * is made under an flock on POWER_CUT_DIR/.lock and put in place with
 * rename, so two processes syncing at once never leave an older copy last,
 * and a process killed in the middle of a copy leaves the previous one.
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
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#define MAX_FD 4096

typedef int (*open_fn)(const char *, int, ...);
typedef int (*openat_fn)(int, const char *, int, ...);
typedef int (*fd_fn)(int);
typedef int (*unlink_fn)(const char *);
typedef ssize_t (*pread_fn)(int, void *, size_t, off_t);
typedef ssize_t (*write_fn)(int, const void *, size_t);
typedef int (*rename_fn)(const char *, const char *);

/* The watched file's name (its last path component) per descriptor. */
static char *names[MAX_FD];

#define REAL(name, type) static type real_##name; if (!real_##name) real_##name = (type)dlsym(RTLD_NEXT, #name)

static const char *base_name(const char *path) {
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static int watched_path(const char *path) {
    const char *pattern = getenv("POWER_CUT_PATH");
    if (!pattern || !getenv("POWER_CUT_DIR") || !path) return 0;
    if (!strstr(path, pattern)) return 0;
    size_t n = strlen(path);
    return !(n >= 4 && strcmp(path + n - 4, "-shm") == 0);
}

static void watch(int fd, const char *path) {
    if (fd < 0 || fd >= MAX_FD) return;
    free(names[fd]);
    names[fd] = watched_path(path) ? strdup(base_name(path)) : NULL;
}

/* Copies the whole of fd into POWER_CUT_DIR/name. */
static void keep(int fd) {
    if (fd < 0 || fd >= MAX_FD || !names[fd]) return;
    REAL(open, open_fn);
    REAL(close, fd_fn);
    REAL(pread, pread_fn);
    REAL(write, write_fn);
    REAL(rename, rename_fn);
    const char *dir = getenv("POWER_CUT_DIR");
    char lock_path[PATH_MAX], tmp[PATH_MAX], dst[PATH_MAX];
    snprintf(lock_path, sizeof lock_path, "%s/.lock", dir);
    snprintf(tmp, sizeof tmp, "%s/.%s.%ld", dir, names[fd], (long)getpid());
    snprintf(dst, sizeof dst, "%s/%s", dir, names[fd]);
    int saved = errno;
    int lock = real_open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (lock < 0 || flock(lock, LOCK_EX) != 0) abort();
    int out = real_open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (out < 0) abort();
    static char buf[1 << 16];
    off_t off = 0;
    for (;;) {
        ssize_t n = real_pread(fd, buf, sizeof buf, off);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) abort();
        if (n == 0) break;
        for (ssize_t done = 0; done < n;) {
            ssize_t w = real_write(out, buf + done, (size_t)(n - done));
            if (w < 0 && errno == EINTR) continue;
            if (w <= 0) abort();
            done += w;
        }
        off += n;
    }
    real_close(out);
    if (real_rename(tmp, dst) != 0) abort();
    real_close(lock);
    errno = saved;
}

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
    if (fd >= 0 && fd < MAX_FD) {
        free(names[fd]);
        names[fd] = NULL;
    }
    return real_close(fd);
}

int fsync(int fd) {
    REAL(fsync, fd_fn);
    int r = real_fsync(fd);
    if (r == 0) keep(fd);
    return r;
}

int fdatasync(int fd) {
    REAL(fdatasync, fd_fn);
    int r = real_fdatasync(fd);
    if (r == 0) keep(fd);
    return r;
}

int unlink(const char *path) {
    REAL(unlink, unlink_fn);
    int r = real_unlink(path);
    if (r == 0 && watched_path(path)) {
        char dst[PATH_MAX];
        snprintf(dst, sizeof dst, "%s/%s", getenv("POWER_CUT_DIR"), base_name(path));
        char lock_path[PATH_MAX];
        snprintf(lock_path, sizeof lock_path, "%s/.lock", getenv("POWER_CUT_DIR"));
        REAL(open, open_fn);
        REAL(close, fd_fn);
        int saved = errno;
        int lock = real_open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        if (lock < 0 || flock(lock, LOCK_EX) != 0) abort();
        real_unlink(dst);
        real_close(lock);
        errno = saved;
    }
    return r;
}
