/* fake_clock.h: a clock (jobd/clock.h) for unit suites: time moves only when the test says,
 * and timers fire from fake_clock_turn / fake_clock_advance, like a loop's turns. */
#ifndef FRAGENT_FAKE_CLOCK_H
#define FRAGENT_FAKE_CLOCK_H

#include <stdint.h>

#include "clock.h"

/* A clock at time "start_ms". Free with fake_clock_free (NULL-safe). */
struct clock	*fake_clock_new(uint64_t start_ms);
void		 fake_clock_free(struct clock *c);
/* Fires every timer due now (timers armed by those fire too, when due), like one loop turn
 * and the turns its zero timeouts cause. Returns how many fired. */
int		 fake_clock_turn(struct clock *c);
/* Moves time forward "ms" milliseconds, firing timers in time order as it passes them. */
void		 fake_clock_advance(struct clock *c, uint64_t ms);
/* Armed timers. */
int		 fake_clock_armed(struct clock *c);

#endif
