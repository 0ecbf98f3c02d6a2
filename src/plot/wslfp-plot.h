/* wslfp-plot.h: the figures, drawn with cairo, shared by the `wslfp`
 * command and the app: multi-shank LFP traces, the 3-D layout of neurons
 * and contacts, and amplitude-profile heat maps.  Each figure has a pure
 * mapping part (values → pixels, testable without a display) and a drawing
 * function that takes any cairo context (screen, PNG, SVG, PDF). */
#pragma once

#include <cairo.h>
#include <glib.h>
#include <wslfp.h>

G_BEGIN_DECLS

#define WSLFP_PLOT_ERROR (wslfp_plot_error_quark ())
GQuark wslfp_plot_error_quark (void);

/* Axes.  A 1-2-5 step giving about @n_ticks ticks over @range. */
double wslfp_plot_nice_step (double range, int n_ticks);
/* The multiples of @step in [@lo, @hi], both ends included up to rounding,
 * at most @max of them, into @out; returns how many. */
gsize  wslfp_plot_ticks (double lo, double hi, double step, double *out, gsize max);
/* @v with as many decimals as @step needs, negative with a minus sign. */
void   wslfp_plot_format_number (char *buf, gsize size, double v, double step);
/* Hyphens that start a number in @buf become minus signs (U+2212), as
 * typesetting wants, while the text fits in @size bytes. */
void   wslfp_plot_minus_signs (char *buf, gsize size);
/* 10^@k as text: plain for −2 … 3 ("0.01" … "1000"), else 10 with a
 * superscript power ("10⁻⁶"). */
void   wslfp_plot_format_decade (char *buf, gsize size, int k);
/* The power of ten (a multiple of 3) a colour bar over [−limit, limit]
 * counts its ticks in, so that they stay short and distinct: 0 for limits
 * from 0.01 to 10⁴, else e.g. −6 for 3e-5 (ticks "30", "×10⁻⁶ µV"). */
int    wslfp_plot_colorbar_exponent (double limit);
/* A robust symmetric colour limit: the 99th percentile of |v| (so one
 * outlier does not wash the map out); 1 if all are 0. */
double wslfp_plot_robust_limit (const double *v, gsize n);

/* Colours shared by every view, so a shank has one colour everywhere. */
void wslfp_plot_shank_color (int shank, double rgb[3]);
extern const double wslfp_plot_exc_color[3]; /* warm: excitatory cells */
extern const double wslfp_plot_inh_color[3];

/* ---- traces ---- */

typedef struct
{
  gsize n_times;
  gsize n_electrodes;
  const double *t_ms;          /* n_times, increasing */
  const double *uv;            /* n_times × n_electrodes */
  const double *electrodes_um; /* n_electrodes × 3 */
  const int *shank;            /* n_electrodes, 0 … n_shanks − 1 */
  int n_shanks;
  const int *shank_ids;        /* optional: the number to show for each shank */
  const char *const *contact_ids; /* optional: n_electrodes names (a probe file's
                                   * contact_ids) to label rows by */
} WslfpTraces;

typedef enum
{
  WSLFP_TRACES_AUTO,   /* lines, or a colour map when they would not read */
  WSLFP_TRACES_LINES,
  WSLFP_TRACES_IMAGE,  /* each shank a depth × time colour map */
} WslfpTraceMode;

typedef struct
{
  double t_min_ms, t_max_ms;   /* shown range; equal: everything */
  const char *title;           /* optional */
  double gain;                 /* vertical zoom, 1 = traces fill their slot */
  WslfpTraceMode mode;
  gboolean highlight_set;      /* draw contact @highlight in bold */
  gsize highlight;
  const char *unit;            /* the values' unit; NULL: µV */
  const char *caption;         /* optional line under the title */
  const WslfpTraces *compare;  /* optional: another result (a pinned one),
                                  drawn muted under the traces channel by
                                  channel, at the same scale */
  const char *label;           /* with @compare, the legend: this result */
  const char *compare_label;   /* and the other */
} WslfpTraceStyle;

/* Where things go: computed from the data and the size, used both to draw
 * and to map a pointer position back to (channel, time, value). */
typedef struct
{
  double width, height;
  double t0, t1;               /* shown time range */
  int n_panels;
  double panel_x[64], panel_w;  /* panel left edges and width */
  double plot_top, plot_bottom; /* vertical extent of the traces */
  double z_min, z_max;          /* contact depths mapped to the extent */
  double uv_per_px;             /* trace scale */
  double slot_px;               /* vertical room per contact */
  gboolean by_rank;             /* contacts share depths: evenly spaced rows in
                                   depth order instead of depth to scale */
  gboolean image;               /* drawn as colour maps */
  double color_limit_uv;        /* symmetric limit of the colour maps */
  gboolean time_bar;            /* panels too narrow for labelled time ticks:
                                   a scale bar of round ms instead */
} WslfpTraceLayout;

/* Below this many pixels per trace the automatic mode draws colour maps. */
#define WSLFP_TRACE_MIN_SLOT_PX 7.0

void     wslfp_trace_layout_compute (WslfpTraceLayout *layout, const WslfpTraces *traces, const WslfpTraceStyle *style,
                                     double width, double height);
double   wslfp_trace_layout_x (const WslfpTraceLayout *layout, int panel, double t_ms);
/* The left edge of the first panel (panel_x[0]) of any layout of
 * @traces: 64 px, or more where the depth labels are very wide.  A raster
 * given it (WslfpRaster.left_px) keeps its time axis under the traces'. */
double   wslfp_trace_layout_left (const WslfpTraces *traces);
/* The baseline (0 µV) y of electrode @e. */
double   wslfp_trace_layout_y0 (const WslfpTraceLayout *layout, const WslfpTraces *traces, gsize e);
/* The electrode under (x, y), with its time and value; FALSE if none. */
/* How the rows of a trace figure are labelled: by depth; or, where
 * contacts share depths (a tetrode, a Utah array), by channel (the
 * contact's index, as the read-out names it), with the depth where it
 * varies along the shank. */
typedef enum
{
  WSLFP_ROWS_BY_DEPTH,
  WSLFP_ROWS_BY_CHANNEL,
  WSLFP_ROWS_BY_CHANNEL_AND_DEPTH,
} WslfpRowLabels;

/* The label of electrode @e's row, in @buf. */
WslfpRowLabels wslfp_trace_layout_row_label (const WslfpTraceLayout *layout, const WslfpTraces *traces, gsize e,
                                             char *buf, gsize size);
/* The height a trace figure of @width needs: its margins, the lines under
 * its title, and rows that can be read (as lines unless @style asks for
 * colour maps). */
double   wslfp_trace_layout_min_height (const WslfpTraces *traces, const WslfpTraceStyle *style, double width);
/* The µV scale bar beside the traces: a 1-2-5 value at most 1.2 slots
 * tall; its height in *@bar_px. */
double   wslfp_trace_layout_scale_bar (const WslfpTraceLayout *layout, double *bar_px);
gboolean wslfp_trace_layout_pick (const WslfpTraceLayout *layout, const WslfpTraces *traces, double x, double y,
                                  gsize *e, double *t_ms, double *uv);

/* The factor a compared result is drawn by: 1 when its peak over the shown
 * range is within 3 times the traces' (one scale for both, as a change of
 * α should look), else the ratio of the peaks (a profile 1000 times
 * smaller is drawn at its own scale, and the legend says so). */
double wslfp_trace_compare_scale (const WslfpTraceLayout *layout, const WslfpTraces *traces,
                                  const WslfpTraces *compare);

void wslfp_plot_traces (cairo_t *cr, double width, double height, const WslfpTraces *traces,
                        const WslfpTraceStyle *style);

/* ---- 3-D layout ---- */

typedef struct
{
  gsize n_sources;
  const double *somata_um;     /* n_sources × 3 (dipole centres when centers) */
  gboolean centers;            /* the points are dipole centres, not somata */
  const double *orientation;   /* NULL: +z; else 1 or n_sources rows */
  gsize n_orientations;
  double dendrite_length_um;   /* when lengths is NULL */
  const double *lengths_um;    /* NULL, or 1 or n_lengths values */
  gsize n_lengths;
  gsize n_inhibitory;          /* optional extra cells drawn cool */
  const double *inhibitory_um;
  gsize n_electrodes;
  const double *electrodes_um;
  const int *shank;
  gboolean fit_cells_only;     /* frame the cells only, so moving the probe
                                  does not rescale the view */
  const double *frame_lo_um;   /* optional fixed frame (3 + 3 values): the
                                  view stays put while the probe moves */
  const double *frame_hi_um;
  gsize n_bodies;              /* probe shanks (or needles) as quadrilaterals */
  const double *bodies_um;     /* n_bodies × 4 corners × 3 */
  const double *cell_weights;  /* optional, n_sources: cells coloured by the
                                  weight A(e, s) of one contact */
  gssize weights_contact;      /* the contact those weights are for, or −1 */
  gboolean legend;             /* cells, shanks (and weights) explained */
  gsize cell_step;             /* draw every cell_step-th cell (0, 1: all):
                                  frames of a moving view of 10^6 cells */
} WslfpScene;

/* The bounding box the layout figure frames for @scene (ignoring a fixed
 * frame): cells, and contacts and bodies unless fit_cells_only. */
void wslfp_scene_bounds (const WslfpScene *scene, double lo[3], double hi[3]);

typedef struct
{
  double azimuth_deg;   /* rotation about z */
  double elevation_deg; /* tilt towards the viewer */
  double zoom;          /* 1: the scene fits */
  double pan_x, pan_y;  /* in pixels */
  const char *title;
} WslfpView;

void wslfp_view_init (WslfpView *view);                  /* a 3/4 view */
void wslfp_view_preset (WslfpView *view, const char *name); /* "front", "side", "top" */

/* Projection of the scene into a width × height area. */
typedef struct
{
  double rot[9];          /* world → camera rotation */
  double center[3];       /* scene centre, µm */
  double scale;           /* px per µm */
  double cx, cy;          /* screen centre */
} WslfpProjection;

void wslfp_projection_compute (WslfpProjection *proj, const WslfpScene *scene, const WslfpView *view, double width,
                               double height);
/* Screen x, y (and depth, larger = nearer) of a world point. */
void wslfp_projection_apply (const WslfpProjection *proj, const double xyz[3], double *x, double *y, double *depth);

void wslfp_plot_layout (cairo_t *cr, double width, double height, const WslfpScene *scene, const WslfpView *view);
/* The same in two layers: the background, axes and cells (which a moving
 * probe does not change, so a view can keep them as an image), and the
 * probe, legend and captions on top. */
void wslfp_plot_layout_cells (cairo_t *cr, double width, double height, const WslfpScene *scene, const WslfpView *view);
void wslfp_plot_layout_probe (cairo_t *cr, double width, double height, const WslfpScene *scene, const WslfpView *view);

/* ---- profile heat map ---- */

typedef struct
{
  const WslfpProfile *profile;
  double length_um;    /* for aussel18 */
  gsize n_marks;       /* contacts' (r, d), µm */
  const double *marks_rd;
  const char *title;
  /* Not NULL: instead of @profile, TKLFP's amplitude of one spike,
   * A0(d) · e^(−dist/λ) with d along the cell's axis from the soma: an
   * inhibitory cell's at the left (r drawn to the left), an excitatory
   * cell's at the right; the marks on both sides. */
  const WslfpTklfpParams *tklfp;
} WslfpHeatmap;

/* The map's value at (r, d), µm (with TKLFP, r < 0 is the inhibitory
 * cell's side), and the extent drawn: r over [*r_min, *r_max], d over
 * [−d_max, d_max]. */
double wslfp_heatmap_eval   (const WslfpHeatmap *map, double r, double d);
void   wslfp_heatmap_extent (const WslfpHeatmap *map, double *r_min, double *r_max, double *d_max);

/* The colour of @v on a diverging map over [−limit, limit] (blue–white–red). */
void wslfp_plot_diverging (double v, double limit, double rgb[3]);
/* A robust symmetric colour limit for the profile (99th percentile of |v|
 * over the grid, so the singular point of aussel18 does not wash it out). */
double wslfp_heatmap_limit (const WslfpHeatmap *map, double r_max, double d_max);

void wslfp_plot_heatmap (cairo_t *cr, double width, double height, const WslfpHeatmap *map);
/* Only the contacts' marks, where wslfp_plot_heatmap() puts them (a view
 * keeps the map itself as an image while the probe moves). */
void wslfp_plot_heatmap_marks (cairo_t *cr, double width, double height, const WslfpHeatmap *map);

/* ---- spike raster ---- */

typedef struct
{
  gsize n_exc_spikes;
  const double *exc_t_ms;
  const gint64 *exc_neuron;
  gsize n_exc;
  gsize n_inh_spikes;
  const double *inh_t_ms;
  const gint64 *inh_neuron;
  gsize n_inh;
  double t_min_ms, t_max_ms;   /* shown range */
  const char *title;
  double left_px;              /* the time axis' left edge: 0 for the traces'
                                  usual one (64 px), or wslfp_trace_layout_left()
                                  of the traces it goes with */
} WslfpRaster;

/* Excitatory cells (warm) below, inhibitory (cool) above, one dot per spike. */
void wslfp_plot_raster (cairo_t *cr, double width, double height, const WslfpRaster *raster);

/* ---- power spectra ---- */

typedef struct
{
  gsize n_freqs;
  const double *f_hz;          /* n_freqs, from 0 (DC, not drawn) up */
  gsize n_contacts;
  const double *psd;           /* n_contacts × n_freqs */
  const int *panel;            /* n_contacts: the panel, 0 … n_panels − 1 */
  int n_panels;
  const int *panel_ids;        /* optional: the shank number of each panel */
  const char *unit;            /* NULL: µV²/Hz */
  const char *title;
} WslfpSpectra;

/* The axes' ranges: frequencies from the first above DC to the last, and
 * power in whole decades, at most 8 below the peak. */
void wslfp_spectra_range (const WslfpSpectra *spectra, double *f_lo, double *f_hi, double *p_lo, double *p_hi);
/* Log–log, one panel per shank: each contact thin, the shank's mean bold. */
void wslfp_plot_psd (cairo_t *cr, double width, double height, const WslfpSpectra *spectra);

/* ---- one contact's sum and its terms ---- */

typedef struct
{
  gsize n_times;
  const double *t_ms;
  const double *total;         /* the LFP at the contact */
  const double *ampa;          /* its AMPA term */
  const double *gaba;          /* its −α·GABA term (total = ampa + gaba) */
  double t_min_ms, t_max_ms;   /* shown range; equal: everything */
  const char *title;
  const char *unit;            /* NULL: µV */
  gboolean by_cell_type;       /* TKLFP: the two terms are the excitatory
                                  and the inhibitory cells' spikes' */
} WslfpParts;

/* The axes' ranges: the shown times, and values spanning all three lines. */
void wslfp_parts_range (const WslfpParts *parts, double *t0, double *t1, double *v0, double *v1);
void wslfp_plot_parts (cairo_t *cr, double width, double height, const WslfpParts *parts);
/* The height the terms' figure needs at @width (its legend wraps). */
double wslfp_parts_min_height (double width);

/* ---- export ---- */

typedef void (*WslfpDrawFunc) (cairo_t *cr, double width, double height, gpointer user_data);

/* Draws into a PNG, SVG or PDF file @write_to, the format chosen by the
 * extension of @name (which may differ, e.g. a temporary file). */
gboolean wslfp_plot_export (const char *name, const char *write_to, double width, double height, WslfpDrawFunc draw,
                            gpointer user_data, GError **error);
/* A figure at its printed size: the page in points (1/72 in), the text
 * size in points (the whole layout — margins, ticks, lines — scales with
 * it, so a smaller text leaves more room and the axes take more ticks),
 * and for PNG the resolution, which the file records (pHYs). */
typedef struct
{
  double width_pt, height_pt;
  double font_pt;
  double dpi;
} WslfpPrintSize;

/* The drawing units' size of the text (wslfp_plot_begin's font). */
#define WSLFP_PLOT_FONT_UNITS 11.0

gboolean wslfp_plot_export_print (const char *name, const char *write_to, const WslfpPrintSize *size, WslfpDrawFunc draw,
                                  gpointer user_data, GError **error);
/* The texts of the figure @draw makes at @size, as a PDF would have them
 * (boxes and sizes in points), for checking its layout. */
GArray  *wslfp_plot_print_texts (const WslfpPrintSize *size, WslfpDrawFunc draw, gpointer user_data);
/* Parses a figure size: WxH with a unit (mm, in or pt, e.g. 85x60mm), or a
 * journal column preset: 1col (85 × 60 mm), 1.5col (114 × 80 mm), 2col
 * (174 × 120 mm).  FALSE if @text is none of these. */
gboolean wslfp_plot_parse_size (const char *text, double *width_pt, double *height_pt);

/* TRUE if @name ends in .png, .svg or .pdf. */
gboolean wslfp_plot_format_supported (const char *name);

/* ---- the page a figure is printed on, and the texts it drew ---- */

/* One text a figure drew: its ink box and font size, in the units of the
 * surface (points for a printed figure's check). */
typedef struct
{
  double x0, y0, x1, y1;
  double size;
  char text[96];
  double clip[4]; /* the clip it was drawn in: x0, y0, x1, y1 */
} WslfpPlotTextBox;

/* From now on every text the figures draw on @surface is recorded. */
void    wslfp_plot_text_boxes_record (cairo_surface_t *surface);
/* The texts recorded on @surface (NULL if it records none; the array is
 * the surface's). */
GArray *wslfp_plot_text_boxes (cairo_surface_t *surface);
/* What is wrong with the texts of a @width × @height page: any that leaves
 * it, overlaps another, comes within 0.4 em of another on its line or is
 * smaller than @min_size, one line each; NULL if nothing is. */
char   *wslfp_plot_text_boxes_problems (const GArray *boxes, double width, double height, double min_size);

G_END_DECLS
