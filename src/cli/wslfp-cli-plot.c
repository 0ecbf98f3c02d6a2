/* wslfp-cli-plot.c: `wslfp plot`: the trace figure of an LFP file, the
 * 3-D layout of a dataset, or an amplitude-profile heat map. */
#include "wslfp-cli.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "wslfp-analysis.h"
#include "wslfp-dataset.h"
#include "wslfp-h5.h"
#include "wslfp-lfp.h"
#include "wslfp-probe-file.h"
#include "wslfp-plot.h"

typedef struct
{
  WslfpTraces traces;
  WslfpTraceStyle style;
} TraceFigure;

static void
draw_traces_cb (cairo_t *cr, double width, double height, gpointer data)
{
  TraceFigure *f = data;
  wslfp_plot_traces (cr, width, height, &f->traces, &f->style);
}

typedef struct
{
  WslfpScene scene;
  WslfpView view;
} LayoutFigure;

static void
draw_layout_cb (cairo_t *cr, double width, double height, gpointer data)
{
  LayoutFigure *f = data;
  wslfp_plot_layout (cr, width, height, &f->scene, &f->view);
}

static void
draw_psd_cb (cairo_t *cr, double width, double height, gpointer data)
{
  wslfp_plot_psd (cr, width, height, data);
}

static void
draw_heatmap_cb (cairo_t *cr, double width, double height, gpointer data)
{
  wslfp_plot_heatmap (cr, width, height, data);
}

/* The figure's size: in px (PNG) or pt (SVG, PDF), or at its printed size
 * when @print is set. */
typedef struct
{
  double width, height;
  const WslfpPrintSize *print;
} FigureSize;

/* Draws through a temporary file renamed into place. */
static gboolean
export_atomically (const char *path, const FigureSize *size, WslfpDrawFunc draw, gpointer data, GError **error)
{
  WslfpAtomicFile out;
  if (!wslfp_atomic_begin (&out, path, error))
    return FALSE;
  gboolean ok = size->print != NULL
                  ? wslfp_plot_export_print (path, out.tmp_path, size->print, draw, data, error)
                  : wslfp_plot_export (path, out.tmp_path, size->width, size->height, draw, data, error);
  if (!ok)
    {
      wslfp_atomic_abort (&out);
      return FALSE;
    }
  return wslfp_atomic_commit (&out, error);
}

/* A figure has at most this many panels. */
#define MAX_PANELS 64

/* --shanks auto or a comma-separated list of the file's shank numbers
 * (@ids, @n of them, ascending): which to draw, as a mask over @ids. */
static gboolean
parse_shanks (const char *text, const int *ids, int n, gboolean *keep)
{
  gboolean all = text == NULL || strcmp (text, "auto") == 0 || strcmp (text, "all") == 0;
  for (int i = 0; i < n; i++)
    keep[i] = all;
  if (all)
    return TRUE;
  g_auto (GStrv) parts = g_strsplit (text, ",", -1);
  for (guint p = 0; parts[p] != NULL; p++)
    {
      char *end;
      gint64 s = g_ascii_strtoll (parts[p], &end, 10);
      int i;
      for (i = 0; i < n && ids[i] != s; i++)
        ;
      if (end == parts[p] || *end != '\0' || i == n)
        return FALSE;
      keep[i] = TRUE;
    }
  return TRUE;
}

static int
compare_ints (const void *a, const void *b)
{
  int x = *(const int *) a, y = *(const int *) b;
  return (x > y) - (x < y);
}

/* What `--kind` draws from an LFP file. */
typedef enum
{
  KIND_TRACES,
  KIND_IMAGE,
  KIND_CSD,
  KIND_PSD,
} FigureKind;

static gboolean
parse_kind (const char *text, FigureKind *kind)
{
  static const char *const names[] = { "traces", "image", "csd", "psd" };
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (text == NULL || strcmp (text, names[i]) == 0)
      {
        *kind = text == NULL ? KIND_TRACES : (FigureKind) i;
        return TRUE;
      }
  return FALSE;
}

/* The chosen shanks of an LFP file: their columns copied out, each
 * contact's panel 0 … n_panels − 1, and each panel's shank number. */
typedef struct
{
  WslfpLfp *lfp;
  gsize n_electrodes;
  double *uv;  /* n_times × n_electrodes */
  double *xyz;
  int *panel;
  int ids[MAX_PANELS];
  int n_panels;
} ShankSelection;

static void
shank_selection_clear (ShankSelection *sel)
{
  g_clear_pointer (&sel->lfp, wslfp_lfp_free);
  g_clear_pointer (&sel->uv, g_free);
  g_clear_pointer (&sel->xyz, g_free);
  g_clear_pointer (&sel->panel, g_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ShankSelection, shank_selection_clear)

/* Reads @input and keeps the shanks @shanks names; on failure returns the
 * exit status in *@status. */
static gboolean
select_shanks (const char *input, const char *shanks, ShankSelection *sel, int *status)
{
  g_autoptr (GError) error = NULL;
  WslfpLfp *lfp = sel->lfp = wslfp_lfp_read (input, &error);
  if (lfp == NULL)
    {
      if (g_error_matches (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT) && strstr (error->message, "/lfp/") != NULL)
        g_prefix_error (&error, "not an LFP file (run 'wslfp compute' first, or use --layout/--profile): ");
      *status = wslfp_cli_fail ("plot", error);
      return FALSE;
    }
  /* The file's shank numbers (any, e.g. a probe's own), ascending: one
   * panel each, labelled with its number. */
  g_autofree int *sorted = g_memdup2 (lfp->shank, MAX (lfp->n_electrodes, 1) * sizeof (int));
  qsort (sorted, lfp->n_electrodes, sizeof (int), compare_ints);
  g_autofree int *present = g_new (int, MAX (lfp->n_electrodes, 1));
  int n_present = 0;
  for (gsize e = 0; e < lfp->n_electrodes; e++)
    if (e == 0 || sorted[e] != sorted[e - 1])
      present[n_present++] = sorted[e];
  g_autofree gboolean *keep = g_new (gboolean, MAX (n_present, 1));
  if (!parse_shanks (shanks, present, n_present, keep))
    {
      g_autoptr (GString) list = g_string_new (NULL);
      for (int i = 0; i < n_present; i++)
        g_string_append_printf (list, "%s%d", i ? "," : "", present[i]);
      *status = wslfp_cli_usage ("plot", "--shanks expects 'auto' or some of the file's shanks (%s), like %d",
                                 list->str, present[0]);
      return FALSE;
    }
  /* (any of the file's shanks may be chosen, but at most a figure's worth) */
  int chosen = 0;
  for (int i = 0; i < n_present; i++)
    chosen += keep[i];
  if (chosen > MAX_PANELS)
    {
      if (chosen == n_present)
        g_set_error (&error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT,
                     "%s has %d shanks; a figure shows at most %d: choose some with --shanks", input, chosen, MAX_PANELS);
      else
        g_set_error (&error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT,
                     "--shanks chose %d shanks of %s; a figure shows at most %d", chosen, input, MAX_PANELS);
      *status = wslfp_cli_fail ("plot", error);
      return FALSE;
    }

  /* Keep the chosen shanks' columns, their panels numbered 0 … k − 1. */
  int k = 0;
  for (int i = 0; i < n_present; i++)
    if (keep[i])
      sel->ids[k++] = present[i];
  sel->n_panels = k;
  g_autoptr (GArray) cols = g_array_new (FALSE, FALSE, sizeof (gsize));
  g_autofree int *panel = g_new (int, MAX (lfp->n_electrodes, 1));
  for (gsize e = 0; e < lfp->n_electrodes; e++)
    {
      panel[e] = -1;
      for (int j = 0; j < k; j++)
        if (sel->ids[j] == lfp->shank[e])
          panel[e] = j;
      if (panel[e] >= 0)
        g_array_append_val (cols, e);
    }
  gsize E = sel->n_electrodes = cols->len;
  sel->uv = g_new (double, MAX (lfp->n_times * E, 1));
  sel->xyz = g_new (double, MAX (E * 3, 1));
  sel->panel = g_new (int, MAX (E, 1));
  for (gsize j = 0; j < E; j++)
    {
      gsize e = g_array_index (cols, gsize, j);
      memcpy (sel->xyz + 3 * j, lfp->electrodes_um + 3 * e, 3 * sizeof (double));
      sel->panel[j] = panel[e];
      for (gsize t = 0; t < lfp->n_times; t++)
        sel->uv[t * E + j] = lfp->uv[t * lfp->n_electrodes + e];
    }
  return TRUE;
}

static int
plot_psd (const char *input, const char *output, const WslfpTraces *traces, const WslfpTraceStyle *style,
          const char *title, const FigureSize *size)
{
  g_autoptr (GError) error = NULL;
  WslfpPsdFigure fig;
  if (!wslfp_psd_figure_init (&fig, traces, style->t_min_ms, style->t_max_ms, &error))
    {
      g_prefix_error (&error, "%s: ", input);
      return wslfp_cli_fail ("plot", error);
    }
  g_autofree char *auto_title = g_strdup_printf ("Power spectra (Welch, %.3g Hz bins)", fig.fs_hz / fig.segment);
  fig.spectra.title = title ? title : auto_title;
  gboolean ok = export_atomically (output, size, draw_psd_cb, &fig.spectra, &error);
  wslfp_psd_figure_clear (&fig);
  return ok ? WSLFP_EXIT_OK : wslfp_cli_fail ("plot", error);
}

static int
plot_lfp (const char *input, const char *output, FigureKind kind, const char *shanks, const char *t_range,
          const char *title, const FigureSize *size, double gain)
{
  g_autoptr (GError) error = NULL;
  WslfpTraceStyle style = { 0, 0, title, gain, kind == KIND_TRACES ? WSLFP_TRACES_AUTO : WSLFP_TRACES_IMAGE };
  if (t_range != NULL)
    {
      double r[2];
      /* B − A must be a finite number too (−1e308:1e308 overflows). */
      if (!wslfp_cli_parse_numbers (t_range, 2, r) || !(r[1] > r[0]) || !isfinite (r[1] - r[0]))
        return wslfp_cli_usage ("plot", "--t-range expects A:B in ms with B > A (and B − A finite), not \"%s\"",
                                t_range);
      style.t_min_ms = r[0];
      style.t_max_ms = r[1];
    }
  g_auto (ShankSelection) sel = { 0 };
  int status;
  if (!select_shanks (input, shanks, &sel, &status))
    return status;
  WslfpLfp *lfp = sel.lfp;
  WslfpTraces traces = { lfp->n_times, sel.n_electrodes, lfp->t_ms, sel.uv, sel.xyz, sel.panel, sel.n_panels, sel.ids };
  if (kind == KIND_PSD)
    return plot_psd (input, output, &traces, &style, title, size);

  g_auto (WslfpCsdFigure) csd = { 0 };
  if (kind == KIND_CSD)
    {
      if (!wslfp_csd_figure_init (&csd, &traces, &error))
        {
          g_prefix_error (&error, "%s: ", input);
          return wslfp_cli_fail ("plot", error);
        }
      if (csd.left_out != NULL)
        {
          g_auto (GStrv) lines = g_strsplit (csd.left_out, "\n", -1);
          for (guint i = 0; lines[i] != NULL; i++)
            g_printerr ("wslfp plot: %s: left out of the CSD: %s\n", input, lines[i]);
        }
      traces = csd.traces;
      style.unit = csd.unit;
    }
  g_autofree char *auto_title = NULL;
  if (kind == KIND_CSD)
    auto_title = g_strdup_printf ("CSD (σ = %.1f S/m; sinks negative)", WSLFP_CSD_SIGMA_S_PER_M);
  else
    auto_title = g_strdup_printf ("WSLFP (%s, %s%s)", lfp->profile, lfp->population ? "population" : "per-neuron",
                                  lfp->normalized ? ", normalised" : "");
  if (title == NULL)
    style.title = auto_title;
  TraceFigure fig = { traces, style };
  if (!export_atomically (output, size, draw_traces_cb, &fig, &error))
    return wslfp_cli_fail ("plot", error);
  return WSLFP_EXIT_OK;
}

static gboolean
parse_view (const char *text, WslfpView *view)
{
  wslfp_view_init (view);
  if (text == NULL)
    return TRUE;
  if (strcmp (text, "front") == 0 || strcmp (text, "side") == 0 || strcmp (text, "top") == 0)
    {
      wslfp_view_preset (view, text);
      return TRUE;
    }
  double az, el;
  char tail;
  if (sscanf (text, "%lf,%lf%c", &az, &el, &tail) == 2 && isfinite (az) && isfinite (el))
    {
      view->azimuth_deg = az;
      view->elevation_deg = CLAMP (el, -90, 90);
      return TRUE;
    }
  return FALSE;
}

static int
plot_layout (const char *input, const char *output, const char *view_text, const char *title, const FigureSize *size)
{
  g_autoptr (GError) error = NULL;
  LayoutFigure fig = { 0 };
  if (!parse_view (view_text, &fig.view))
    return wslfp_cli_usage ("plot", "--view expects front, side, top or AZIMUTH,ELEVATION in degrees");
  g_autoptr (WslfpDataset) ds = wslfp_dataset_open (input, &error);
  if (ds == NULL)
    return wslfp_cli_fail ("plot", error);
  fig.scene.n_sources = ds->n_sources;
  fig.scene.somata_um = ds->sources_um;
  fig.scene.orientation = ds->orientation;
  fig.scene.n_orientations = ds->n_orientations;
  fig.scene.centers = ds->coords == WSLFP_COORDS_DIPOLE_CENTERS;
  fig.scene.dendrite_length_um = WSLFP_DEFAULT_DENDRITE_LENGTH_UM;
  fig.scene.lengths_um = ds->dendrite_length_um;
  fig.scene.n_lengths = ds->n_lengths;
  fig.scene.n_electrodes = ds->n_electrodes;
  fig.scene.electrodes_um = ds->electrodes_um;
  fig.scene.shank = ds->shank;
  fig.scene.weights_contact = -1;
  fig.scene.legend = TRUE;
  /* The shanks as bodies, as the app draws them: the file's probe where
   * the file puts it. */
  WslfpProbeLayout *probe = wslfp_probe_layout_new (NULL, ds->electrodes_um, ds->shank, ds->n_electrodes);
  WslfpPlacement here;
  wslfp_placement_as_given (probe, &here);
  g_autofree double *bodies = NULL;
  fig.scene.n_bodies = wslfp_probe_layout_place_bodies (probe, &here, &bodies);
  fig.scene.bodies_um = bodies;
  wslfp_probe_layout_free (probe);
  fig.view.title = title ? title : "Neurons and electrode contacts";
  if (!export_atomically (output, size, draw_layout_cb, &fig, &error))
    return wslfp_cli_fail ("plot", error);
  return WSLFP_EXIT_OK;
}

static int
plot_profile (const char *input, const char *output, const char *profile_name, const char *title,
              const FigureSize *size)
{
  g_autoptr (GError) error = NULL;
  WslfpProfile *profile;
  WslfpError err;
  int status = WSLFP_EXIT_OK;
  if (!wslfp_cli_profile_new ("plot", profile_name, &profile, &status))
    return status;
  g_autofree char *base = g_path_get_basename (profile_name);
  g_autofree char *auto_title = g_strdup_printf ("Amplitude profile %s", base);
  WslfpHeatmap map = { profile, WSLFP_DEFAULT_DENDRITE_LENGTH_UM, 0, NULL, title ? title : auto_title };
  g_autofree double *marks = NULL;
  if (input != NULL)
    {
      /* Mark the contacts relative to the population centre. */
      g_autoptr (WslfpDataset) ds = wslfp_dataset_open (input, &error);
      WslfpGeometry g;
      WslfpModel *model;
      if (ds == NULL)
        status = wslfp_cli_fail ("plot", error);
      else
        {
          wslfp_dataset_get_geometry (ds, &g);
          if (wslfp_model_new (&g, profile, TRUE, &model, &err) != WSLFP_OK)
            {
              g_printerr ("wslfp plot: %s: %s\n", input, err.message);
              status = WSLFP_EXIT_FAILURE;
            }
          else
            {
              marks = g_new (double, 2 * ds->n_electrodes);
              for (gsize e = 0; e < ds->n_electrodes; e++)
                wslfp_model_get_rd (model, e, 0, &marks[2 * e], &marks[2 * e + 1]);
              map.n_marks = ds->n_electrodes;
              map.marks_rd = marks;
              wslfp_model_free (model);
            }
        }
    }
  if (status == WSLFP_EXIT_OK && !export_atomically (output, size, draw_heatmap_cb, &map, &error))
    status = wslfp_cli_fail ("plot", error);
  wslfp_profile_free (profile);
  return status;
}

int
wslfp_cli_plot (int argc, char **argv)
{
  g_autofree char *output = NULL, *shanks = NULL, *t_range = NULL, *title = NULL, *view = NULL, *profile = NULL;
  g_autofree char *size_text = NULL, *kind_text = NULL;
  gboolean layout = FALSE;
  double width = 0, height = 0, gain = 1, font_pt = 0, dpi = 0;
  int status = WSLFP_EXIT_OK;
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Write the figure to FIG (.png, .svg or .pdf)", "FIG" },
    { "kind", 0, 0, G_OPTION_ARG_STRING, &kind_text, "What to draw from an LFP file: traces (default), image (depth × time colour maps), csd (current-source density) or psd (power spectra)", "KIND" },
    { "shanks", 0, 0, G_OPTION_ARG_STRING, &shanks, "Which shanks: auto (all) or a list like 0,2", "auto|LIST" },
    { "t-range", 0, 0, G_OPTION_ARG_STRING, &t_range, "Time range A:B in ms", "A:B" },
    { "title", 0, 0, G_OPTION_ARG_STRING, &title, "Figure title", "T" },
    { "gain", 0, 0, G_OPTION_ARG_DOUBLE, &gain, "Vertical zoom of the traces (default 1)", "G" },
    { "layout", 0, 0, G_OPTION_ARG_NONE, &layout, "Draw the 3-D layout of a dataset's neurons and contacts", NULL },
    { "view", 0, 0, G_OPTION_ARG_STRING, &view, "With --layout: front, side, top or AZIMUTH,ELEVATION", "VIEW" },
    { "profile", 0, 0, G_OPTION_ARG_STRING, &profile, "Draw a heat map of an amplitude profile, built in or a grid NAME.csv (FILE optional: marks its contacts)", "NAME" },
    { "width", 0, 0, G_OPTION_ARG_DOUBLE, &width, "Figure width in px (PNG) or pt (SVG, PDF); default 1000", "W" },
    { "height", 0, 0, G_OPTION_ARG_DOUBLE, &height, "Figure height; default 640", "H" },
    { "size", 0, 0, G_OPTION_ARG_STRING, &size_text, "Printed size: WxH in mm, in or pt (85x60mm), or 1col, 1.5col, 2col (85, 114, 174 mm wide)", "SIZE" },
    { "font-size", 0, 0, G_OPTION_ARG_DOUBLE, &font_pt, "With --size: text size in pt (default 7)", "PT" },
    { "dpi", 0, 0, G_OPTION_ARG_DOUBLE, &dpi, "With --size, for PNG: resolution, stored in the file (default 300)", "N" },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("FILE -o FIG — draw a figure");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_set_description (ctx, "Without --layout or --profile, FILE is an LFP file from 'wslfp compute' and the\n"
                                         "figure has one panel per shank with the contacts stacked by depth.\n\n"
                                         "--kind csd: −σ ∂²φ/∂z² (σ = 0.3 S/m) in A/mm³ (pA … mA, as the values need) by\n"
                                         "the second difference\n"
                                         "between neighbouring depths; contacts at one depth are averaged, the\n"
                                         "depths must be evenly spaced (other shanks are left out, with the reason),\n"
                                         "and the end contacts use Vaknin padding (the potential constant past them).\n"
                                         "--kind psd: Welch's estimate (Hann window, 50 % overlap, segments of the\n"
                                         "largest power of two giving at least 8), µV²/Hz on log–log axes.\n");
  if (!wslfp_cli_parse (ctx, entries, "plot", &argc, &argv, &status))
    return status;
  if (output == NULL)
    return wslfp_cli_usage ("plot", "missing -o FIG.png, FIG.svg or FIG.pdf");
  if (!wslfp_plot_format_supported (output))
    return wslfp_cli_usage ("plot", "%s: the figure must end in .png, .svg or .pdf", output);
  if (layout && profile != NULL)
    return wslfp_cli_usage ("plot", "--layout and --profile are separate figures; choose one");
  FigureKind kind;
  if (!parse_kind (kind_text, &kind))
    return wslfp_cli_usage ("plot", "--kind expects traces, image, csd or psd, not \"%s\"", kind_text);
  if (kind_text != NULL && (layout || profile != NULL))
    return wslfp_cli_usage ("plot", "--kind is for LFP files; --layout and --profile are figures of their own");
  if (argc > 2 || (argc < 2 && profile == NULL))
    return wslfp_cli_usage ("plot", "expected one FILE");
  if (!(gain > 0 && isfinite (gain)))
    return wslfp_cli_usage ("plot", "--gain must be a positive number");
  WslfpPrintSize print = { 0, 0, font_pt > 0 ? font_pt : 7, dpi > 0 ? dpi : 300 };
  if (size_text == NULL && (font_pt != 0 || dpi != 0))
    return wslfp_cli_usage ("plot", "--font-size and --dpi go with --size");
  if (size_text != NULL && (width != 0 || height != 0))
    return wslfp_cli_usage ("plot", "--size gives the printed size; --width and --height give pixels: choose one");
  if (size_text != NULL && !wslfp_plot_parse_size (size_text, &print.width_pt, &print.height_pt))
    return wslfp_cli_usage ("plot", "--size expects WxH with mm, in or pt (like 85x60mm), or 1col, 1.5col or 2col, not \"%s\"",
                            size_text);
  if (!(print.font_pt >= 4 && print.font_pt <= 72) || !(print.dpi >= 30 && print.dpi <= 2400))
    return wslfp_cli_usage ("plot", "--font-size must be 4 … 72 pt and --dpi 30 … 2400");
  g_autoptr (GError) error = NULL;
  const char *input = argc == 2 ? argv[1] : NULL;
  const char *inputs[] = { input, profile };
  if (!wslfp_cli_check_output (output, &error) || !wslfp_output_check_not_input (output, inputs, 2, &error))
    return wslfp_cli_fail ("plot", error);
  wslfp_h5_init ();

  const WslfpPrintSize *printed = size_text != NULL ? &print : NULL;
  if (profile != NULL)
    return plot_profile (input, output, profile, title,
                         &(FigureSize) { width > 0 ? width : 640, height > 0 ? height : 640, printed });
  if (layout)
    return plot_layout (input, output, view, title,
                        &(FigureSize) { width > 0 ? width : 800, height > 0 ? height : 700, printed });
  return plot_lfp (input, output, kind, shanks, t_range, title,
                      &(FigureSize) { width > 0 ? width : 1000, height > 0 ? height : 640, printed }, gain);
}
