/* SPDX-License-Identifier: MIT */
#include "notifier.h"

#include <errno.h>
#include <libnotify/notify.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/eventfd.h>
#include <systemd/sd-event.h>
#include <unistd.h>

#include "human.h"
#include "i18n.h"
#include "log.h"
#include "quiet-gnome.h"
#include "util.h"
#include "value.h"

#define NOTIFICATIONS_NAME "org.freedesktop.Notifications"

enum msg_type {
        MSG_SHOW,
        MSG_CLOSE,
        MSG_NOTICE,
        MSG_LIMIT,
        MSG_QUIT,
};

struct msg {
        struct notifier *n;
        enum msg_type type;
        struct prompt prompt; /* its strings owned */
        int timeout;          /* MSG_NOTICE: ms */
        unsigned count;
        uint64_t active_today;
};

/* An action picked on the notifier thread, on its way to the main thread. */
struct action {
        int kind;
        char name[16];
};

#define MAX_PENDING 32

struct notifier {
        /* main thread */
        sd_event_source *source;
        notifier_action_fn on_action;
        void *userdata;

        /* shared */
        int efd;
        pthread_mutex_t lock;
        struct action pending[MAX_PENDING];
        size_t n_pending;

        /* notifier thread */
        pthread_t thread;
        GMainContext *ctx;
        GMainLoop *loop;
        guint watch;
        char *owner;
        NotifyNotification *prompt, *limit;
        int prompt_kind;
        struct prompt shown; /* its strings owned; kind -1: none */
        bool ready;          /* notify_init done */
};

/* A prompt with copies of its strings, and their release. */
static void prompt_copy(struct prompt *dst, const struct prompt *src)
{
        *dst = *src;
        dst->title = xstrdup(src->title ? src->title : "");
        dst->body = xstrdup(src->body ? src->body : "");
        dst->image = src->image ? xstrdup(src->image) : NULL;
        dst->sound = src->sound ? xstrdup(src->sound) : NULL;
}

static void prompt_clear(struct prompt *p)
{
        free((char *) p->title);
        free((char *) p->body);
        free((char *) p->image);
        free((char *) p->sound);
        *p = (struct prompt){ .kind = -1, .value = -1 };
}

/* ---- notifier thread ------------------------------------------------------- */

static void queue_action(struct notifier *n, int kind, const char *name)
{
        uint64_t one = 1;

        pthread_mutex_lock(&n->lock);
        if (n->n_pending < MAX_PENDING) {
                n->pending[n->n_pending].kind = kind;
                snprintf(n->pending[n->n_pending].name, sizeof(n->pending[0].name), "%s", name);
                n->n_pending++;
        }
        pthread_mutex_unlock(&n->lock);
        if (write(n->efd, &one, sizeof(one)) < 0)
                log_debug_errno(-errno, "cannot wake the main thread");
}

/* Forget notification objects without talking to the server: after the
 * server changed, their ids may belong to someone else's notifications. */
static void drop_objects(struct notifier *n)
{
        if (n->prompt) {
                g_signal_handlers_disconnect_by_data(n->prompt, n);
                g_object_unref(n->prompt);
                n->prompt = NULL;
        }
        if (n->limit) {
                g_object_unref(n->limit);
                n->limit = NULL;
        }
}

static gboolean once(gpointer data)
{
        return G_SOURCE_REMOVE;
}

static void on_action(NotifyNotification *nn, char *action, gpointer userdata)
{
        struct notifier *n = userdata;
        GError *err = NULL;
        GSource *later;

        if (nn != n->prompt)
                return; /* a stale object: not ours any more */
        queue_action(n, n->prompt_kind, action);
        /* Some servers (dunst) leave a notification up after an action. */
        if (!notify_notification_close(nn, &err)) {
                log_debug("cannot close the notification: %s", err->message);
                g_error_free(err);
        }
        /* Let go of it, once libnotify is done with this signal: its "closed"
         * signal may come after what shows next has taken its id (dunst
         * reuses it) and would take that notification from us. */
        g_signal_handlers_disconnect_by_data(nn, n);
        n->prompt = NULL;
        later = g_idle_source_new();
        g_source_set_callback(later, once, nn, g_object_unref); /* also when the loop ends first */
        g_source_attach(later, n->ctx);
        g_source_unref(later);
}

static void on_closed(NotifyNotification *nn, gpointer userdata)
{
        struct notifier *n = userdata;

        if (nn == n->prompt) {
                g_signal_handlers_disconnect_by_data(nn, n);
                g_object_unref(n->prompt);
                n->prompt = NULL;
        }
}

/* Withdraws the prompt's notification from the screen and lets go of it:
 * one of ours never stays up with buttons nobody listens to any more. */
static void withdraw_prompt(struct notifier *n)
{
        GError *err = NULL;

        if (!n->prompt)
                return;
        g_signal_handlers_disconnect_by_data(n->prompt, n);
        if (!notify_notification_close(n->prompt, &err)) {
                log_debug("cannot close the notification: %s", err->message);
                g_error_free(err);
        }
        g_object_unref(n->prompt);
        n->prompt = NULL;
}

/* The hints of what a prompt shows; a hint it lacks is removed (they stay on
 * the object from one show to the next). */
static void set_hints(NotifyNotification *nn, const struct prompt *p)
{
        notify_notification_set_hint(nn, "desktop-entry", g_variant_new_string("limberd"));
        notify_notification_set_hint(nn, "image-path", p->image ? g_variant_new_string(p->image) : NULL);
        notify_notification_set_hint(nn, "value", p->value >= 0 ? g_variant_new_int32(p->value) : NULL);
        notify_notification_set_hint(nn, "sound-name", p->sound ? g_variant_new_string(p->sound) : NULL);
}

/* Shows n->shown (the latest prompt) on screen, creating or updating the
 * notification. Runs only on the notifier thread. */
static void show_prompt(struct notifier *n)
{
        const struct prompt *p = &n->shown;
        GError *err = NULL;

        if (!n->prompt || n->prompt_kind != p->kind) {
                /* Another kind's prompt: a new notification, so that it pops up. */
                withdraw_prompt(n);
                n->prompt = notify_notification_new(p->title, p->body, NULL);
                n->prompt_kind = p->kind;
                g_signal_connect(n->prompt, "closed", G_CALLBACK(on_closed), n);
        } else {
                notify_notification_update(n->prompt, p->title, p->body, NULL);
        }

        notify_notification_clear_actions(n->prompt);
        if (p->start)
                notify_notification_add_action(n->prompt, "start", C_("button", "Start"), on_action, n, NULL);
        if (p->snooze)
                notify_notification_add_action(n->prompt, "snooze", C_("button", "Snooze"), on_action, n, NULL);
        if (p->skip)
                notify_notification_add_action(n->prompt, "skip", C_("button", "Skip"), on_action, n, NULL);
        notify_notification_set_timeout(n->prompt, NOTIFY_EXPIRES_NEVER);
        notify_notification_set_urgency(n->prompt, p->count >= 3 ? NOTIFY_URGENCY_CRITICAL : NOTIFY_URGENCY_NORMAL);
        notify_notification_set_category(n->prompt, "x-limber.break");
        notify_notification_set_app_name(n->prompt, "limber");
        set_hints(n->prompt, p);
        /* A sound goes with the moment, not with a later showing of the same
         * prompt (a notification server that came back). */
        free((char *) n->shown.sound);
        n->shown.sound = NULL;

        if (!notify_notification_show(n->prompt, &err)) {
                log_notice("prompt (no notification server: %s): %s — %s", err->message, p->title, p->body);
                g_error_free(err);
                g_signal_handlers_disconnect_by_data(n->prompt, n);
                g_object_unref(n->prompt);
                n->prompt = NULL;
        }
}

static void close_prompt(struct notifier *n)
{
        prompt_clear(&n->shown);
        withdraw_prompt(n);
}

/* The prompt on screen becomes the notice, in place, and is let go of. */
static void show_notice(struct notifier *n, const struct prompt *p, int timeout)
{
        NotifyNotification *nn = n->prompt;
        GError *err = NULL;

        prompt_clear(&n->shown);
        n->prompt = NULL;
        if (nn) {
                g_signal_handlers_disconnect_by_data(nn, n);
                notify_notification_update(nn, p->title, p->body, NULL);
        } else {
                nn = notify_notification_new(p->title, p->body, NULL);
        }
        notify_notification_clear_actions(nn);
        notify_notification_set_timeout(nn, timeout);
        notify_notification_set_urgency(nn, NOTIFY_URGENCY_NORMAL);
        notify_notification_set_category(nn, "x-limber.break");
        notify_notification_set_app_name(nn, "limber");
        set_hints(nn, p);
        if (!notify_notification_show(nn, &err)) {
                log_notice("%s (no notification server: %s): %s", p->title, err->message, p->body);
                g_error_free(err);
        }
        g_object_unref(nn);
}

static void show_limit(struct notifier *n, unsigned count, uint64_t active_today)
{
        char body[256], d[HUMAN_BUF];
        GError *err = NULL;

        if (!count) {
                if (n->limit && !notify_notification_close(n->limit, &err)) {
                        log_debug("cannot close the notification: %s", err->message);
                        g_error_free(err);
                }
                if (n->limit)
                        g_object_unref(n->limit);
                n->limit = NULL;
                return;
        }
        snprintf(body, sizeof(body),
                 _("You have been active for %s today, your daily limit. Stop for today if you can; "
                   "tomorrow starts afresh."),
                 human_duration(d, active_today));
        if (!n->limit)
                n->limit = notify_notification_new(_("Daily limit reached"), body, NULL);
        else
                notify_notification_update(n->limit, _("Daily limit reached"), body, NULL);
        notify_notification_set_timeout(n->limit, NOTIFY_EXPIRES_NEVER);
        notify_notification_set_urgency(n->limit, count >= 3 ? NOTIFY_URGENCY_CRITICAL : NOTIFY_URGENCY_NORMAL);
        notify_notification_set_app_name(n->limit, "limber");
        if (!notify_notification_show(n->limit, &err)) {
                log_notice("daily limit reached (no notification server: %s)", err->message);
                g_error_free(err);
                g_object_unref(n->limit);
                n->limit = NULL;
        }
}

static gboolean handle_msg(gpointer data)
{
        struct msg *m = data;
        struct notifier *n = m->n;

        switch (m->type) {
        case MSG_SHOW:
                prompt_clear(&n->shown);
                n->shown = m->prompt; /* takes its strings */
                m->prompt = (struct prompt){ .kind = -1 };
                show_prompt(n);
                break;
        case MSG_CLOSE:
                close_prompt(n);
                break;
        case MSG_NOTICE:
                show_notice(n, &m->prompt, m->timeout);
                break;
        case MSG_LIMIT:
                show_limit(n, m->count, m->active_today);
                break;
        case MSG_QUIT:
                close_prompt(n);
                show_limit(n, 0, 0);
                g_main_loop_quit(n->loop);
                break;
        }
        return G_SOURCE_REMOVE;
}

static void free_msg(gpointer data)
{
        struct msg *m = data;
        prompt_clear(&m->prompt);
        free(m);
}

static void owner_changed(struct notifier *n, const char *owner)
{
        if (streq(owner, n->owner))
                return;
        if (n->owner || owner)
                log_debug("the notification server is now %s", owner ? owner : "gone");
        free(n->owner);
        n->owner = owner ? xstrdup(owner) : NULL;
        drop_objects(n);
        /* A prompt that was up is shown again by the new server. */
        if (owner && n->shown.kind >= 0)
                show_prompt(n);
}

static void on_appeared(GDBusConnection *c, const gchar *name, const gchar *owner, gpointer userdata)
{
        owner_changed(userdata, owner);
}

static void on_vanished(GDBusConnection *c, const gchar *name, gpointer userdata)
{
        owner_changed(userdata, NULL);
}

static void *thread_main(void *userdata)
{
        struct notifier *n = userdata;

        g_main_context_push_thread_default(n->ctx);
        n->ready = notify_init("limber");
        if (!n->ready)
                log_warning("cannot initialise libnotify; prompts go to the log");
        /* Watch the server on this thread's context; never auto-start one. */
        n->watch = g_bus_watch_name(G_BUS_TYPE_SESSION, NOTIFICATIONS_NAME, G_BUS_NAME_WATCHER_FLAGS_NONE,
                                    on_appeared, on_vanished, n, NULL);
        /* GNOME's do-not-disturb switch needs a running GLib context: this one. */
        gnome_dnd_thread_start();
        g_main_loop_run(n->loop);
        gnome_dnd_thread_stop();
        if (n->watch)
                g_bus_unwatch_name(n->watch);
        drop_objects(n);
        if (n->ready)
                notify_uninit();
        g_main_context_pop_thread_default(n->ctx);
        return NULL;
}

/* ---- main thread ------------------------------------------------------------ */

static int on_efd(sd_event_source *s, int fd, uint32_t revents, void *userdata)
{
        struct notifier *n = userdata;
        struct action got[MAX_PENDING];
        uint64_t v;
        size_t cnt;

        if (read(fd, &v, sizeof(v)) < 0 && errno != EAGAIN)
                return 0;
        pthread_mutex_lock(&n->lock);
        cnt = n->n_pending;
        memcpy(got, n->pending, cnt * sizeof(got[0]));
        n->n_pending = 0;
        pthread_mutex_unlock(&n->lock);
        for (size_t i = 0; i < cnt; i++)
                n->on_action(n->userdata, got[i].kind, got[i].name);
        return 0;
}

static void post(struct notifier *n, struct msg *m)
{
        m->n = n;
        g_main_context_invoke_full(n->ctx, G_PRIORITY_DEFAULT, handle_msg, m, free_msg);
}

int notifier_new(sd_event *event, notifier_action_fn on_action_fn, void *userdata, struct notifier **ret)
{
        struct notifier *n = xcalloc(1, sizeof(*n));
        int r;

        n->on_action = on_action_fn;
        n->userdata = userdata;
        n->prompt_kind = -1;
        n->shown = (struct prompt){ .kind = -1, .value = -1 };
        pthread_mutex_init(&n->lock, NULL);
        n->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        if (n->efd < 0) {
                r = -errno;
                free(n);
                return r;
        }
        r = sd_event_add_io(event, &n->source, n->efd, EPOLLIN, on_efd, n);
        if (r < 0) {
                close(n->efd);
                free(n);
                return r;
        }
        n->ctx = g_main_context_new();
        n->loop = g_main_loop_new(n->ctx, FALSE);
        r = -pthread_create(&n->thread, NULL, thread_main, n);
        if (r < 0) {
                sd_event_source_unref(n->source);
                g_main_loop_unref(n->loop);
                g_main_context_unref(n->ctx);
                close(n->efd);
                free(n);
                return r;
        }
        *ret = n;
        return 0;
}

void notifier_free(struct notifier *n)
{
        struct msg *m;
        struct timespec deadline;

        if (!n)
                return;
        m = xcalloc(1, sizeof(*m));
        m->type = MSG_QUIT;
        m->prompt.kind = -1;
        post(n, m);
        /* A hung server can hold the thread for 25 s; do not wait for that. */
        clock_gettime(CLOCK_REALTIME, &deadline);
        deadline.tv_sec += 3;
        if (pthread_timedjoin_np(n->thread, NULL, &deadline) != 0) {
                log_warning("the notification thread is stuck (a hung notification server?); leaving it");
                sd_event_source_disable_unref(n->source);
                return; /* the process is exiting; the thread still uses n */
        }
        g_main_loop_unref(n->loop);
        g_main_context_unref(n->ctx);
        sd_event_source_disable_unref(n->source);
        close(n->efd);
        free(n->owner);
        prompt_clear(&n->shown);
        pthread_mutex_destroy(&n->lock);
        free(n);
}

void notifier_show(struct notifier *n, const struct prompt *p)
{
        struct msg *m = xcalloc(1, sizeof(*m));

        m->type = MSG_SHOW;
        prompt_copy(&m->prompt, p);
        post(n, m);
}

void notifier_notice(struct notifier *n, const struct prompt *p, int timeout_ms)
{
        struct msg *m = xcalloc(1, sizeof(*m));

        m->type = MSG_NOTICE;
        prompt_copy(&m->prompt, p);
        m->timeout = timeout_ms;
        post(n, m);
}

void notifier_close(struct notifier *n)
{
        struct msg *m = xcalloc(1, sizeof(*m));
        m->type = MSG_CLOSE;
        post(n, m);
}

void notifier_limit(struct notifier *n, unsigned count, uint64_t active_today)
{
        struct msg *m = xcalloc(1, sizeof(*m));
        m->type = MSG_LIMIT;
        m->count = count;
        m->active_today = active_today;
        post(n, m);
}
