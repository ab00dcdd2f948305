/* SPDX-License-Identifier: MIT */
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <sys/stat.h>
#include <unistd.h>

static void oom(void)
{
        fputs("out of memory\n", stderr);
        abort();
}

void closep(int *fd)
{
        if (*fd >= 0)
                close(*fd);
}

void *xmalloc(size_t n)
{
        void *p = malloc(n ? n : 1);
        if (!p)
                oom();
        return p;
}

void *xcalloc(size_t n, size_t size)
{
        void *p = calloc(n ? n : 1, size ? size : 1);
        if (!p)
                oom();
        return p;
}

void *xreallocarray(void *p, size_t n, size_t size)
{
        if (size && n > SIZE_MAX / size)
                oom();
        p = realloc(p, n * size > 0 ? n * size : 1);
        if (!p)
                oom();
        return p;
}

char *xstrdup(const char *s)
{
        char *p = strdup(s);
        if (!p)
                oom();
        return p;
}

char *xstrndup(const char *s, size_t n)
{
        char *p = strndup(s, n);
        if (!p)
                oom();
        return p;
}

char *xvasprintf(const char *fmt, va_list ap)
{
        char *s;

        if (vasprintf(&s, fmt, ap) < 0)
                oom();
        return s;
}

char *xasprintf(const char *fmt, ...)
{
        va_list ap;
        char *s;

        va_start(ap, fmt);
        s = xvasprintf(fmt, ap);
        va_end(ap);
        return s;
}

int read_file(const char *path, size_t max, char **ret, size_t *ret_size)
{
        _cleanup_(closep) int fd = -1;
        _cleanup_(freep) char *buf = NULL;
        struct stat st;
        size_t size = 0, cap;

        /* O_NONBLOCK: a FIFO must not hang us; it is refused below. */
        fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        if (fd < 0)
                return -errno;
        if (fstat(fd, &st) < 0)
                return -errno;
        if (S_ISDIR(st.st_mode))
                return -EISDIR;
        if (!S_ISREG(st.st_mode))
                return -EBADF;
        if (fcntl(fd, F_SETFL, 0) < 0)
                return -errno;
        if ((uint64_t) st.st_size > max)
                return -EFBIG;

        /* Files of /proc and /sys show a size of 0, and a sysctl answers only a
         * read from its start (one more read at an offset gives end of file):
         * read them into a page at once. */
        cap = st.st_size > 0 ? (size_t) st.st_size + 1 : 4096;
        buf = xmalloc(cap + 1);
        for (;;) {
                ssize_t n;

                if (size == cap) {
                        if (cap > max)
                                return -EFBIG;
                        cap *= 2;
                        buf = xreallocarray(buf, cap + 1, 1);
                }
                n = read(fd, buf + size, cap - size);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                if (n == 0)
                        break;
                size += (size_t) n;
        }
        if (size > max)
                return -EFBIG;
        buf[size] = '\0';
        *ret = buf;
        buf = NULL;
        if (ret_size)
                *ret_size = size;
        return 0;
}

static int write_atomic(const char *path, const void *data, size_t size, mode_t mode, bool keep_mode, bool sync);

int write_file_atomic(const char *path, const void *data, size_t size, mode_t mode, bool keep_mode)
{
        return write_atomic(path, data, size, mode, keep_mode, true);
}

int write_file_atomic_nosync(const char *path, const void *data, size_t size, mode_t mode)
{
        return write_atomic(path, data, size, mode, false, false);
}

static int write_atomic(const char *path, const void *data, size_t size, mode_t mode, bool keep_mode, bool sync)
{
        _cleanup_(freep) char *tmp = NULL, *dir = NULL;
        _cleanup_(closep) int fd = -1, dfd = -1;
        const char *p = data;
        struct stat st;

        if (keep_mode && stat(path, &st) == 0)
                mode = st.st_mode & 07777;

        tmp = xasprintf("%s.tmp.XXXXXX", path);
        fd = mkostemp(tmp, O_CLOEXEC);
        if (fd < 0)
                return -errno;
        if (fchmod(fd, mode) < 0)
                goto fail;
        while (size > 0) {
                ssize_t n = write(fd, p, size);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        goto fail;
                }
                p += n;
                size -= (size_t) n;
        }
        if (sync && fsync(fd) < 0)
                goto fail;
        if (close(fd) < 0) {
                fd = -1;
                goto fail;
        }
        fd = -1;
        if (rename(tmp, path) < 0)
                goto fail;

        if (!sync)
                return 0;
        /* Make the rename itself durable. */
        dir = xstrdup(path);
        dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd >= 0)
                (void) fsync(dfd);
        return 0;

fail : {
        int r = -errno;
        (void) unlink(tmp);
        return r;
}
}

int mkdir_parents(const char *path, mode_t mode)
{
        _cleanup_(freep) char *p = xstrdup(path);

        for (char *s = p + 1; *s; s++) {
                if (*s != '/')
                        continue;
                *s = '\0';
                if (mkdir(p, mode) < 0 && errno != EEXIST)
                        return -errno;
                *s = '/';
        }
        if (mkdir(p, mode) < 0 && errno != EEXIST)
                return -errno;
        return 0;
}

char *xdg_dir(const char *var, const char *fallback_below_home)
{
        const char *v = getenv(var), *home;

        if (v && v[0] == '/')
                return xstrdup(v);
        home = getenv("HOME");
        if (!home || home[0] != '/')
                return NULL;
        return xasprintf("%s/%s", home, fallback_below_home);
}

void strbuf_append(struct strbuf *b, const char *s, size_t n)
{
        if (b->len + n + 1 > b->cap) {
                b->cap = (b->len + n + 1) * 2;
                b->s = xreallocarray(b->s, b->cap, 1);
        }
        memcpy(b->s + b->len, s, n);
        b->len += n;
        b->s[b->len] = '\0';
}

void strbuf_printf(struct strbuf *b, const char *fmt, ...)
{
        _cleanup_(freep) char *s = NULL;
        va_list ap;

        va_start(ap, fmt);
        s = xvasprintf(fmt, ap);
        va_end(ap);
        strbuf_append(b, s, strlen(s));
}
