/* SPDX-License-Identifier: MIT */
#include "checkin.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "dbus-util.h"
#include "journal.h"
#include "human.h"
#include "i18n.h"
#include "log.h"
#include "policy.h"
#include "scheduler.h"
#include "userstate.h"
#include "util.h"
#include "value.h"

#define NOTIFY_NAME  "org.freedesktop.Notifications"
#define NOTIFY_PATH  "/org/freedesktop/Notifications"
#define NOTIFY_IFACE "org.freedesktop.Notifications"
/* A notification call that takes longer is given up: the server hangs. */
#define CALL_TIMEOUT (10 * USEC_PER_SEC)
/* A question after a rest goes away by itself after this (ms). */
#define REST_EXPIRES 600000
/* Two readings of the wall clock against the scheduler's may differ by
 * this much; more is a change of the wall clock. */
#define CLOCK_SLACK ((int64_t) USEC_PER_SEC)

enum question {
        ASK_NONE,
        ASK_REST_PAIN,     /* after a rest */
        ASK_DAILY_PAIN,    /* the daily check-in, first */
        ASK_DAILY_FATIGUE, /* …then */
};

struct checkin_prompts {
        sd_bus *bus;
        sd_bus_slot *actions, *closed, *owner, *pending;
        char *journal; /* NULL: no state directory */
        char machine[MACHINE_ID_BUF];

        enum question asking;
        uint32_t id; /* the question on screen; 0: none, or its id is not known yet */
        int pain;    /* the daily check-in's answer about pain, while fatigue is asked */

        uint64_t next_rt; /* the check-in time the scheduler has, wall clock; 0: none */
        int64_t offset;   /* the wall clock minus the scheduler's clock, when it was set */
};

/* The buttons of a question, and what each records. */
static const struct {
        const char *name, *label;
        int score;
} levels[] = {
        { "low", N_("low"), 2 },
        { "medium", N_("medium"), 5 },
        { "high", N_("high"), 8 },
};

/* ---- the journal ----------------------------------------------------------------- */

static void record(struct checkin_prompts *c, int pain, int fatigue, enum journal_source source)
{
        struct checkin rec = { .instant = (int64_t) realtime_now(), .pain = pain, .fatigue = fatigue, .source = source };
        _cleanup_(freep) char *dir = NULL;
        int r;

        if (!c->journal) {
                log_warning("a check-in was answered, but there is no state directory to keep it in");
                return;
        }
        dir = xstrdup(c->journal);
        *strrchr(dir, '/') = '\0';
        r = mkdir_parents(dir, 0700);
        if (r >= 0)
                r = journal_append(c->journal, c->machine, &rec);
        if (r < 0)
                log_warning_errno(r, "cannot write the check-in to %s", c->journal);
        else
                log_info("check-in recorded (%s)", journal_source_name(source));
}

/* ---- notifications ------------------------------------------------------------------ */

static int on_closed_reply(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
        return 0; /* already gone, or a server that cannot close: nothing to do */
}

static void close_question(struct checkin_prompts *c)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL;

        c->pending = sd_bus_slot_unref(c->pending);
        if (!c->id)
                return;
        if (sd_bus_message_new_method_call(c->bus, &m, NOTIFY_NAME, NOTIFY_PATH, NOTIFY_IFACE,
                                           "CloseNotification") >= 0 &&
            sd_bus_message_append(m, "u", c->id) >= 0)
                (void) sdbus_call_floating(c->bus, m, on_closed_reply, NULL, NULL, CALL_TIMEOUT);
        c->id = 0;
}

static int on_notify_reply(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
        struct checkin_prompts *c = userdata;
        const sd_bus_error *e = sd_bus_message_get_error(m);
        uint32_t id;

        c->pending = sd_bus_slot_unref(c->pending);
        if (e || sd_bus_message_read(m, "u", &id) < 0) {
                log_notice("check-in not shown (no notification server: %s)", e ? e->name : "bad reply");
                c->asking = ASK_NONE;
                return 0;
        }
        c->id = id;
        return 0;
}

static int append_hint(sd_bus_message *m, const char *key, const char *type, ...)
{
        va_list ap;
        int r;

        r = sd_bus_message_open_container(m, 'e', "sv");
        if (r >= 0)
                r = sd_bus_message_append(m, "s", key);
        if (r >= 0)
                r = sd_bus_message_open_container(m, 'v', type);
        if (r >= 0) {
                va_start(ap, type);
                r = sd_bus_message_appendv(m, type, ap);
                va_end(ap);
        }
        if (r >= 0)
                r = sd_bus_message_close_container(m);
        if (r >= 0)
                r = sd_bus_message_close_container(m);
        return r;
}

/* Shows a question with a button for each level: "Pain: low", "medium", "high". */
static void ask(struct checkin_prompts *c, enum question q, const char *summary, const char *body)
{
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL;
        const char *what = q == ASK_DAILY_FATIGUE ? "fatigue" : "pain";
        char label[64], action[32];
        int r;

        close_question(c);
        c->asking = q;
        r = sd_bus_message_new_method_call(c->bus, &m, NOTIFY_NAME, NOTIFY_PATH, NOTIFY_IFACE, "Notify");
        if (r >= 0)
                r = sd_bus_message_append(m, "susss", "limber", (uint32_t) 0, "", summary, body);
        if (r >= 0)
                r = sd_bus_message_open_container(m, 'a', "s");
        for (size_t i = 0; r >= 0 && i < ELEMENTSOF(levels); i++) {
                snprintf(action, sizeof(action), "%s-%s", what, levels[i].name);
                /* The first button names the question: "Pain: low", "medium", "high". */
                if (i == 0 && q == ASK_DAILY_FATIGUE)
                        snprintf(label, sizeof(label), _("Fatigue: %s"), _(levels[i].label));
                else if (i == 0)
                        snprintf(label, sizeof(label), _("Pain: %s"), _(levels[i].label));
                else
                        snprintf(label, sizeof(label), "%s", _(levels[i].label));
                r = sd_bus_message_append(m, "ss", action, label);
        }
        if (r >= 0)
                r = sd_bus_message_close_container(m);
        if (r >= 0)
                r = sd_bus_message_open_container(m, 'a', "{sv}");
        if (r >= 0)
                r = append_hint(m, "category", "s", "x-limber.check-in");
        if (r >= 0)
                r = append_hint(m, "desktop-entry", "s", "limberd");
        if (r >= 0)
                r = append_hint(m, "urgency", "y", (uint8_t) 1);
        if (r >= 0)
                r = sd_bus_message_close_container(m);
        if (r >= 0)
                r = sd_bus_message_append(m, "i", (int32_t) (q == ASK_REST_PAIN ? REST_EXPIRES : 0));
        if (r >= 0)
                r = sd_bus_call_async(c->bus, &c->pending, m, on_notify_reply, c, CALL_TIMEOUT);
        if (r < 0) {
                log_warning_errno(r, "cannot show the check-in");
                c->asking = ASK_NONE;
        }
}

static void ask_fatigue(struct checkin_prompts *c)
{
        ask(c, ASK_DAILY_FATIGUE, _("Daily check-in"), _("And how tired are you today?"));
}

/* The score an action names for a question ("pain-medium"), -1 for none. */
static int score_of(const char *action, const char *what)
{
        size_t len = strlen(what);

        if (strncmp(action, what, len) != 0 || action[len] != '-')
                return -1;
        for (size_t i = 0; i < ELEMENTSOF(levels); i++)
                if (streq(action + len + 1, levels[i].name))
                        return levels[i].score;
        return -1;
}

static int on_action(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
        struct checkin_prompts *c = userdata;
        const char *action;
        uint32_t id;
        int v;

        if (sd_bus_message_read(m, "us", &id, &action) < 0 || !c->id || id != c->id)
                return 0;
        v = score_of(action, c->asking == ASK_DAILY_FATIGUE ? "fatigue" : "pain");
        if (v < 0)
                return 0; /* a click on the body: the question stays */
        close_question(c); /* some servers leave it up after an action */
        switch (c->asking) {
        case ASK_REST_PAIN:
                c->asking = ASK_NONE;
                record(c, v, JOURNAL_SCORE_NONE, SOURCE_PROMPT);
                break;
        case ASK_DAILY_PAIN:
                c->pain = v;
                ask_fatigue(c);
                break;
        case ASK_DAILY_FATIGUE:
                c->asking = ASK_NONE;
                record(c, c->pain, v, SOURCE_CHECK_IN);
                break;
        default:
                break;
        }
        return 0;
}

/* The question went without an answer: nothing is recorded, but the pain
 * of a daily check-in already answered. */
static void dropped(struct checkin_prompts *c)
{
        if (c->asking == ASK_DAILY_FATIGUE)
                record(c, c->pain, JOURNAL_SCORE_NONE, SOURCE_CHECK_IN);
        c->asking = ASK_NONE;
        c->id = 0;
}

static int on_closed(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
        struct checkin_prompts *c = userdata;
        uint32_t id, reason;

        if (sd_bus_message_read(m, "uu", &id, &reason) < 0 || !c->id || id != c->id)
                return 0;
        dropped(c);
        return 0;
}

static void on_owner(void *userdata, const char *name, const char *owner)
{
        struct checkin_prompts *c = userdata;

        /* A new server reuses ids: ours mean nothing to it. */
        c->pending = sd_bus_slot_unref(c->pending);
        if (c->asking != ASK_NONE)
                dropped(c);
}

/* ---- the part ------------------------------------------------------------------------- */

int checkin_prompts_new(sd_bus *bus, struct checkin_prompts **ret)
{
        struct checkin_prompts *c = xcalloc(1, sizeof(*c));
        _cleanup_(freep) char *dir = user_state_dir();
        int r;

        c->bus = sd_bus_ref(bus);
        machine_id(c->machine);
        if (dir)
                c->journal = state_file_path(dir, "journal");
        r = sd_bus_match_signal_async(bus, &c->actions, NOTIFY_NAME, NOTIFY_PATH, NOTIFY_IFACE, "ActionInvoked",
                                      on_action, NULL, c);
        if (r >= 0)
                r = sd_bus_match_signal_async(bus, &c->closed, NOTIFY_NAME, NOTIFY_PATH, NOTIFY_IFACE,
                                              "NotificationClosed", on_closed, NULL, c);
        if (r >= 0)
                r = sdbus_watch_name(bus, NOTIFY_NAME, &c->owner, on_owner, c, NULL);
        if (r < 0) {
                checkin_prompts_free(c);
                return r;
        }
        *ret = c;
        return 0;
}

void checkin_prompts_free(struct checkin_prompts *c)
{
        if (!c)
                return;
        close_question(c);
        sd_bus_slot_unref(c->actions);
        sd_bus_slot_unref(c->closed);
        sd_bus_slot_unref(c->owner);
        sd_bus_unref(c->bus);
        free(c->journal);
        free(c);
}

void checkin_prompts_update(struct checkin_prompts *c, struct sched *s, const struct policy *p,
                            const struct moment *m)
{
        unsigned at = (unsigned) policy_get(p, KEY_PACING_CHECK_IN);
        int64_t offset = (int64_t) m->rt - (int64_t) m->sched;
        uint64_t rt;

        if (!c)
                return;
        if (at >= TIME_OFF) {
                if (c->next_rt)
                        sched_set_check_in(s, SCHED_NEVER, m->sched);
                c->next_rt = 0;
                return;
        }
        rt = next_day_start(m->rt, at);
        if (rt == c->next_rt && llabs(offset - c->offset) <= CLOCK_SLACK)
                return;
        c->next_rt = rt;
        c->offset = offset;
        sched_set_check_in(s, m->sched + (rt - m->rt), m->sched);
}

void checkin_prompts_daily(struct checkin_prompts *c)
{
        if (!c)
                return;
        c->pain = JOURNAL_SCORE_NONE;
        ask(c, ASK_DAILY_PAIN, _("Daily check-in"),
            _("How is your pain today? Your answer goes to your journal (limber journal); dismiss this to skip."));
}

void checkin_prompts_after_rest(struct checkin_prompts *c, uint64_t worked, const struct policy *p)
{
        char body[512], d[HUMAN_BUF];

        if (!c || !policy_get(p, KEY_PACING_REST_CHECK_IN))
                return;
        if (c->asking == ASK_DAILY_PAIN || c->asking == ASK_DAILY_FATIGUE)
                return; /* the daily check-in asks already */
        /* TRANSLATORS: %s is the active time before the rest, "40m". */
        snprintf(body, sizeof(body),
                 _("You rested after %s of activity, as you planned. How is your pain now? "
                   "Your answer goes to your journal."),
                 human_duration(d, worked));
        ask(c, ASK_REST_PAIN, _("Rest taken"), body);
}
