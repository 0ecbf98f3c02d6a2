/* fuzz-output.c: every writer, onto whatever already has the output's
 * name: nothing, a file, a folder, a pipe, a socket, a device, or a
 * symbolic link to any of these (or to nothing, or to itself).
 *   byte 0: what is there        byte 1: which writer
 * then a few bytes of an existing file's contents.  The rules (issue 20,
 * item 8): a write succeeds only onto nothing, a regular file or a link
 * to a regular file — and then a regular file holds the output where the
 * name (or the link's target) points, and a link stays a link; otherwise
 * it fails with a message naming the output, and what was there is
 * exactly as it was.  No temporary file is left behind either way. */
#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "fuzz-scratch.h"
#include "wslfp-cli.h"
#include "wslfp-demo-file.h"
#include "wslfp-h5.h"
#include "wslfp-lfp.h"
#include "wslfp-session.h"

typedef enum
{
  THERE_NOTHING,
  THERE_FILE,
  THERE_FOLDER,
  THERE_FIFO,
  THERE_SOCKET,
  THERE_DEVICE,        /* a link to /dev/null: creating device nodes needs root */
  THERE_LINK_FILE,
  THERE_LINK_FOLDER,
  THERE_LINK_FIFO,
  THERE_LINK_NOWHERE,
  THERE_LINK_ITSELF,
  THERE_LINK_LINK_FILE, /* a link to a link to a file */
  N_THERE
} There;

static const char *const suffixes[] = { ".h5", ".csv", ".nwb", ".json", ".csv", WSLFP_SESSION_SUFFIX,
                                        ".png", ".svg", ".pdf", ".h5" };
#define N_WRITERS G_N_ELEMENTS (suffixes)

static WslfpLfp *
small_lfp (void)
{
  WslfpLfp *lfp = g_new0 (WslfpLfp, 1);
  lfp->n_times = 3;
  lfp->n_electrodes = 2;
  lfp->t_ms = g_memdup2 ((double[]) { 0, 1, 2 }, 3 * sizeof (double));
  lfp->uv = g_memdup2 ((double[]) { 1, 2, 3, 4, 5, 6 }, 6 * sizeof (double));
  lfp->electrodes_um = g_memdup2 ((double[]) { 0, 0, 0, 0, 0, 100 }, 6 * sizeof (double));
  lfp->shank = g_new0 (int, 2);
  lfp->n_shanks = 1;
  lfp->profile = g_strdup ("mazzoni15");
  return lfp;
}

/* Writes with writer @w; FALSE with @error set on failure. */
static gboolean
write_with (guint w, const char *path, const char *lfp_input, const WslfpDemoNetwork *net, GError **error)
{
  static WslfpLfp *lfp;
  if (lfp == NULL)
    lfp = small_lfp ();
  const double xyz[6] = { 0, 0, 0, 0, 0, 20 };
  const int shank[2] = { 0, 0 };
  switch (w)
    {
    case 0: case 1: case 2:
      return wslfp_lfp_write (lfp, path, error);
    case 3: case 4:
      return wslfp_probe_write (path, "fuzz", xyz, shank, 2, error);
    case 5:
      {
        g_autoptr (WslfpSession) s = wslfp_session_new ();
        return wslfp_session_save (s, path, error);
      }
    case 6: case 7: case 8:
      {
        const char *argv[] = { "plot", lfp_input, "-o", path, "--width", "120", "--height", "80", NULL };
        g_autofree char **args = g_memdup2 (argv, sizeof argv);
        if (wslfp_cli_plot (8, args) == 0)
          return TRUE;
        g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "%s: wslfp plot failed", path);
        return FALSE;
      }
    default:
      return wslfp_demo_file_write (net, path, error);
    }
}

/* What a name is, as far as the rules care: its kind and, for a regular
 * file, its contents. */
typedef struct
{
  gboolean exists;
  mode_t kind;
  char *target;     /* a link's */
  char *contents;   /* a regular file's */
  gsize length;
} Snapshot;

static void
snapshot (const char *path, Snapshot *s)
{
  GStatBuf st;
  memset (s, 0, sizeof *s);
  s->exists = g_lstat (path, &st) == 0;
  if (!s->exists)
    return;
  s->kind = st.st_mode & S_IFMT;
  if (S_ISLNK (st.st_mode))
    s->target = g_file_read_link (path, NULL);
  else if (S_ISREG (st.st_mode))
    g_file_get_contents (path, &s->contents, &s->length, NULL);
}

static void
snapshot_clear (Snapshot *s)
{
  g_free (s->target);
  g_free (s->contents);
}

static gboolean
same (const Snapshot *a, const Snapshot *b)
{
  return a->exists == b->exists && a->kind == b->kind && g_strcmp0 (a->target, b->target) == 0
         && a->length == b->length && (a->length == 0 || memcmp (a->contents, b->contents, a->length) == 0);
}

/* Empties @dir (the scratch folder of one run) without following links. */
static void
empty_folder (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *p = g_build_filename (dir, name, NULL);
      GStatBuf st;
      if (g_lstat (p, &st) == 0 && S_ISDIR (st.st_mode))
        g_rmdir (p);
      else
        g_unlink (p);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static char *lfp_input, *dir;
  static WslfpDemoNetwork *net;
  if (lfp_input == NULL)
    {
      /* The figures' input lives beside, not in, the folder emptied each run. */
      lfp_input = fuzz_scratch ("lfp.h5");
      wslfp_h5_init ();
      g_autoptr (WslfpLfp) lfp = small_lfp ();
      g_assert (wslfp_lfp_write (lfp, lfp_input, NULL));
      dir = g_build_filename (fuzz_scratch_dir (), "run", NULL);
      g_mkdir (dir, 0700);
      WslfpDemoParams params;
      wslfp_demo_params_init (&params);
      params.n_exc = 8;
      params.duration_ms = 5;
      net = wslfp_demo_network_run (&params, NULL, NULL, NULL, 0);
      g_assert (net != NULL);
    }
  FuzzBytes b = { data, size, 0 };
  There there = fuzz_byte (&b) % N_THERE;
  guint writer = fuzz_byte (&b) % N_WRITERS;
  g_autofree char *old = g_strndup ((const char *) data + MIN (b.at, size), size - MIN (b.at, size));

  empty_folder (dir);
  g_autofree char *name = g_strdup_printf ("out%s", suffixes[writer]);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *aside = g_build_filename (dir, "aside", NULL);
  g_autofree char *aside_link = g_build_filename (dir, "aside-link", NULL);
  switch (there)
    {
    case THERE_NOTHING:
      break;
    case THERE_FILE:
      g_assert (g_file_set_contents (path, old, -1, NULL));
      break;
    case THERE_FOLDER:
      g_mkdir (path, 0700);
      break;
    case THERE_FIFO:
      g_assert (mkfifo (path, 0600) == 0);
      break;
    case THERE_SOCKET:
      {
        int fd = socket (AF_UNIX, SOCK_STREAM, 0);
        struct sockaddr_un addr = { .sun_family = AF_UNIX };
        if (strlen (path) >= sizeof addr.sun_path)
          return 0;
        strcpy (addr.sun_path, path);
        g_assert (bind (fd, (struct sockaddr *) &addr, sizeof addr) == 0);
        close (fd);
        break;
      }
    case THERE_DEVICE:
      g_assert (symlink ("/dev/null", path) == 0);
      break;
    case THERE_LINK_FILE:
      g_assert (g_file_set_contents (aside, old, -1, NULL) && symlink (aside, path) == 0);
      break;
    case THERE_LINK_FOLDER:
      g_assert (g_mkdir (aside, 0700) == 0 && symlink (aside, path) == 0);
      break;
    case THERE_LINK_FIFO:
      g_assert (mkfifo (aside, 0600) == 0 && symlink (aside, path) == 0);
      break;
    case THERE_LINK_NOWHERE:
      g_assert (symlink (aside, path) == 0);
      break;
    case THERE_LINK_ITSELF:
      g_assert (symlink (path, path) == 0);
      break;
    case THERE_LINK_LINK_FILE:
      g_assert (g_file_set_contents (aside, old, -1, NULL) && symlink (aside, aside_link) == 0
                && symlink (aside_link, path) == 0);
      break;
    default:
      g_assert_not_reached ();
    }
  Snapshot before_path, before_aside, before_link, after_path, after_aside, after_link;
  snapshot (path, &before_path);
  snapshot (aside, &before_aside);
  snapshot (aside_link, &before_link);

  g_autoptr (GError) error = NULL;
  gboolean ok = write_with (writer, path, lfp_input, net, &error);

  snapshot (path, &after_path);
  snapshot (aside, &after_aside);
  snapshot (aside_link, &after_link);
  gboolean writable = there == THERE_NOTHING || there == THERE_FILE || there == THERE_LINK_FILE
                      || there == THERE_LINK_LINK_FILE;
  if (ok != writable)
    g_error ("writer %u onto %d: %s", writer, there, ok ? "succeeded" : error->message);
  if (ok)
    {
      /* The output is a regular file where the name points; links stay. */
      GStatBuf st;
      g_assert (g_stat (path, &st) == 0 && S_ISREG (st.st_mode) && st.st_size > 0);
      if (there == THERE_LINK_FILE || there == THERE_LINK_LINK_FILE)
        g_assert (same (&before_path, &after_path) && after_aside.kind == S_IFREG);
      if (there == THERE_LINK_LINK_FILE)
        g_assert (same (&before_link, &after_link));
    }
  else
    {
      g_assert (error != NULL && strstr (error->message, path) != NULL);
      g_assert (same (&before_path, &after_path) && same (&before_aside, &after_aside)
                && same (&before_link, &after_link));
    }
  /* No temporary file is left: only what was made above (and the output). */
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *left;
  while ((left = g_dir_read_name (d)) != NULL)
    if (left[0] == '.')
      g_error ("writer %u onto %d left %s behind", writer, there, left);
  snapshot_clear (&before_path);
  snapshot_clear (&before_aside);
  snapshot_clear (&before_link);
  snapshot_clear (&after_path);
  snapshot_clear (&after_aside);
  snapshot_clear (&after_link);
  return 0;
}
