/* SPDX-License-Identifier: MIT */
#include "words.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "i18n.h"
#include "util.h"

const char *kind_label(const char *kind)
{
        if (streq(kind, "posture"))
                return C_("break kind", "posture");
        if (streq(kind, "movement"))
                return C_("break kind", "movement");
        if (streq(kind, "pacing"))
                return C_("break kind", "pacing");
        return kind;
}

const char *presence_label(const char *presence)
{
        if (streq(presence, "active"))
                return C_("presence", "active");
        if (streq(presence, "idle"))
                return C_("presence", "idle");
        if (streq(presence, "locked"))
                return C_("presence", "locked");
        if (streq(presence, "asleep"))
                return C_("presence", "asleep");
        return presence;
}

int text_columns(const char *s)
{
        size_t n = mbstowcs(NULL, s, 0);
        wchar_t *w;
        int cols;

        if (n == (size_t) -1)
                return (int) strlen(s);
        w = xcalloc(n + 1, sizeof(*w));
        mbstowcs(w, s, n + 1);
        cols = wcswidth(w, n);
        free(w);
        return cols < 0 ? (int) n : cols;
}

int column_width(int min, const char *s)
{
        int cols = text_columns(s);

        return cols > min ? cols : min;
}

void print_cell(FILE *f, const char *s, int width, bool right)
{
        int pad = width - text_columns(s);

        if (pad < 0)
                pad = 0;
        fprintf(f, "%*s%s%*s", right ? pad : 0, "", s, right ? 0 : pad, "");
}
