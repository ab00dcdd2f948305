/* SPDX-License-Identifier: MIT */
/* The journal: its records, hostile lines with their file:line messages,
 * and appends (one write, a header for a new file, a replaced file). */
#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>

#include "journal.h"
#include "testutil.h"
#include "userstate.h"

static void test_records(void **state)
{
        static const char text[] = "\xef\xbb\xbf# limber journal of machine 0123 (desk)\n"
                                   "2026-11-24T18:00:00+01:00 pain=5 fatigue=6 source=cli note=\"slept badly\"\n"
                                   "\n"
                                   "   # an indented comment\n"
                                   "2026-11-24T12:30:00Z pain=10 source=prompt\r\n"
                                   "2026-11-25T18:00:05-05:30 fatigue=0  source=check-in\n"
                                   "2026-11-26T09:00:00+00:00 note=\"a \\\"quote\\\" and \\\\ caf\xc3\xa9\"\n";
        struct checkin *v = NULL;
        size_t n = 0;
        char err[512];

        assert_int_equal(journal_parse("j", text, strlen(text), &v, &n, err, sizeof(err)), 0);
        assert_int_equal(n, 4);
        assert_int_equal(v[0].instant, (int64_t) 1795539600 * 1000000);
        assert_int_equal(v[0].pain, 5);
        assert_int_equal(v[0].fatigue, 6);
        assert_int_equal(v[0].source, SOURCE_CLI);
        assert_string_equal(v[0].note, "slept badly");
        assert_int_equal(v[0].line, 2);
        assert_int_equal(v[1].pain, 10);
        assert_int_equal(v[1].fatigue, JOURNAL_SCORE_NONE);
        assert_int_equal(v[1].source, SOURCE_PROMPT);
        assert_null(v[1].note);
        assert_int_equal(v[2].fatigue, 0);
        assert_int_equal(v[2].source, SOURCE_CHECK_IN);
        assert_string_equal(v[3].note, "a \"quote\" and \\ caf\xc3\xa9");
        assert_int_equal(v[3].source, SOURCE_CLI); /* the default */
        assert_int_equal(v[3].line, 7);
        checkins_free(v, n);
}

static void test_hostile_lines(void **state)
{
        static const struct {
                const char *text, *error;
        } cases[] = {
                { "2026-11-24T18:00:00 pain=5\n", "j:1: invalid time (use YYYY-MM-DDTHH:MM:SS+HH:MM): '2026-11-24T18:00:00'" },
                { "2026-02-30T18:00:00Z pain=5\n", "j:1: no such time: '2026-02-30T18:00:00Z'" },
                { "2026-11-24T18:00:00Z\n", "j:1: a check-in needs pain, fatigue or a note" },
                { "2026-11-24T18:00:00Z source=cli\n", "j:1: a check-in needs pain, fatigue or a note" },
                { "2026-11-24T18:00:00Z pain=11\n", "j:1: pain is a whole number from 0 to 10: '11'" },
                { "2026-11-24T18:00:00Z fatigue=05\n", "j:1: fatigue is a whole number from 0 to 10: '05'" },
                { "2026-11-24T18:00:00Z pain=-1\n", "j:1: pain is a whole number from 0 to 10: '-1'" },
                { "2026-11-24T18:00:00Z pain=\n", "j:1: pain is a whole number from 0 to 10: ''" },
                { "2026-11-24T18:00:00Z pain=5 pain=6\n", "j:1: pain is given twice" },
                { "2026-11-24T18:00:00Z mood=5\n", "j:1: unknown field (use pain, fatigue, source, note): 'mood'" },
                { "2026-11-24T18:00:00Z pain\n", "j:1: expected key=value: 'pain'" },
                { "2026-11-24T18:00:00Z source=phone pain=1\n", "j:1: unknown source (use cli, prompt or check-in): 'phone'" },
                { "2026-11-24T18:00:00Z note=x\n", "j:1: a note is quoted: note=\"...\"" },
                { "2026-11-24T18:00:00Z note=\"open\n", "j:1: the note has no closing quote" },
                { "2026-11-24T18:00:00Z note=\"a\\nb\"\n", "j:1: unknown escape in the note (use \\\" or \\\\): '\\n'" },
                { "2026-11-24T18:00:00Z note=\"x\"y\n", "j:1: text after the note's closing quote: 'y'" },
                { "2026-11-24T18:00:00Z note=\"\xff\"\n", "j:1: the note is not valid UTF-8" },
                { "2026-11-24T18:00:00Z note=\"\xc0\xaf\"\n", "j:1: the note is not valid UTF-8" },
                { "2026-11-24T18:00:00Z note=\"a\tb\"\n", "j:1: the note contains a control character" },
                { "# ok\n2026-11-24T18:00:00Z pain=1\nnonsense\n", "j:3: invalid time" },
        };
        char err[512];

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                struct checkin *v = NULL;
                size_t n = 0;

                err[0] = '\0';
                assert_int_equal(journal_parse("j", cases[i].text, strlen(cases[i].text), &v, &n, err, sizeof(err)),
                                 -EINVAL);
                if (!startswith(err, cases[i].error))
                        fail_msg("case %zu: '%s' is not '%s'", i, err, cases[i].error);
                checkins_free(v, n);
        }
        {
                /* NUL bytes, over-long lines and notes. */
                char nul[] = "2026-11-24T18:00:00Z pain=1\n2026-11-24T18:00:00Z pain=\0\n";
                struct checkin *v = NULL;
                size_t n = 0;
                _cleanup_(freep) char *longnote = NULL;
                struct strbuf b = { 0 };

                assert_int_equal(journal_parse("j", nul, sizeof(nul) - 1, &v, &n, err, sizeof(err)), -EINVAL);
                assert_string_equal(err, "j:2: line contains a NUL byte");
                strbuf_printf(&b, "2026-11-24T18:00:00Z note=\"");
                for (int k = 0; k < 1001; k++)
                        strbuf_append(&b, "x", 1);
                strbuf_printf(&b, "\"\n");
                longnote = b.s;
                assert_int_equal(journal_parse("j", longnote, strlen(longnote), &v, &n, err, sizeof(err)), -EINVAL);
                assert_string_equal(err, "j:1: the note is too long (at most 1000 bytes)");
                checkins_free(v, n);
        }
}

static void test_append(void **state)
{
        char *dir = tmpdir_new();
        _cleanup_(freep) char *path = xasprintf("%s/journal.0123", dir), *text = NULL, *moved = NULL;
        struct checkin c = { .instant = (int64_t) 1795539600 * 1000000, .pain = 4, .fatigue = JOURNAL_SCORE_NONE,
                             .source = SOURCE_PROMPT, .note = (char *) "a \"quoted\" word" };
        struct checkin *v = NULL;
        size_t n = 0, size;
        char err[512], host[256] = "";
        struct stat st;

        assert_int_equal(journal_append(path, "0123", &c), 0);
        c.source = SOURCE_CLI;
        c.note = NULL;
        c.fatigue = 7;
        assert_int_equal(journal_append(path, "0123", &c), 0);
        assert_int_equal(stat(path, &st), 0);
        assert_int_equal(st.st_mode & 0777, 0600);
        assert_int_equal(read_file(path, 1 << 20, &text, &size), 0);
        assert_true(startswith(text, "# limber journal of machine 0123 ("));
        state_file_host(text, size, host, sizeof(host));
        assert_true(host[0] != '\0');
        assert_int_equal(journal_parse(path, text, size, &v, &n, err, sizeof(err)), 0);
        assert_int_equal(n, 2);
        assert_string_equal(v[0].note, "a \"quoted\" word");
        assert_int_equal(v[1].fatigue, 7);
        checkins_free(v, n);
        v = NULL;
        n = 0;
        free(text);
        text = NULL;

        /* limber forget renamed another file over it: the next record goes to that one. */
        moved = xasprintf("%s/journal.new", dir);
        assert_int_equal(journal_append(moved, "0123", &c), 0);
        assert_int_equal(rename(moved, path), 0);
        assert_int_equal(journal_append(path, "0123", &c), 0);
        assert_int_equal(read_file(path, 1 << 20, &text, &size), 0);
        assert_int_equal(journal_parse(path, text, size, &v, &n, err, sizeof(err)), 0);
        assert_int_equal(n, 2);
        checkins_free(v, n);
        tmpdir_remove(dir);
}

/* A writer waits for the exclusive lock limber forget holds, and then
 * writes to the file the path names after the rename. */
static void test_lock_and_replace(void **state)
{
        char *dir = tmpdir_new();
        _cleanup_(freep) char *path = xasprintf("%s/history.0123", dir), *other = xasprintf("%s/h.tmp", dir);
        int fd, wfd;

        close(open(path, O_WRONLY | O_CREAT, 0600));
        wfd = open(path, O_WRONLY | O_APPEND);
        assert_true(wfd >= 0);
        assert_int_equal(state_file_lock(wfd, path), 1);
        (void) flock(wfd, LOCK_UN);

        fd = open(path, O_RDONLY);
        assert_int_equal(flock(fd, LOCK_EX), 0);
        close(open(other, O_WRONLY | O_CREAT, 0600));
        assert_int_equal(rename(other, path), 0);
        assert_int_equal(flock(fd, LOCK_UN), 0);
        close(fd);
        assert_int_equal(state_file_lock(wfd, path), 0); /* replaced: reopen */
        close(wfd);
        assert_int_equal(unlink(path), 0);
        wfd = open(dir, O_RDONLY | O_DIRECTORY);
        assert_int_equal(state_file_lock(wfd, path), 0); /* removed */
        close(wfd);
        tmpdir_remove(dir);
}

static void test_files_of_every_machine(void **state)
{
        char *dir = tmpdir_new();
        struct state_file *v;
        size_t n;

        free(put_file(dir, "history", ""));
        free(put_file(dir, "history.0123456789abcdef0123456789abcdef", ""));
        free(put_file(dir, "history.0123456789abcdef0123456789abcdef.tmp.XYZ", ""));
        free(put_file(dir, "historyx", ""));
        free(put_file(dir, "journal.fedcba9876543210fedcba9876543210", ""));
        assert_int_equal(state_files_list(dir, "history", &v, &n), 0);
        assert_int_equal(n, 2);
        assert_true(strlen(v[0].path) > 8 && streq(v[0].path + strlen(v[0].path) - 8, "/history"));
        assert_string_equal(v[0].machine, "");
        assert_true(v[0].this_machine);
        assert_string_equal(v[1].machine, "0123456789abcdef0123456789abcdef");
        state_files_free(v, n);
        assert_int_equal(state_files_list(dir, "journal", &v, &n), 0);
        assert_int_equal(n, 1);
        state_files_free(v, n);
        tmpdir_remove(dir);
        assert_int_equal(state_files_list("/nonexistent", "journal", &v, &n), 0);
        assert_int_equal(n, 0);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_records),
                cmocka_unit_test(test_hostile_lines),
                cmocka_unit_test(test_append),
                cmocka_unit_test(test_lock_and_replace),
                cmocka_unit_test(test_files_of_every_machine),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
