/* wslfp-test-watchdog.h: a GUI test whose main thread stops running the
 * main loop (blocked on a lock, a join, a wait that never ends) prints
 * every thread's stack and aborts, instead of hanging until meson's time
 * limit kills it with nothing to show. */
#pragma once

#include <glib.h>

/* Starts watching the default main context: if it is not iterated for
 * @stall_seconds (or $WSLFP_TEST_STALL_S), every thread's stack goes to
 * stderr (by gdb where it is installed, else each thread's own
 * backtrace()) and the test aborts.  Call once, from the main thread. */
void wslfp_test_watchdog_start (guint stall_seconds);

/* Seconds since the watched main context last ran a source of the default
 * priority (-1 before wslfp_test_watchdog_start): a wait whose loop runs
 * while this grows is starved by sources of a higher priority. */
int wslfp_test_watchdog_beat_age_s (void);

/* Prints every thread's stack to stderr, as the watchdog does: for a wait
 * that timed out while the main loop ran (a worker that never finished). */
void wslfp_test_dump_all_stacks (void);
