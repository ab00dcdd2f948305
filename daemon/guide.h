/* SPDX-License-Identifier: MIT */
#pragma once

#include <stddef.h>
#include <stdint.h>

struct exercise;

/*
 * The plan of a guided break: which exercises a started break goes
 * through, and when each step comes, as spans of the break's away time
 * (0 at Start, the break's duration at its end). Pure: no clock, no I/O.
 *
 * The break's own countdown is the clock: the scheduler counts a started
 * break down over time away and stops it while there is input, so the step
 * on screen is the one whose span holds the away time elapsed.
 */

/* The most exercises one break takes (movement.exercises-per-break's bound). */
#define GUIDE_EXERCISES_MAX 10
/* The most slots a plan has: every step of those exercises, and the closing one. */
#define GUIDE_SLOTS_MAX (GUIDE_EXERCISES_MAX * 20 + 1)

struct guide_slot {
        const struct exercise *ex; /* NULL: the closing step, until the break ends */
        size_t step;               /* index into ex->steps */
        uint64_t start, end;       /* µs of away time into the break */
};

/*
 * Looks at the exercises of pool (n of them, in the order the policy lists
 * them) in turn from pool[first % n], each at most once, and takes up to
 * `want` of them: an exercise is taken when all its steps fit into what is
 * left of duration, and passed over otherwise. Their steps are laid end to
 * end from 0; the time left after the last is one closing slot (ex NULL)
 * until duration. With nothing taken, the closing slot is the whole break.
 * Fills ret (room for max slots, at least 1) and returns how many; *next
 * (may be NULL) is where the next break of the kind should start looking,
 * so that consecutive breaks differ.
 */
size_t guide_layout(const struct exercise *const *pool, size_t n, size_t first, unsigned want, uint64_t duration,
                    struct guide_slot *ret, size_t max, size_t *next);

/* The step whose span holds `elapsed`, given where each of the n steps ends
 * (ascending): the first that ends after it, else the last. */
size_t guide_step_at(const uint64_t *ends, size_t n, uint64_t elapsed);
