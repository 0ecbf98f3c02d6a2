/* test-watchdog.c: the GUI tests' watchdog (wslfp-test-watchdog.h) aborts
 * a test whose main loop stops, with the stuck thread's stack, and leaves
 * alone one whose main loop runs. */
#include <glib.h>

#include "wslfp-test-watchdog.h"

static void
block_without_the_loop (void)
{
  wslfp_test_watchdog_start (1);
  g_usleep (6 * G_USEC_PER_SEC); /* (a main thread stuck in a call) */
}

static void
run_the_loop (void)
{
  wslfp_test_watchdog_start (1);
  gint64 end = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE), g_usleep (10000);
}

static void
test_watchdog_stall (void)
{
  if (g_test_subprocess ())
    {
      block_without_the_loop ();
      return;
    }
  g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*watchdog: the main loop has not run for 1 s (test /watchdog/stall)*");
  g_test_trap_assert_stderr ("*watchdog: aborting*");
  /* the stuck thread's stack names where it is stuck (gdb prints it on
   * stdout, the fallback on stderr) */
  g_autofree char *gdb = g_find_program_in_path ("gdb");
  if (gdb != NULL)
    g_test_trap_assert_stdout ("*g_usleep*");
  else
    g_test_trap_assert_stderr ("*g_usleep*");
}

static void
test_watchdog_running (void)
{
  if (g_test_subprocess ())
    {
      run_the_loop ();
      return;
    }
  g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr_unmatched ("*watchdog*");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/watchdog/stall", test_watchdog_stall);
  g_test_add_func ("/watchdog/running", test_watchdog_running);
  return g_test_run ();
}
