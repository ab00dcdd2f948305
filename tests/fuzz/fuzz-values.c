/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the value parsers of config/value.h.
 *
 * Every parser runs on a NUL-terminated copy of the input. Each successful
 * parse must be in range and survive a round trip: the canonical text of the
 * value parses back to the same value. The first 8 bytes, read as a number,
 * also go through format_duration()/format_time_of_day() the other way. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "value.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool ok, const char *what, const char *text)
{
        if (ok)
                return;
        fprintf(stderr, "fuzz-values: %s: '%s'\n", what, text);
        abort();
}

static void round_trip_duration(uint64_t v, const char *input)
{
        char buf[DURATION_BUF];
        uint64_t back;

        format_duration(buf, v);
        check(strlen(buf) < DURATION_BUF, "format_duration overflows its buffer", input);
        check(parse_duration(buf, &back) == 0, "format_duration gives text parse_duration rejects", buf);
        check(back == v, "duration changes in a round trip", buf);
}

static void round_trip_time_of_day(unsigned v, const char *input)
{
        char buf[TOD_BUF];
        unsigned back;

        format_time_of_day(buf, v);
        check(parse_time_of_day(buf, &back) == 0, "format_time_of_day gives text parse_time_of_day rejects", buf);
        check(back == v, "time of day changes in a round trip", buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        _cleanup_(freep) char *s = malloc(size + 1);
        char buf[DURATION_BUF];
        uint64_t u64, raw = 0;
        unsigned u;
        bool b;
        int r;

        if (!s)
                abort();
        memcpy(s, data, size);
        s[size] = '\0';

        r = parse_duration(s, &u64);
        if (r == 0) {
                check(u64 <= DURATION_MAX, "duration above DURATION_MAX", s);
                check(u64 % USEC_PER_SEC == 0, "duration with a sub-second part", s);
                round_trip_duration(u64, s);
        } else {
                check(r == -EINVAL || r == -ERANGE, "parse_duration: unexpected error", s);
        }

        r = parse_time_of_day(s, &u);
        if (r == 0) {
                check(u < 24 * 60, "time of day past 23:59", s);
                round_trip_time_of_day(u, s);
        } else {
                check(r == -EINVAL || r == -ERANGE, "parse_time_of_day: unexpected error", s);
        }

        r = parse_bool(s, &b);
        if (r == 0) {
                bool back;
                check(parse_bool(b ? "yes" : "no", &back) == 0 && back == b, "bool changes in a round trip", s);
        } else {
                check(r == -EINVAL, "parse_bool: unexpected error", s);
        }

        r = parse_count(s, &u64);
        if (r == 0) {
                uint64_t back;
                check(u64 <= UINT32_MAX, "count above UINT32_MAX", s);
                snprintf(buf, sizeof(buf), "%" PRIu64, u64);
                check(parse_count(buf, &back) == 0 && back == u64, "count changes in a round trip", s);
        } else {
                check(r == -EINVAL || r == -ERANGE, "parse_count: unexpected error", s);
        }

        r = parse_percent(s, &u);
        if (r == 0) {
                unsigned back;
                check(u <= 1000, "percentage above 1000", s);
                snprintf(buf, sizeof(buf), "%u%%", u);
                check(parse_percent(buf, &back) == 0 && back == u, "percentage changes in a round trip", s);
        } else {
                check(r == -EINVAL || r == -ERANGE, "parse_percent: unexpected error", s);
        }

        /* Lists of ids and of names: the canonical text reads back as itself,
         * with the same count; names are a superset of ids, but for "all". */
        for (int ids = 0; ids < 2; ids++) {
                int (*parse)(const char *, char **, size_t *, const char **) = ids ? parse_id_list : parse_name_list;
                _cleanup_(freep) char *canon = NULL, *again = NULL;
                size_t n = 0, n2 = 0;
                const char *why = NULL;

                r = parse(s, &canon, &n, &why);
                if (r < 0) {
                        check((r == -EINVAL || r == -ERANGE) && why, "list: an error without a reason", s);
                        continue;
                }
                check(canon && n <= ID_LIST_MAX, "list: no text, or too many items", s);
                check(parse(canon, &again, &n2, NULL) == 0 && streq(canon, again) && n2 == n,
                      "list: the canonical text does not read back as itself", canon);
                if (ids && n > 0) {
                        _cleanup_(freep) char *as_names = NULL;
                        check(parse_name_list(canon, &as_names, &n2, NULL) == 0 && n2 == n,
                              "an id list is not a name list", canon);
                }
        }

        /* The other way: any whole-second duration and any time of day
         * formats to text that parses back. */
        memcpy(&raw, data, size < sizeof(raw) ? size : sizeof(raw));
        format_duration(buf, raw); /* any value, sub-second parts included: must not overflow */
        check(strlen(buf) < DURATION_BUF, "format_duration overflows its buffer", s);
        u64 = raw % (DURATION_MAX / USEC_PER_SEC + 1) * USEC_PER_SEC;
        round_trip_duration(u64, s);
        round_trip_time_of_day((unsigned) (raw % (24 * 60)), s);
        return 0;
}
