/* SPDX-License-Identifier: MIT */
#include "value.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static bool is_digit(char c)
{
        return c >= '0' && c <= '9';
}

/* Reads the digits at *p into *ret, advancing *p. -EINVAL if there are none,
 * -ERANGE if the number exceeds max. */
static int parse_digits(const char **p, uint64_t max, uint64_t *ret)
{
        const char *s = *p;
        uint64_t v = 0;

        if (!is_digit(*s))
                return -EINVAL;
        for (; is_digit(*s); s++) {
                unsigned d = (unsigned) (*s - '0');
                if (v > (max - d) / 10)
                        return -ERANGE;
                v = v * 10 + d;
        }
        *p = s;
        *ret = v;
        return 0;
}

int parse_duration(const char *s, uint64_t *ret_usec)
{
        static const struct {
                char unit;
                uint64_t usec;
        } units[] = {
                { 'd', USEC_PER_DAY },
                { 'h', USEC_PER_HOUR },
                { 'm', USEC_PER_MIN },
                { 's', USEC_PER_SEC },
        };
        size_t next_unit = 0; /* units must come in this order, each once */
        uint64_t total = 0;
        int r;

        if (!s || !*s)
                return -EINVAL;

        while (*s) {
                uint64_t n;
                size_t i;

                r = parse_digits(&s, DURATION_MAX / USEC_PER_SEC, &n);
                if (r < 0)
                        return r;
                for (i = next_unit; i < sizeof(units) / sizeof(units[0]); i++)
                        if (units[i].unit == *s)
                                break;
                if (i == sizeof(units) / sizeof(units[0]))
                        return -EINVAL; /* no unit, unknown unit, or out of order */
                if (n > DURATION_MAX / units[i].usec)
                        return -ERANGE;
                total += n * units[i].usec;
                if (total > DURATION_MAX)
                        return -ERANGE;
                next_unit = i + 1;
                s++;
                /* "1h 20m", as limber prints durations for people, reads back. */
                if (s[0] == ' ' && s[1] >= '0' && s[1] <= '9')
                        s++;
        }

        *ret_usec = total;
        return 0;
}

char *format_duration(char buf[static DURATION_BUF], uint64_t usec)
{
        uint64_t d = usec / USEC_PER_DAY, h = usec / USEC_PER_HOUR % 24, m = usec / USEC_PER_MIN % 60,
                 s = usec / USEC_PER_SEC % 60, ms = usec / 1000 % 1000;
        size_t n = 0;

        buf[0] = '\0';
        if (d)
                n += (size_t) snprintf(buf + n, DURATION_BUF - n, "%llud", (unsigned long long) d);
        if (h)
                n += (size_t) snprintf(buf + n, DURATION_BUF - n, "%lluh", (unsigned long long) h);
        if (m)
                n += (size_t) snprintf(buf + n, DURATION_BUF - n, "%llum", (unsigned long long) m);
        if (s || n == 0)
                n += (size_t) snprintf(buf + n, DURATION_BUF - n, "%llus", (unsigned long long) s);
        if (ms) {
                /* "0s" followed by ms would read oddly: print only the ms then. */
                if (usec < USEC_PER_SEC)
                        n = 0;
                snprintf(buf + n, DURATION_BUF - n, "%llums", (unsigned long long) ms);
        }
        return buf;
}

int parse_time_of_day(const char *s, unsigned *ret_minutes)
{
        uint64_t h, m;
        const char *p = s;
        int r;

        if (!s || !*s)
                return -EINVAL;
        r = parse_digits(&p, 99, &h);
        if (r < 0 || p - s > 2 || *p != ':')
                return -EINVAL;
        s = ++p;
        r = parse_digits(&p, 99, &m);
        if (r < 0 || p - s != 2 || *p)
                return -EINVAL;
        if (h > 23 || m > 59)
                return -ERANGE;
        *ret_minutes = (unsigned) (h * 60 + m);
        return 0;
}

char *format_time_of_day(char buf[static TOD_BUF], unsigned minutes)
{
        snprintf(buf, TOD_BUF, "%02u:%02u", (minutes / 60) % 24, minutes % 60);
        return buf;
}

int parse_bool(const char *s, bool *ret)
{
        static const char *const yes[] = { "yes", "true", "on", "1" };
        static const char *const no[] = { "no", "false", "off", "0" };

        if (!s)
                return -EINVAL;
        for (size_t i = 0; i < 4; i++) {
                if (strcasecmp(s, yes[i]) == 0) {
                        *ret = true;
                        return 0;
                }
                if (strcasecmp(s, no[i]) == 0) {
                        *ret = false;
                        return 0;
                }
        }
        return -EINVAL;
}

int parse_count(const char *s, uint64_t *ret)
{
        uint64_t v;
        int r;

        if (!s)
                return -EINVAL;
        r = parse_digits(&s, UINT32_MAX, &v);
        if (r < 0)
                return r;
        if (*s)
                return -EINVAL;
        *ret = v;
        return 0;
}

int parse_percent(const char *s, unsigned *ret)
{
        uint64_t v;
        int r;

        if (!s)
                return -EINVAL;
        r = parse_digits(&s, 1000, &v);
        if (r < 0)
                return r;
        if (s[0] != '%' || s[1])
                return -EINVAL;
        *ret = (unsigned) v;
        return 0;
}

bool id_valid(const char *s, size_t len)
{
        if (len == 0 || len > ID_MAX || s[0] == '-' || s[len - 1] == '-')
                return false;
        for (size_t i = 0; i < len; i++) {
                char c = s[i];
                if (c == '-' && s[i + 1] == '-')
                        return false;
                if (!((c >= 'a' && c <= 'z') || is_digit(c) || c == '-'))
                        return false;
        }
        return true;
}

static bool is_separator(char c)
{
        return c == ',' || c == ' ' || c == '\t';
}

bool name_valid(const char *s, size_t len)
{
        if (len == 0 || len > ID_MAX)
                return false;
        for (size_t i = 0; i < len; i++) {
                char c = s[i];
                if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || strchr("-_.:@+", c)))
                        return false;
        }
        return true;
}

/* ids: exercise ids and "all" (parse_id_list), or names (parse_name_list). */
static int parse_list(const char *s, char **ret, size_t *ret_count, const char **why, bool ids)
{
        const char *items[ID_LIST_MAX];
        size_t lens[ID_LIST_MAX], n = 0;
        const char *dummy;

        if (!why)
                why = &dummy;
        if (!s || !*s) {
                *why = "empty value";
                return -EINVAL;
        }
        if (ids && strcmp(s, "all") == 0) {
                if (ret)
                        *ret = strdup("all");
                if (ret && !*ret)
                        return -ENOMEM;
                *ret_count = 0;
                return 0;
        }
        while (*s) {
                const char *start;
                size_t len;

                while (is_separator(*s))
                        s++;
                if (!*s)
                        break;
                start = s;
                while (*s && !is_separator(*s))
                        s++;
                len = (size_t) (s - start);
                if (ids && len == 3 && memcmp(start, "all", 3) == 0) {
                        *why = "'all' cannot be combined with ids";
                        return -EINVAL;
                }
                if (ids ? !id_valid(start, len) : !name_valid(start, len)) {
                        *why = ids ? "invalid id (lower-case letters, digits and '-')"
                                   : "invalid name (letters, digits and -_.:@+)";
                        return -EINVAL;
                }
                for (size_t i = 0; i < n; i++)
                        if (lens[i] == len && memcmp(items[i], start, len) == 0) {
                                *why = ids ? "an id is listed twice" : "a name is listed twice";
                                return -EINVAL;
                        }
                if (n == ID_LIST_MAX) {
                        *why = ids ? "too many ids" : "too many names";
                        return -ERANGE;
                }
                items[n] = start;
                lens[n++] = len;
        }
        if (n == 0) {
                *why = ids ? "no ids" : "no names";
                return -EINVAL;
        }
        if (ret) {
                size_t total = 0, off = 0;
                char *t;

                for (size_t i = 0; i < n; i++)
                        total += lens[i] + 2;
                t = malloc(total + 1);
                if (!t)
                        return -ENOMEM;
                for (size_t i = 0; i < n; i++) {
                        if (i) {
                                memcpy(t + off, ", ", 2);
                                off += 2;
                        }
                        memcpy(t + off, items[i], lens[i]);
                        off += lens[i];
                }
                t[off] = '\0';
                *ret = t;
        }
        *ret_count = n;
        return 0;
}

int parse_id_list(const char *s, char **ret, size_t *ret_count, const char **why)
{
        return parse_list(s, ret, ret_count, why, true);
}

int parse_name_list(const char *s, char **ret, size_t *ret_count, const char **why)
{
        return parse_list(s, ret, ret_count, why, false);
}
