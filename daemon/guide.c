/* SPDX-License-Identifier: MIT */
#include "guide.h"

#include "exercises.h"

size_t guide_layout(const struct exercise *const *pool, size_t n, size_t first, unsigned want, uint64_t duration,
                    struct guide_slot *ret, size_t max, size_t *next)
{
        size_t out = 0, looked = 0, taken = 0;
        uint64_t at = 0;

        if (want > GUIDE_EXERCISES_MAX)
                want = GUIDE_EXERCISES_MAX;
        for (; looked < n && taken < want; looked++) {
                const struct exercise *e = pool[(first + looked) % n];
                uint64_t len = exercise_duration(e);

                /* Whole exercises only: half a stretch (one side) is no use. */
                if (len > duration - at || out + e->n_steps + 1 > max)
                        continue;
                for (size_t i = 0; i < e->n_steps; i++) {
                        uint64_t d = exercise_step_duration(&e->steps[i]);
                        ret[out++] = (struct guide_slot){ .ex = e, .step = i, .start = at, .end = at + d };
                        at += d;
                }
                taken++;
        }
        if (at < duration || out == 0)
                ret[out++] = (struct guide_slot){ .start = at, .end = duration };
        if (next)
                *next = n ? (first + looked) % n : 0;
        return out;
}

size_t guide_step_at(const uint64_t *ends, size_t n, uint64_t elapsed)
{
        for (size_t i = 0; i < n; i++)
                if (elapsed < ends[i])
                        return i;
        return n ? n - 1 : 0;
}
