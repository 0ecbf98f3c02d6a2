/* wslfp-test-watchdog.c: see wslfp-test-watchdog.h. */
#include "wslfp-test-watchdog.h"

#include <dirent.h>
#include <execinfo.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static gint last_beat_s;   /* monotonic second of the main loop's last heartbeat */
static gint stall_s;

static gint
now_s (void)
{
  return (gint) (g_get_monotonic_time () / G_USEC_PER_SEC);
}

static gboolean
beat_cb (gpointer data)
{
  g_atomic_int_set (&last_beat_s, now_s ());
  return G_SOURCE_CONTINUE;
}

/* (async-signal context: write(2) and backtrace only; backtrace() was
 * called once before, so that it does not load libgcc here) */
static void
dump_own_stack (int sig)
{
  char head[64];
  int n = snprintf (head, sizeof head, "\n--- thread %ld ---\n", (long) syscall (SYS_gettid));
  if (n > 0 && write (STDERR_FILENO, head, (size_t) n) < 0)
    return;
  void *frames[64];
  backtrace_symbols_fd (frames, backtrace (frames, G_N_ELEMENTS (frames)), STDERR_FILENO);
}

/* Every thread's stack: gdb's, where it can attach; else each thread
 * prints its own (names of exported functions only). */
void
wslfp_test_dump_all_stacks (void)
{
  g_autofree char *gdb = g_find_program_in_path ("gdb");
  if (gdb != NULL)
    {
      g_autofree char *pid = g_strdup_printf ("%d", (int) getpid ());
      const char *argv[] = { gdb, "-p", pid, "-batch", "-nx", "-ex", "thread apply all bt", NULL };
      int status = -1;
      /* (its output straight to ours: stdout and stderr inherited) */
      if (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_CHILD_INHERITS_STDIN, NULL, NULL, NULL, NULL, &status,
                        NULL) && g_spawn_check_wait_status (status, NULL))
        return;
    }
  struct sigaction sa = { 0 };
  sa.sa_handler = dump_own_stack;
  sigaction (SIGUSR2, &sa, NULL);
  DIR *tasks = opendir ("/proc/self/task");
  if (tasks == NULL)
    return;
  long self = (long) syscall (SYS_gettid);
  for (struct dirent *t = readdir (tasks); t != NULL; t = readdir (tasks))
    {
      long tid = strtol (t->d_name, NULL, 10);
      if (tid > 0 && tid != self)
        {
          syscall (SYS_tgkill, (long) getpid (), tid, SIGUSR2);
          g_usleep (200000); /* (one at a time, so that the stacks do not interleave) */
        }
    }
  closedir (tasks);
}

static gpointer
watch (gpointer data)
{
  for (;;)
    {
      g_usleep (G_USEC_PER_SEC);
      if (now_s () - g_atomic_int_get (&last_beat_s) > stall_s)
        {
          fprintf (stderr, "\nwatchdog: the main loop has not run for %d s (test %s); every thread's stack "
                   "follows\n", stall_s, g_test_get_path ());
          wslfp_test_dump_all_stacks ();
          fprintf (stderr, "\nwatchdog: aborting\n");
          abort ();
        }
    }
  return NULL;
}

int
wslfp_test_watchdog_beat_age_s (void)
{
  return stall_s > 0 ? now_s () - g_atomic_int_get (&last_beat_s) : -1;
}

void
wslfp_test_watchdog_start (guint stall_seconds)
{
  const char *env = g_getenv ("WSLFP_TEST_STALL_S");
  if (env != NULL && g_ascii_strtoull (env, NULL, 10) > 0)
    stall_seconds = (guint) g_ascii_strtoull (env, NULL, 10);
  stall_s = (gint) stall_seconds;
  void *frames[4];
  backtrace (frames, G_N_ELEMENTS (frames)); /* (loads what backtrace() needs now, not in a signal handler) */
  beat_cb (NULL);
  g_timeout_add (250, beat_cb, NULL);
  g_thread_unref (g_thread_new ("test-watchdog", watch, NULL));
}
