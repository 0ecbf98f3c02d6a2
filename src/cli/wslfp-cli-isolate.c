/* wslfp-cli-isolate.c: running a subcommand in a child process, so that a
 * corrupt HDF5 file that crashes or hangs the HDF5 library (1.10.8 has such
 * bugs in its metadata parsing) ends as an error message, not as a dead or
 * stuck command.  The child reports, through a pipe, which file it is
 * parsing and which temporary outputs it creates (wslfp_h5_watch); the
 * parent limits the parsing time, reports a crash, removes the child's
 * temporary files, and passes signals on. */
#include "wslfp-cli.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "wslfp-h5.h"

#define DEFAULT_TIMEOUT_S 10

#ifdef WSLFP_COVERAGE
void __gcov_dump (void);
#endif

#if defined(__SANITIZE_ADDRESS__)
#define WSLFP_LEAK_CHECK 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define WSLFP_LEAK_CHECK 1
#endif
#endif
#ifdef WSLFP_LEAK_CHECK
#include <sanitizer/lsan_interface.h>
#endif

static volatile pid_t child_pid;
static volatile sig_atomic_t forwarded;

/* A signal for the parent is the child's to act on (it removes its own
 * temporary files); the parent then ends the same way. */
static void
forward_cb (int sig)
{
  forwarded = sig;
  if (child_pid > 0)
    kill (child_pid, sig);
}

typedef struct
{
  GString *pending;     /* a partial line */
  char *reading;        /* the file being parsed, or NULL */
  char *last;           /* the last file parsed */
  GPtrArray *temps;
} Watch;

static void
on_line (Watch *w, const char *line, gint64 *deadline_us, gint64 limit_us)
{
  if (g_str_has_prefix (line, "reading "))
    {
      g_free (w->reading);
      w->reading = g_strdup (line + 8);
      g_free (w->last);
      w->last = g_strdup (line + 8);
      *deadline_us = g_get_monotonic_time () + limit_us;
    }
  else if (g_str_has_prefix (line, "read "))
    g_clear_pointer (&w->reading, g_free);
  else if (g_str_has_prefix (line, "temp "))
    g_ptr_array_add (w->temps, g_strdup (line + 5));
}

static void
read_lines (Watch *w, int fd, gboolean *eof, gint64 *deadline_us, gint64 limit_us)
{
  char buf[4096];
  gssize n = read (fd, buf, sizeof buf);
  if (n < 0 && errno == EINTR)
    return;
  if (n <= 0)
    {
      *eof = TRUE;
      return;
    }
  g_string_append_len (w->pending, buf, n);
  char *nl;
  while ((nl = memchr (w->pending->str, '\n', w->pending->len)) != NULL)
    {
      *nl = '\0';
      on_line (w, w->pending->str, deadline_us, limit_us);
      g_string_erase (w->pending, 0, nl - w->pending->str + 1);
    }
}

static gint64
timeout_us (void)
{
  const char *env = g_getenv ("WSLFP_METADATA_TIMEOUT_S");
  double s = env ? g_ascii_strtod (env, NULL) : DEFAULT_TIMEOUT_S;
  return (gint64) ((s > 0 ? s : DEFAULT_TIMEOUT_S) * G_USEC_PER_SEC);
}

int
wslfp_cli_run_isolated (const char *command, WslfpCliCommand run, int argc, char **argv)
{
  /* WSLFP_NO_ISOLATION=1 runs in this process (debuggers, profilers). */
  if (g_getenv ("WSLFP_NO_ISOLATION") != NULL)
    return run (argc, argv);
  int fds[2];
  if (pipe (fds) != 0)
    return run (argc, argv);
  fflush (NULL);
  pid_t pid = fork ();
  if (pid < 0)
    {
      close (fds[0]);
      close (fds[1]);
      return run (argc, argv);
    }
  if (pid == 0)
    {
      close (fds[0]);
      wslfp_h5_set_watch_fd (fds[1]);
      int status = run (argc, argv);
      fflush (NULL);
#ifdef WSLFP_COVERAGE
      /* (_exit skips the exit handler that writes the counts) */
      __gcov_dump ();
#endif
#ifdef WSLFP_LEAK_CHECK
      /* (_exit skips LeakSanitizer's check at exit too: without this, a
       * sanitized build would never see what the command itself leaks) */
      __lsan_do_leak_check ();
#endif
      _exit (status);
    }

  close (fds[1]);
  child_pid = pid;
  struct sigaction sa = { 0 };
  sa.sa_handler = forward_cb;
  sigemptyset (&sa.sa_mask);
  const int signals[] = { SIGINT, SIGTERM, SIGHUP };
  for (guint i = 0; i < G_N_ELEMENTS (signals); i++)
    sigaction (signals[i], &sa, NULL);

  Watch w = { g_string_new (NULL), NULL, NULL, g_ptr_array_new_with_free_func (g_free) };
  gint64 limit_us = timeout_us (), deadline_us = 0;
  gboolean eof = FALSE, hung = FALSE;
  while (!eof)
    {
      int wait_ms = -1;
      if (w.reading != NULL)
        {
          gint64 left = deadline_us - g_get_monotonic_time ();
          if (left <= 0)
            {
              hung = TRUE;
              kill (pid, SIGKILL);
              break;
            }
          wait_ms = (int) MAX (left / 1000, 1);
        }
      struct pollfd p = { fds[0], POLLIN, 0 };
      int r = poll (&p, 1, wait_ms);
      if (r > 0)
        read_lines (&w, fds[0], &eof, &deadline_us, limit_us);
    }
  close (fds[0]);
  int status = 0;
  while (waitpid (pid, &status, 0) < 0 && errno == EINTR)
    ;
  child_pid = 0;

  gboolean died = hung || WIFSIGNALED (status);
  if (died)
    /* What the child was writing is of no use. */
    for (guint i = 0; i < w.temps->len; i++)
      unlink (g_ptr_array_index (w.temps, i));
  int result = WIFEXITED (status) ? WEXITSTATUS (status) : WSLFP_EXIT_FAILURE;
  if (forwarded != 0)
    {
#ifdef WSLFP_COVERAGE
      /* (the signal ends this process before the exit handler that
       * writes the counts: without them no test seems to forward one) */
      __gcov_dump ();
#endif
      struct sigaction dfl = { 0 };
      dfl.sa_handler = SIG_DFL;
      sigaction (forwarded, &dfl, NULL);
      raise (forwarded);
    }
  else if (hung)
    g_printerr ("wslfp %s: %s: corrupt HDF5 metadata (the HDF5 library was still reading it after %g s; stopped)\n",
                command, w.reading ? w.reading : "the input", limit_us / 1e6);
  else if (WIFSIGNALED (status))
    {
      const char *file = w.reading ? w.reading : w.last;
      if (w.reading != NULL)
        g_printerr ("wslfp %s: %s: corrupt HDF5 metadata (the HDF5 library crashed: %s)\n", command, file,
                    strsignal (WTERMSIG (status)));
      else
        g_printerr ("wslfp %s: %s%sthe program crashed (%s); no output was written\n", command,
                    file ? file : "", file ? ": " : "", strsignal (WTERMSIG (status)));
    }
  g_string_free (w.pending, TRUE);
  g_free (w.reading);
  g_free (w.last);
  g_ptr_array_unref (w.temps);
  return died ? WSLFP_EXIT_FAILURE : result;
}
