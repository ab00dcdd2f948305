/* SPDX-License-Identifier: MIT */
/*
 * The scheduler's rules, one table-driven case (or more) per rule, on a fake
 * clock. A case is a policy, a script of what happens when, and the exact
 * list of events the scheduler must emit.
 *
 * Script steps: "OFFSET WHAT [ARG]", separated by ';'. OFFSET is a duration
 * from the start ("0s", "20m", "1h2m3s"). WHAT is a presence (active, idle,
 * locked, asleep; "idle@OFFSET" back-dates the spell, as limberd's backends
 * do), an action (snooze KIND|all [SPAN], skip KIND|all, take KIND,
 * pause [SPAN], resume, flare on [DAYS]|off, quiet on|off), "advance" (just
 * let time pass) or "policy" (apply the case's second policy).
 *
 * Expected events: "OFFSET EVENT [KIND] [detail]" separated by ';', where a
 * detail is reason=… for refusals, count=… for reprompts and
 * day=DAY/DAYS+RECOVERY,scale=PERCENT for flare events. Without a detail,
 * only the event and its kind are compared.
 */
#include <errno.h>
#include <unistd.h>

#include "policy.h"
#include "scheduler.h"
#include "testutil.h"
#include "value.h"

#define BASE ((uint64_t) 1000 * USEC_PER_DAY)
#define MAX_EVENTS 256
#define NEVER UINT64_MAX

struct recorded {
        struct sched_event ev;
};

struct harness {
        struct sched *s;
        struct policy *p, *p2;
        struct recorded ev[MAX_EVENTS];
        size_t n;
};

static void record(void *userdata, const struct sched_event *ev)
{
        struct harness *h = userdata;
        assert_true(h->n < MAX_EVENTS);
        h->ev[h->n++].ev = *ev;
}

static struct policy *make_policy(const char *ini)
{
        struct policy *p = policy_new();
        struct diags d;

        diags_init(&d);
        if (ini)
                policy_apply_buffer(p, "case.ini", ini, strlen(ini), SCOPE_USER, &d);
        policy_finish_layers(p, &d);
        if (d.n) {
                diags_dump(&d);
                fail_msg("the case's policy has problems");
        }
        diags_finish(&d);
        return p;
}

static uint64_t off(const char *text)
{
        uint64_t v;
        if (streq(text, "0"))
                return BASE;
        if (parse_duration(text, &v) < 0)
                fail_msg("bad offset '%s'", text);
        return BASE + v;
}

static void harness_init(struct harness *h, const char *policy, const char *policy2)
{
        memset(h, 0, sizeof(*h));
        h->p = make_policy(policy);
        h->p2 = policy2 ? make_policy(policy2) : NULL;
        h->s = sched_new(h->p, BASE, record, h);
}

static void harness_finish(struct harness *h)
{
        sched_free(h->s);
        policy_free(h->p);
        policy_free(h->p2);
}

static int kind_arg(const char *w)
{
        int k;
        if (streq(w, "all"))
                return -1;
        k = kind_from_name(w);
        if (k < 0)
                fail_msg("bad kind '%s'", w);
        return k;
}

/* Runs a script; returns the return value of the last action. */
static int script(struct harness *h, const char *text)
{
        _cleanup_(freep) char *copy = xstrdup(text);
        char *save = NULL;
        int r = 0;

        for (char *step = strtok_r(copy, ";", &save); step; step = strtok_r(NULL, ";", &save)) {
                char a[32] = "", what[32] = "", arg[32] = "", arg2[32] = "";
                uint64_t now, span = 0;
                int n = sscanf(step, " %31s %31s %31s %31s", a, what, arg, arg2);
                char *at;

                if (n < 2)
                        fail_msg("bad step '%s'", step);
                now = off(a);
                if (streq(what, "advance")) {
                        sched_advance(h->s, now);
                } else if (streq(what, "policy")) {
                        sched_set_policy(h->s, h->p2, now);
                } else if ((at = strchr(what, '@'))) {
                        *at = '\0';
                        sched_presence(h->s, (enum presence) presence_from_name(what), off(at + 1), now);
                } else if (presence_from_name(what) >= 0) {
                        sched_presence(h->s, (enum presence) presence_from_name(what), now, now);
                } else if (streq(what, "snooze")) {
                        if (n >= 4)
                                span = off(arg2) - BASE;
                        r = sched_snooze(h->s, kind_arg(arg), span, now);
                } else if (streq(what, "skip")) {
                        r = sched_skip(h->s, kind_arg(arg), now);
                } else if (streq(what, "take")) {
                        r = sched_take(h->s, kind_arg(arg), now);
                } else if (streq(what, "pause")) {
                        r = sched_pause(h->s, n >= 3 ? off(arg) - BASE : 0, now);
                } else if (streq(what, "resume")) {
                        sched_resume(h->s, now);
                } else if (streq(what, "flare")) {
                        sched_set_flare(h->s, streq(arg, "on"), n >= 4 ? (unsigned) atoi(arg2) : 0, now);
                } else if (streq(what, "quiet")) {
                        sched_set_quiet(h->s, streq(arg, "on"), now);
                } else if (streq(what, "day-end")) {
                        sched_set_day_end(h->s, off(arg), now);
                } else if (streq(what, "hours")) {
                        sched_set_hours(h->s, streq(arg, "on"), n >= 4 && !streq(arg2, "never") ? off(arg2) : NEVER,
                                        now);
                } else if (streq(what, "lull")) {
                        sched_set_lull_sensed(h->s, true, now);
                } else if (streq(what, "check-in")) {
                        sched_set_check_in(h->s, streq(arg, "never") ? NEVER : off(arg), now);
                } else {
                        fail_msg("bad step '%s'", step);
                }
        }
        return r;
}

static void describe(const struct sched_event *ev, char *buf, size_t size)
{
        char t[DURATION_BUF];
        int n = snprintf(buf, size, "%s %s", format_duration(t, ev->at - BASE), sched_event_name(ev->type));

        if (ev->kind >= 0)
                n += snprintf(buf + n, size - (size_t) n, " %s", kind_names[ev->kind]);
        if (ev->type == EV_REFUSED)
                snprintf(buf + n, size - (size_t) n, " reason=%s", sched_refusal_name(ev->reason));
        else if (ev->type == EV_REPROMPT && ev->count)
                snprintf(buf + n, size - (size_t) n, " count=%u", ev->count);
        else if (ev->type == EV_HOURS)
                snprintf(buf + n, size - (size_t) n, " %s", ev->on ? "on" : "off");
        else if (ev->type == EV_FLARE)
                snprintf(buf + n, size - (size_t) n, " day=%u/%u+%u,scale=%u", ev->day, ev->days, ev->recovery,
                         ev->scale);
}

/* The first n words of s. */
static void first_words(char *s, int n)
{
        for (char *p = s; *p; p++)
                if (*p == ' ' && --n == 0) {
                        *p = '\0';
                        return;
                }
}

/* Compares every recorded event with the expected list, in order. Expected
 * entries may omit the count= detail. */
static void expect_events(struct harness *h, const char *expected)
{
        _cleanup_(freep) char *copy = xstrdup(expected ? expected : "");
        char *save = NULL, got[128];
        size_t i = 0;

        for (char *e = strtok_r(copy, ";", &save); e; e = strtok_r(NULL, ";", &save), i++) {
                char a[32] = "", name[32] = "", kind[32] = "", detail[64] = "", want[160];
                int n = sscanf(e, " %31s %31s %31s %63s", a, name, kind, detail);
                uint64_t v = 0;

                if (n < 2)
                        fail_msg("bad expectation '%s'", e);
                if (!streq(a, "0") && parse_duration(a, &v) < 0)
                        fail_msg("bad offset '%s'", a);
                snprintf(want, sizeof(want), "%s %s%s%s%s%s", format_duration(got, v), name, n >= 3 ? " " : "",
                         n >= 3 ? kind : "", n >= 4 ? " " : "", n >= 4 ? detail : "");
                if (i >= h->n)
                        fail_msg("expected '%s' but there are only %zu events", want, h->n);
                describe(&h->ev[i].ev, got, sizeof(got));
                if (n < 4) {
                        first_words(got, n);
                } else if (!strstr(detail, "count=")) {
                        char *c = strstr(got, " count=");
                        if (c)
                                *c = '\0';
                }
                if (!streq(got, want)) {
                        for (size_t j = 0; j < h->n; j++) {
                                describe(&h->ev[j].ev, got, sizeof(got));
                                fprintf(stderr, "  event %zu: %s\n", j, got);
                        }
                        describe(&h->ev[i].ev, got, sizeof(got));
                        fail_msg("event %zu: got '%s', expected '%s'", i, got, want);
                }
        }
        if (i != h->n) {
                for (size_t j = 0; j < h->n; j++) {
                        describe(&h->ev[j].ev, got, sizeof(got));
                        fprintf(stderr, "  event %zu: %s\n", j, got);
                }
                fail_msg("%zu events, expected %zu", h->n, i);
        }
}

struct scase {
        const char *name;
        const char *policy;
        const char *script;
        const char *events;
        const char *policy2;
};

/* Only posture, to keep timelines short, unless a case says otherwise. */
#define POSTURE_ONLY "[movement]\nenabled = no\n"
/* Reminders once an hour: timelines without a reprompt every 2 minutes. */
#define RARE_REPROMPTS "[posture]\nreprompt = 1h\n[movement]\nreprompt = 1h\n[pacing]\nreprompt = 1h\n"
#define PACING_ONLY "[posture]\nenabled = no\n[movement]\nenabled = no\n[pacing]\nenabled = yes\nreprompt = 1h\n"

static const struct scase cases[] = {
        /* ---- active time, due, prompts ---- */
        { "due after interval of active time", POSTURE_ONLY, "0 active; 25m advance",
          "20m due posture; 22m reprompt posture count=2; 24m reprompt posture count=3" },
        { "input pauses shorter than idle-after count as active", POSTURE_ONLY,
          "0 active; 10m idle; 10m29s active; 21m advance", "20m due posture" },
        { "a longer idle spell adds nothing, from its start", POSTURE_ONLY "[posture]\nduration = 1m\n",
          "0 active; 10m idle; 10m29s advance; 10m31s active; 21m advance",
          /* 29 s were counted, then taken back when the spell reached 30 s */
          "20m31s due posture" },
        { "back-dated idle from a backend takes the time back", POSTURE_ONLY "[posture]\nduration = 1m\n",
          "0 active; 10m30s idle@10m; 10m40s active; 21m advance", "20m40s due posture" },
        { "an away spell found to have begun earlier takes that time back too", RARE_REPROMPTS,
          "0 active; 10m idle@9m; 12m idle@5m; 13m advance",
          /* a better source says the user left at 5m: movement's 5 minutes were up at 10m */
          "9m30s natural posture; 10m natural movement" },
        { "an earlier start never reaches back before the user returned", RARE_REPROMPTS,
          "0 active; 3m idle; 4m active; 10m idle@9m; 12m idle@1m; 13m advance",
          "3m30s natural posture; 9m30s natural posture; 10m natural movement" },
        /* ---- working hours ---- */
        { "outside working hours posture and movement neither count nor prompt", RARE_REPROMPTS,
          "0 active; 0 hours off 1h; 1h30m advance", "0 hours off; 1h hours on; 1h20m due posture" },
        { "a break due when working hours end is dropped, the rest is time away", RARE_REPROMPTS,
          "0 active; 0 hours on 25m; 40m advance",
          "20m due posture; 25m hours off; 25m dropped posture; 30m natural movement" },
        { "the gap between two ranges is a natural break, even at the desk", RARE_REPROMPTS,
          "0 active; 0 hours on 45m; 45m hours off 1h45m; 2h10m advance",
          "20m due posture; 45m hours off; 45m dropped posture; 50m natural movement; 1h45m hours on; "
          "2h5m due posture" },
        { "away before working hours end: one spell, no double natural break", RARE_REPROMPTS,
          "0 active; 0 hours on 15m; 10m idle; 1h advance",
          "10m30s natural posture; 15m hours off; 15m natural movement" },
        { "pacing keeps its own rules outside working hours", PACING_ONLY "quota = 40m\n",
          "0 active; 0 hours off never; 41m advance", "0 hours off; 40m due pacing" },
        { "pacing follows working hours when the user says so", PACING_ONLY "quota = 40m\nfollow-work-hours = yes\n",
          "0 active; 0 hours off 1h; 1h41m advance", "0 hours off; 1h hours on; 1h40m due pacing" },

        /* ---- waiting for a pause in typing ---- */
        { "a due prompt waits for a pause in typing, at most wait-for-lull",
          POSTURE_ONLY "[general]\nwait-for-lull = 30s\nlull = 2s\n", "0 lull; 0 active; 21m advance",
          "20m30s due posture" },
        { "a pause of lull is the moment to prompt", POSTURE_ONLY "[general]\nwait-for-lull = 30s\nlull = 2s\n",
          "0 lull; 0 active; 20m10s idle; 20m11s active; 20m15s idle; 20m20s active; 21m advance",
          /* the first pause (1 s) is too short; the second is long enough at 20m17s */
          "20m17s due posture" },
        { "no idle source that sees pauses: prompt at once", POSTURE_ONLY "[general]\nwait-for-lull = 30s\n",
          "0 active; 21m advance", "20m due posture" },
        { "reprompt interval comes from the policy", POSTURE_ONLY "[posture]\nreprompt = 5m\n",
          "0 active; 31m advance", "20m due posture; 25m reprompt posture; 30m reprompt posture" },

        /* ---- natural breaks ---- */
        { "idle spell of duration is a natural break", POSTURE_ONLY,
          "0 active; 15m idle; 16m active; 36m advance", "15m30s natural posture; 36m due posture" },
        { "natural break shorter than duration does nothing", POSTURE_ONLY,
          "0 active; 15m idle; 15m29s active; 21m advance", "20m due posture" },
        { "a lock spell is a natural break", RARE_REPROMPTS, "0 active; 30m locked; 36m active; 37m advance",
          "20m due posture; 30m30s taken posture; 35m natural movement" },
        { "a suspend spell is a natural break", RARE_REPROMPTS, "0 active; 45m asleep; 1h45m active; 1h46m advance",
          "20m due posture; 45m30s taken posture; 50m natural movement" },
        { "idle then locked: the spell starts at the first", RARE_REPROMPTS,
          "0 active; 40m idle; 42m locked; 45m active; 46m advance",
          "20m due posture; 40m30s taken posture; 45m natural movement" },
        { "a long spell satisfies every shorter kind", RARE_REPROMPTS "[pacing]\nenabled = yes\n",
          "0 active; 44m idle; 54m active; 55m advance",
          "20m due posture; 44m30s taken posture; 49m natural movement; 54m natural pacing" },
        { "reminders wait while the user is away", POSTURE_ONLY "[posture]\nduration = 10m\n",
          "0 active; 21m idle; 25m active; 26m advance",
          /* away 21m-25m: no reminder at 22m or 24m, one on return */
          "20m due posture; 25m reprompt posture" },

        /* ---- taken while prompted ---- */
        { "prompted break taken by going idle", POSTURE_ONLY, "0 active; 21m idle; 22m active; 23m advance",
          "20m due posture; 21m30s taken posture" },
        { "the longest due break is prompted, taking it takes the shorter",
          "[posture]\nreprompt = 10m\n[movement]\nreprompt = 1h\n",
          "0 active; 51m idle; 57m active",
          /* posture stops being reminded once movement covers it */
          "20m due posture; 30m reprompt posture; 40m reprompt posture; 50m due movement; "
          "51m30s taken posture; 56m taken movement" },

        /* ---- started breaks ---- */
        { "take: the countdown pauses while there is input", POSTURE_ONLY "[posture]\nduration = 1m\n",
          "0 active; 20m take posture; 20m10s idle; 20m40s active; 20m50s idle; 21m20s active; 22m advance",
          "20m due posture; 20m started posture; 21m20s taken posture" },
        { "take a break that is not due yet", POSTURE_ONLY, "0 active; 5m take posture; 5m idle; 6m active",
          "5m started posture; 5m30s taken posture" },
        { "take a disabled kind is refused", POSTURE_ONLY, "0 active; 5m take movement",
          "5m refused movement reason=disabled" },

        /* ---- snooze ---- */
        { "snooze delays the prompt; accounting goes on", POSTURE_ONLY,
          "0 active; 20m snooze posture; 23m30s advance",
          "20m due posture; 20m snoozed posture; 23m reprompt posture" },
        { "snooze with a span", POSTURE_ONLY, "0 active; 20m snooze posture 10m; 31m advance",
          "20m due posture; 20m snoozed posture; 30m reprompt posture" },
        { "snooze limit reached is refused", POSTURE_ONLY "[posture]\nmax-snoozes = 2\n",
          "0 active; 20m snooze posture; 23m snooze posture; 26m snooze posture",
          "20m due posture; 20m snoozed posture; 23m reprompt posture; 23m snoozed posture; 26m reprompt posture; "
          "26m refused posture reason=snooze-limit" },
        { "snooze a break that is not due is refused", POSTURE_ONLY, "0 active; 5m snooze posture",
          "5m refused posture reason=not-due" },
        { "snooze all with nothing due is refused", POSTURE_ONLY, "0 active; 5m snooze all",
          "5m refused reason=not-due" },
        { "snooze all snoozes the prompt and the breaks it covers", RARE_REPROMPTS,
          "0 active; 50m snooze all; 51m advance",
          "20m due posture; 50m due movement; 50m snoozed posture; 50m snoozed movement" },

        /* ---- skip ---- */
        { "skip resets the kind", POSTURE_ONLY, "0 active; 20m skip posture; 41m advance",
          "20m due posture; 20m skipped posture; 40m due posture" },
        { "skip when not skippable is refused", POSTURE_ONLY "[posture]\nskippable = no\n",
          "0 active; 20m skip posture", "20m due posture; 20m refused posture reason=not-skippable" },
        { "skip when not due is refused", POSTURE_ONLY, "0 active; 5m skip posture",
          "5m refused posture reason=not-due" },

        /* ---- pause ---- */
        { "pause with a deadline resumes by itself", POSTURE_ONLY,
          "0 active; 10m pause 30m; 51m advance", "10m paused; 40m resumed; 50m due posture" },
        { "pause until resumed", POSTURE_ONLY, "0 active; 10m pause; 2h resume; 2h11m advance",
          "10m paused; 2h resumed; 2h10m due posture" },
        { "a pause freezes natural breaks too", POSTURE_ONLY,
          "0 active; 10m idle; 10m10s pause; 40m resume; 40m10s active; 50m advance",
          /* 10 s idle before the pause + 10 s after: never 30 s in a row */
          "10m10s paused; 40m resumed; 49m50s due posture" },
        { "a pause withdraws prompts; they return on resume", POSTURE_ONLY,
          "0 active; 21m pause 5m; 27m advance",
          "20m due posture; 21m paused; 26m resumed; 26m reprompt posture" },
        { "pause refused where the policy locks it off", POSTURE_ONLY "[general]\nallow-pause = no\n",
          "0 active; 5m pause 10m", "5m refused reason=pause-locked" },

        /* ---- defer ---- */
        { "quiet holds prompts back until it ends", POSTURE_ONLY,
          "0 active; 15m quiet on; 25m quiet off; 26m advance",
          "20m deferred posture; 25m due posture" },
        { "defer is capped by max-defer", POSTURE_ONLY "[general]\nmax-defer = 3m\n",
          "0 active; 15m quiet on; 24m advance", "20m deferred posture; 23m due posture" },
        { "max-defer 0 never defers", POSTURE_ONLY "[general]\nmax-defer = 0s\n",
          "0 active; 15m quiet on; 21m advance", "20m due posture" },

        /* ---- day rollover ---- */
        { "day rollover resets active time and snooze counts", POSTURE_ONLY "[posture]\nmax-snoozes = 1\n",
          "0 day-end 30m; 0 active; 20m snooze posture; 23m snooze posture; 31m snooze posture",
          "20m due posture; 20m snoozed posture; 23m reprompt posture; 23m refused posture reason=snooze-limit; "
          "25m reprompt posture; 27m reprompt posture; 29m reprompt posture; 30m day; 31m reprompt posture; "
          "31m snoozed posture" },

        /* ---- pacing ---- */
        { "pacing: a quota, then a rest ends the block", PACING_ONLY "quota = 40m\nrest = 10m\n",
          "0 active; 45m idle; 55m active; 56m advance", "40m due pacing; 55m taken pacing" },
        { "pacing: a rest shorter than rest does not end the block", PACING_ONLY "quota = 40m\nrest = 10m\n",
          "0 active; 30m idle; 39m active; 51m advance", "49m due pacing" },
        { "pacing: flare mode scales the quota until the day ends",
          "[posture]\nenabled = no\n[movement]\nenabled = no\n[pacing]\nenabled = yes\nquota = 40m\n"
          "flare-scale = 50%\nreprompt = 1h\n",
          "0 day-end 1h; 0 active; 0 flare on; 25m idle; 40m active; 1h30m advance",
          "0 flare pacing; 20m due pacing; 35m taken pacing; 1h day; 1h flare pacing; 1h20m due pacing" },
        { "pacing: the daily limit is prompted, then reminded while active",
          "[posture]\nenabled = no\n[movement]\nenabled = no\n[pacing]\nenabled = yes\nquota = 3h\n"
          "daily-limit = 1h\nreprompt = 10m\n",
          "0 active; 1h5m idle; 2h active; 2h6m advance",
          /* away from 1h5m to 2h: the reminder waits for 10 more minutes of activity */
          "1h limit pacing; 1h15m natural pacing; 2h5m reprompt pacing count=2" },
        { "pacing: a flare plan of three days, then two days of recovery",
          "[posture]\nenabled = no\n[movement]\nenabled = no\n[pacing]\nenabled = yes\nquota = 40m\n"
          "flare-scale = 40%\nflare-recovery = 2\nreprompt = 1h\n",
          /* days end every hour here; each hour ends with a rest */
          "0 day-end 1h; 0 active; 0 flare on 3; 45m idle; 1h day-end 2h; 1h active; 1h45m idle; "
          "2h day-end 3h; 2h active; 2h45m idle; 3h day-end 4h; 3h active; 3h45m idle; 4h day-end 5h; 4h active; "
          "4h45m idle; 5h day-end 6h; 5h active; 5h45m idle; 5h58m advance",
          "0 flare pacing day=1/3+2,scale=40; 16m due pacing; 55m taken pacing; "
          "1h day; 1h flare pacing day=2/3+2,scale=40; 1h16m due pacing; 1h55m taken pacing; "
          "2h day; 2h flare pacing day=3/3+2,scale=40; 2h16m due pacing; 2h55m taken pacing; "
          "3h day; 3h flare pacing day=4/3+2,scale=60; 3h24m due pacing; 3h55m taken pacing; "
          "4h day; 4h flare pacing day=5/3+2,scale=80; 4h32m due pacing; 4h55m taken pacing; "
          "5h day; 5h flare pacing day=0/0+0,scale=100; 5h40m due pacing; 5h55m taken pacing" },
        { "pacing: flare off ends a plan at once, also while recovering",
          "[posture]\nenabled = no\n[movement]\nenabled = no\n[pacing]\nenabled = yes\nquota = 40m\n"
          "flare-days = 2\nflare-recovery = 1\nreprompt = 1h\n",
          "0 day-end 1h; 0 active; 0 flare on; 10m flare on; 45m idle; 1h day-end 2h; 1h active; 1h45m idle; "
          "2h day-end 3h; 2h active; 2h10m flare off; 2h20m flare off; 2h45m idle; 2h58m advance",
          /* asked twice on its first day: one plan; 50 %, then 75 % */
          "0 flare pacing day=1/2+1,scale=50; 20m due pacing; 55m taken pacing; "
          "1h day; 1h flare pacing day=2/2+1,scale=50; 1h20m due pacing; 1h55m taken pacing; "
          "2h day; 2h flare pacing day=3/2+1,scale=75; 2h10m flare pacing day=0/0+0,scale=100; "
          "2h40m due pacing; 2h55m taken pacing" },
        { "pacing: a new plan starts over at day 1",
          "[posture]\nenabled = no\n[movement]\nenabled = no\n[pacing]\nenabled = yes\nquota = 10h\n"
          "flare-days = 3\nreprompt = 1h\n",
          "0 day-end 1h; 0 active; 0 flare on; 1h day-end 2h; 1h10m flare on 2; 2h day-end 3h; 3h day-end 4h; "
          "3h30m advance",
          "0 flare pacing day=1/3+0,scale=50; 1h day; 1h flare pacing day=2/3+0,scale=50; "
          "1h10m flare pacing day=1/2+0,scale=50; 2h day; 2h flare pacing day=2/2+0,scale=50; "
          "3h day; 3h flare pacing day=0/0+0,scale=100" },
        { "pacing: flare halves the daily limit",
          "[posture]\nenabled = no\n[movement]\nenabled = no\n[pacing]\nenabled = yes\nquota = 3h\n"
          "daily-limit = 2h\nreprompt = 1h\n",
          "0 active; 10m flare on; 1h1m advance", "10m flare pacing; 1h limit pacing" },

        /* ---- the daily check-in ---- */
        { "the check-in time is a deadline, every 24 h until told; not while paused",
          "[posture]\nenabled = no\n[movement]\nenabled = no\n",
          "0 check-in 30m; 0 active; 1h pause; 1d1h resume; 2d1h advance; 2d1h check-in never; 3d2h advance",
          "30m check-in pacing; 1h paused; 1d1h resumed; 2d30m check-in pacing" },

        /* ---- policy reload ---- */
        { "a shorter interval on reload applies at once", POSTURE_ONLY, "0 active; 15m policy; 16m advance",
          "15m due posture", POSTURE_ONLY "[posture]\ninterval = 10m\n" },
        { "disabling a kind drops its prompt", NULL, "0 active; 21m policy; 60m advance", "20m due posture",
          "[posture]\nenabled = no\n[movement]\nenabled = no\n" },
};

static void run_case(void **state)
{
        const struct scase *c = *state;
        struct harness h;

        harness_init(&h, c->policy, c->policy2);
        script(&h, c->script);
        expect_events(&h, c->events);
        harness_finish(&h);
}

/* ---- the rest: deadlines, status, thresholds, save/restore ---------------- */

static void test_next_deadline_is_the_next_event(void **state)
{
        struct harness h;

        harness_init(&h, POSTURE_ONLY, NULL);
        script(&h, "0 active");
        /* One timer: due in 20 minutes, nothing before. */
        assert_int_equal(sched_next_deadline(h.s, off("0")), off("20m"));
        script(&h, "5m idle");
        /* While idle: the spell is committed at idle-after, then nothing. */
        assert_int_equal(sched_next_deadline(h.s, off("5m")), off("5m30s"));
        script(&h, "5m31s advance");
        /* The spell was committed and the natural break recorded: nothing left to wake for. */
        assert_int_equal(sched_next_deadline(h.s, off("5m31s")), NEVER);
        script(&h, "10m active");
        assert_int_equal(sched_next_deadline(h.s, off("10m")), off("30m"));
        harness_finish(&h);
}

static void test_idle_threshold(void **state)
{
        struct harness h;

        harness_init(&h, POSTURE_ONLY, NULL);
        script(&h, "0 active");
        assert_int_equal(sched_idle_threshold(h.s), 30 * USEC_PER_SEC);
        script(&h, "1m take posture");
        assert_int_equal(sched_idle_threshold(h.s), 2 * USEC_PER_SEC);
        script(&h, "1m idle; 2m active");
        assert_int_equal(sched_idle_threshold(h.s), 30 * USEC_PER_SEC);
        harness_finish(&h);
}

static void test_status(void **state)
{
        struct harness h;
        struct sched_status st;
        uint64_t due_at;

        harness_init(&h, NULL, NULL);
        script(&h, "0 active; 5m advance");
        sched_get_status(h.s, off("5m"), &st);
        assert_int_equal(st.presence, PRESENCE_ACTIVE);
        assert_true(st.counting);
        assert_int_equal(st.kinds[KIND_POSTURE].state, BREAK_WAITING);
        assert_int_equal(st.kinds[KIND_POSTURE].worked, 5 * USEC_PER_MIN);
        assert_int_equal(st.kinds[KIND_POSTURE].due_at, off("20m"));
        assert_int_equal(st.kinds[KIND_PACING].state, BREAK_DISABLED);
        assert_int_equal(st.kinds[KIND_POSTURE].snoozes_left, 3);
        due_at = st.kinds[KIND_MOVEMENT].due_at;
        /* due_at does not move while active time counts: no change to announce. */
        sched_get_status(h.s, off("7m"), &st);
        assert_int_equal(st.kinds[KIND_MOVEMENT].due_at, due_at);
        assert_int_equal(st.kinds[KIND_POSTURE].worked, 7 * USEC_PER_MIN);
        assert_int_equal(st.active_today, 7 * USEC_PER_MIN);

        script(&h, "20m snooze posture");
        sched_get_status(h.s, off("20m"), &st);
        assert_int_equal(st.kinds[KIND_POSTURE].state, BREAK_SNOOZED);
        assert_int_equal(st.kinds[KIND_POSTURE].snoozes_left, 2);
        assert_int_equal(st.kinds[KIND_POSTURE].snoozed_until, off("23m"));

        script(&h, "21m idle; 21m31s advance");
        sched_get_status(h.s, off("21m31s"), &st);
        assert_int_equal(st.presence, PRESENCE_IDLE);
        assert_false(st.counting);
        assert_int_equal(st.kinds[KIND_MOVEMENT].due_at, NEVER);
        assert_int_equal(st.kinds[KIND_MOVEMENT].worked, 21 * USEC_PER_MIN);
        assert_int_equal(st.kinds[KIND_POSTURE].state, BREAK_WAITING); /* taken at 21m30s */

        script(&h, "22m take movement");
        sched_get_status(h.s, off("22m"), &st);
        assert_int_equal(st.kinds[KIND_MOVEMENT].state, BREAK_ON_BREAK);
        assert_int_equal(st.kinds[KIND_MOVEMENT].break_left, 5 * USEC_PER_MIN);
        assert_true(st.kinds[KIND_MOVEMENT].prompting);

        script(&h, "23m pause");
        sched_get_status(h.s, off("23m"), &st);
        assert_true(st.paused);
        assert_int_equal(st.paused_until, 0);
        for (int k = 0; k < N_KINDS - 1; k++)
                assert_int_equal(st.kinds[k].state, BREAK_PAUSED);
        harness_finish(&h);
}

/* A flare plan survives a restart: its day, its length, its recovery. */
static void test_save_restore_flare_plan(void **state)
{
        static const char pol[] = "[posture]\nenabled = no\n[movement]\nenabled = no\n[pacing]\nenabled = yes\n"
                                  "quota = 10h\nflare-scale = 40%\nflare-recovery = 2\n";
        struct harness h, h2;
        struct sched_saved sv;
        struct sched_status st;

        harness_init(&h, pol, NULL);
        script(&h, "0 day-end 1h; 0 active; 0 flare on 2; 1h day-end 2h; 2h day-end 3h; 2h10m advance");
        sched_get_status(h.s, off("2h10m"), &st);
        assert_false(st.flare); /* recovering */
        assert_int_equal(st.flare_day, 3);
        assert_int_equal(st.flare_scale, 60);
        assert_int_equal(st.kinds[KIND_PACING].interval, 6 * USEC_PER_HOUR);
        sched_save(h.s, off("2h10m"), &sv);
        assert_false(sv.flare);
        assert_int_equal(sv.flare_day, 3);
        assert_int_equal(sv.flare_days, 2);
        assert_int_equal(sv.flare_recovery, 2);

        /* Another policy's defaults do not change a plan under way. */
        harness_init(&h2, "[posture]\nenabled = no\n[movement]\nenabled = no\n[pacing]\nenabled = yes\nquota = 10h\n"
                          "flare-scale = 40%\n", NULL);
        sched_set_day_end(h2.s, off("1h"), BASE);
        sched_restore(h2.s, &sv, BASE, BASE, BASE);
        sched_get_status(h2.s, BASE, &st);
        assert_int_equal(st.flare_day, 3);
        assert_int_equal(st.flare_days, 2);
        assert_int_equal(st.flare_recovery, 2);
        assert_int_equal(st.flare_scale, 60);
        script(&h2, "1h day-end 2h; 2h day-end 3h; 2h1m advance");
        expect_events(&h2, "1h day; 1h flare pacing day=4/2+2,scale=80; 2h day; 2h flare pacing day=0/0+0,scale=100");
        harness_finish(&h);
        harness_finish(&h2);

        /* A state file from before plans: flare until the day ends. */
        sv = (struct sched_saved){ .flare = true, .next_in = SCHED_NEVER };
        harness_init(&h2, pol, NULL);
        sched_set_day_end(h2.s, off("1h"), BASE);
        sched_restore(h2.s, &sv, BASE, BASE, BASE);
        sched_get_status(h2.s, BASE, &st);
        assert_true(st.flare);
        assert_int_equal(st.flare_scale, 40);
        script(&h2, "1h1m advance");
        expect_events(&h2, "1h day; 1h flare pacing day=0/0+0,scale=100");
        harness_finish(&h2);
}

static void test_save_restore(void **state)
{
        struct harness h, h2;
        struct sched_saved sv;
        struct sched_status st;

        harness_init(&h, NULL, NULL);
        script(&h, "0 active; 20m snooze posture; 21m pause 1h");
        sched_save(h.s, off("25m"), &sv);
        assert_int_equal(sv.worked[KIND_POSTURE], 21 * USEC_PER_MIN);
        assert_true(sv.due[KIND_POSTURE]);
        assert_int_equal(sv.snoozes[KIND_POSTURE], 1);
        assert_int_equal(sv.snoozed_for[KIND_POSTURE], 0); /* the snooze ended at 23m */
        assert_true(sv.paused);
        assert_int_equal(sv.pause_left, 56 * USEC_PER_MIN);

        harness_init(&h2, NULL, NULL);
        sched_restore(h2.s, &sv, BASE, BASE, BASE);
        sched_get_status(h2.s, BASE, &st);
        assert_true(st.paused);
        assert_int_equal(st.paused_until, BASE + 56 * USEC_PER_MIN);
        assert_int_equal(st.kinds[KIND_POSTURE].worked, 21 * USEC_PER_MIN);
        assert_int_equal(st.kinds[KIND_POSTURE].snoozes_left, 2);
        assert_int_equal(st.kinds[KIND_MOVEMENT].worked, 21 * USEC_PER_MIN);
        /* The timed pause ends by itself after the restart, then the due break is prompted again. */
        script(&h2, "57m advance");
        expect_events(&h2, "56m resumed; 56m reprompt posture");
        harness_finish(&h);
        harness_finish(&h2);
}

static void test_restore_downtime_is_time_away(void **state)
{
        struct harness h;
        struct sched_saved sv = { 0 };
        struct sched_status st;

        harness_init(&h, RARE_REPROMPTS, NULL);
        sv.worked[KIND_POSTURE] = 15 * USEC_PER_MIN;
        sv.worked[KIND_MOVEMENT] = 45 * USEC_PER_MIN;
        /* Saved at 6m, not running for 4 minutes: a natural posture break
         * (at its time), not a movement one. */
        sched_restore(h.s, &sv, off("6m"), off("6m"), off("10m"));
        sched_get_status(h.s, off("10m"), &st);
        assert_int_equal(st.kinds[KIND_POSTURE].worked, 0);
        assert_int_equal(st.kinds[KIND_MOVEMENT].worked, 45 * USEC_PER_MIN);
        assert_int_equal(st.presence, PRESENCE_ACTIVE);
        expect_events(&h, "6m30s natural posture");
        harness_finish(&h);
}

/* A saved snooze of a break that was not due (no limberd writes one; a
 * hand-edited or damaged file may): the snooze means nothing, and the
 * scheduler must not spin on it. alarm() turns a hang into a failure. */
static void test_restore_snooze_without_due(void **state)
{
        struct harness h;
        struct sched_saved sv = { 0 };
        struct sched_status st;

        alarm(10);
        harness_init(&h, RARE_REPROMPTS, NULL);
        sv.worked[KIND_POSTURE] = 20 * USEC_PER_MIN; /* the interval: due at once */
        sv.snoozed_for[KIND_POSTURE] = 1 * USEC_PER_HOUR;
        sched_restore(h.s, &sv, off("10m"), off("10m"), off("10m"));
        script(&h, "11m advance");
        sched_get_status(h.s, off("11m"), &st);
        assert_int_equal(st.kinds[KIND_POSTURE].state, BREAK_DUE);
        assert_int_equal(st.kinds[KIND_POSTURE].snoozed_until, 0);
        expect_events(&h, "10m due posture");
        harness_finish(&h);
        alarm(0);
}

/* Counters no limberd writes (a damaged file): today's active time at the
 * top of its range, with pacing's daily limit reached. The reminder
 * arithmetic once wrapped and spun; restored amounts are now clamped. */
static void test_restore_huge_counters(void **state)
{
        struct harness h;
        struct sched_saved sv = { 0 };
        struct sched_status st;

        alarm(10);
        harness_init(&h, PACING_ONLY "daily-limit = 6h\n", NULL);
        sv.active_today = UINT64_MAX;
        sv.limit_reached = true;
        for (int k = 0; k < N_KINDS; k++) {
                sv.worked[k] = UINT64_MAX;
                sv.due[k] = true;
                sv.due_for[k] = UINT64_MAX;
                sv.snoozed_for[k] = UINT64_MAX;
        }
        sv.paused = true;
        sv.pause_left = UINT64_MAX;
        sched_restore(h.s, &sv, off("10m"), off("10m"), off("10m"));
        script(&h, "2h advance");
        sched_get_status(h.s, off("2h"), &st);
        assert_true(st.limit_reached);
        assert_true(st.active_today <= 2 * USEC_PER_DAY);
        assert_true(st.paused);
        harness_finish(&h);
        alarm(0);
}

/* After a crash the active spell went on: the time until the restart counts
 * as active, to the µs, and nothing is prompted while nobody could see it. */
static void test_restore_after_a_crash(void **state)
{
        struct harness h;
        struct sched_saved sv = { 0 };
        struct sched_status st;

        harness_init(&h, RARE_REPROMPTS, NULL);
        sv.worked[KIND_POSTURE] = 5 * USEC_PER_MIN;
        sv.worked[KIND_MOVEMENT] = 45 * USEC_PER_MIN;
        sv.active_today = 2 * USEC_PER_HOUR;
        sched_restore(h.s, &sv, off("1m"), off("11m"), off("11m"));
        sched_get_status(h.s, off("11m"), &st);
        assert_int_equal(st.kinds[KIND_POSTURE].worked, 15 * USEC_PER_MIN);
        assert_int_equal(st.active_today, 2 * USEC_PER_HOUR + 10 * USEC_PER_MIN);
        /* Movement came due at 6m, while limberd was not running: prompted at the restart. */
        assert_int_equal(st.kinds[KIND_MOVEMENT].state, BREAK_DUE);
        assert_int_equal(st.kinds[KIND_MOVEMENT].due_since, off("6m"));
        expect_events(&h, "11m due movement");
        harness_finish(&h);
}

/* The crash came before the deadline the scheduler had (known_until): after
 * it, the time counts as away. */
static void test_restore_crash_bounded(void **state)
{
        struct harness h;
        struct sched_saved sv = { 0 };
        struct sched_status st;

        harness_init(&h, RARE_REPROMPTS, NULL);
        sv.worked[KIND_POSTURE] = 5 * USEC_PER_MIN;
        sv.worked[KIND_MOVEMENT] = 10 * USEC_PER_MIN;
        sched_restore(h.s, &sv, off("1m"), off("3m"), off("20m"));
        sched_get_status(h.s, off("20m"), &st);
        assert_int_equal(st.kinds[KIND_POSTURE].worked, 0);
        assert_int_equal(st.kinds[KIND_MOVEMENT].worked, 0);
        expect_events(&h, "3m30s natural posture; 8m natural movement");
        harness_finish(&h);
}

/* Saved in the middle of an away spell: it goes on from its start, and what
 * it already satisfied is not satisfied twice. */
static void test_restore_mid_spell(void **state)
{
        struct harness h;
        struct sched_saved sv = { 0 };
        struct sched_status st;

        harness_init(&h, RARE_REPROMPTS, NULL);
        sv.presence = PRESENCE_IDLE;
        sv.away_for = 2 * USEC_PER_MIN; /* posture (30s) already satisfied, movement (5m) not yet */
        sv.worked[KIND_MOVEMENT] = 40 * USEC_PER_MIN;
        sched_restore(h.s, &sv, off("10m"), off("10m"), off("15m"));
        sched_get_status(h.s, off("15m"), &st);
        assert_int_equal(st.kinds[KIND_MOVEMENT].worked, 0);
        assert_int_equal(st.presence, PRESENCE_ACTIVE);
        expect_events(&h, "13m natural movement");
        harness_finish(&h);
}

/* sched_take(-1) resolves the prompted break itself; a refusal names the
 * break that refused. */
static void test_take_and_refusals(void **state)
{
        struct harness h;
        struct sched_refused why;
        struct sched_status st;

        harness_init(&h, RARE_REPROMPTS "[posture]\nmax-snoozes = 0\n", NULL);
        assert_int_equal(sched_act(h.s, &(struct action) { .type = ACTION_TAKE, .kind = -1 }, off("1m"), &why),
                         -REFUSED_NOT_DUE);
        assert_int_equal(why.kind, -1);
        script(&h, "0 active; 20m advance");
        assert_int_equal(sched_act(h.s, &(struct action) { .type = ACTION_SNOOZE, .kind = -1 }, off("20m"), &why),
                         -REFUSED_SNOOZE_LIMIT);
        assert_int_equal(why.reason, REFUSED_SNOOZE_LIMIT);
        assert_int_equal(why.kind, KIND_POSTURE);
        sched_get_status(h.s, off("20m"), &st);
        assert_int_equal(st.prompt, KIND_POSTURE);
        assert_int_equal(sched_act(h.s, &(struct action) { .type = ACTION_TAKE, .kind = -1 }, off("20m"), &why), 0);
        sched_get_status(h.s, off("20m"), &st);
        assert_int_equal(st.kinds[KIND_POSTURE].state, BREAK_ON_BREAK);
        assert_int_equal(st.kinds[KIND_MOVEMENT].state, BREAK_WAITING);
        harness_finish(&h);
}

/* The lull is an idle threshold only while a prompt waits for one. */
static void test_lull_threshold(void **state)
{
        struct harness h;
        uint64_t t[SCHED_MAX_THRESHOLDS];
        bool has;
        size_t n;

        harness_init(&h, POSTURE_ONLY "[general]\nwait-for-lull = 30s\nlull = 3s\n", NULL);
        script(&h, "0 lull; 0 active; 19m advance");
        n = sched_idle_thresholds(h.s, t);
        for (size_t i = 0; i < n; i++)
                assert_int_not_equal(t[i], 3 * USEC_PER_SEC);
        script(&h, "20m5s advance");
        has = false;
        n = sched_idle_thresholds(h.s, t);
        for (size_t i = 0; i < n; i++)
                has = has || t[i] == 3 * USEC_PER_SEC;
        assert_true(has);
        script(&h, "20m30s advance");
        n = sched_idle_thresholds(h.s, t);
        for (size_t i = 0; i < n; i++)
                assert_int_not_equal(t[i], 3 * USEC_PER_SEC);
        harness_finish(&h);
}

int main(void)
{
        struct CMUnitTest tests[ELEMENTSOF(cases) + 20];
        size_t n = 0;

        for (size_t i = 0; i < ELEMENTSOF(cases); i++)
                tests[n++] = (struct CMUnitTest) { .name = cases[i].name,
                                                   .test_func = run_case,
                                                   .initial_state = (void *) &cases[i] };
        tests[n++] = (struct CMUnitTest) cmocka_unit_test(test_next_deadline_is_the_next_event);
        tests[n++] = (struct CMUnitTest) cmocka_unit_test(test_idle_threshold);
        tests[n++] = (struct CMUnitTest) cmocka_unit_test(test_status);
        tests[n++] = (struct CMUnitTest) cmocka_unit_test(test_save_restore);
        tests[n++] = (struct CMUnitTest) cmocka_unit_test(test_save_restore_flare_plan);
        tests[n++] = (struct CMUnitTest) cmocka_unit_test(test_restore_downtime_is_time_away);
        tests[n++] = (struct CMUnitTest) cmocka_unit_test(test_restore_snooze_without_due);
        tests[n++] = (struct CMUnitTest) cmocka_unit_test(test_restore_huge_counters);
        tests[n++] = (struct CMUnitTest) cmocka_unit_test(test_restore_after_a_crash);
        tests[n++] = (struct CMUnitTest) cmocka_unit_test(test_restore_crash_bounded);
        tests[n++] = (struct CMUnitTest) cmocka_unit_test(test_restore_mid_spell);
        tests[n++] = (struct CMUnitTest) cmocka_unit_test(test_take_and_refusals);
        tests[n++] = (struct CMUnitTest) cmocka_unit_test(test_lull_threshold);
        return _cmocka_run_group_tests("scheduler", tests, n, NULL, NULL);
}
