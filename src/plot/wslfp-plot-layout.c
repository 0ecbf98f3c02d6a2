/* wslfp-plot-layout.c: the 3-D layout of neurons and contacts, an
 * orthographic view from a chosen azimuth and elevation. */
#include "wslfp-plot-private.h"

#include <math.h>
#include <string.h>

/* Primitives per cairo path (see wslfp_plot_layout). */
#define BATCH 16

void
wslfp_view_init (WslfpView *view)
{
  memset (view, 0, sizeof *view);
  view->azimuth_deg = -35;
  view->elevation_deg = 20;
  view->zoom = 1;
}

void
wslfp_view_preset (WslfpView *view, const char *name)
{
  double zoom = view->zoom > 0 ? view->zoom : 1;
  const char *title = view->title;
  wslfp_view_init (view);
  view->zoom = zoom;
  view->title = title;
  if (g_strcmp0 (name, "front") == 0)
    view->azimuth_deg = view->elevation_deg = 0;
  else if (g_strcmp0 (name, "side") == 0)
    {
      view->azimuth_deg = 90;
      view->elevation_deg = 0;
    }
  else if (g_strcmp0 (name, "top") == 0)
    {
      view->azimuth_deg = 0;
      view->elevation_deg = 90;
    }
}

static void
orientation_of (const WslfpScene *s, gsize i, double u[3])
{
  if (s->orientation == NULL)
    {
      u[0] = u[1] = 0;
      u[2] = 1;
      return;
    }
  const double *o = s->orientation + 3 * (s->n_orientations == 1 ? 0 : i);
  double n = sqrt (o[0] * o[0] + o[1] * o[1] + o[2] * o[2]);
  for (int k = 0; k < 3; k++)
    u[k] = n > 0 ? o[k] / n : (k == 2);
}

static double
length_of (const WslfpScene *s, gsize i)
{
  if (s->lengths_um == NULL || s->n_lengths == 0)
    return s->dendrite_length_um;
  return s->lengths_um[s->n_lengths == 1 ? 0 : MIN (i, s->n_lengths - 1)];
}

/* A cell's soma and apical tip. */
static void
cell_ends (const WslfpScene *s, gsize i, double soma[3], double tip[3])
{
  double u[3], L = length_of (s, i);
  const double *p = s->somata_um + 3 * i;
  orientation_of (s, i, u);
  for (int k = 0; k < 3; k++)
    {
      soma[k] = s->centers ? p[k] - u[k] * L / 2 : p[k];
      tip[k] = soma[k] + u[k] * L;
    }
}

static void
extend (double lo[3], double hi[3], const double p[3])
{
  for (int k = 0; k < 3; k++)
    {
      lo[k] = MIN (lo[k], p[k]);
      hi[k] = MAX (hi[k], p[k]);
    }
}

void
wslfp_scene_bounds (const WslfpScene *s, double lo[3], double hi[3])
{
  for (int k = 0; k < 3; k++)
    {
      lo[k] = INFINITY;
      hi[k] = -INFINITY;
    }
  for (gsize i = 0; i < s->n_sources; i++)
    {
      double soma[3], tip[3];
      cell_ends (s, i, soma, tip);
      extend (lo, hi, soma);
      extend (lo, hi, tip);
    }
  for (gsize i = 0; i < s->n_inhibitory; i++)
    extend (lo, hi, s->inhibitory_um + 3 * i);
  if (!s->fit_cells_only || !isfinite (lo[0]))
    {
      for (gsize e = 0; e < s->n_electrodes; e++)
        extend (lo, hi, s->electrodes_um + 3 * e);
      for (gsize b = 0; b < 4 * s->n_bodies; b++)
        extend (lo, hi, s->bodies_um + 3 * b);
    }
  if (!isfinite (lo[0]))
    for (int k = 0; k < 3; k++)
      {
        lo[k] = -100;
        hi[k] = 100;
      }
}

void
wslfp_projection_compute (WslfpProjection *P, const WslfpScene *scene, const WslfpView *view, double width,
                          double height)
{
  double lo[3], hi[3];
  double phi = view->azimuth_deg * G_PI / 180, theta = view->elevation_deg * G_PI / 180;
  double cp = cos (phi), sp = sin (phi), ct = cos (theta), st = sin (theta);
  /* World → camera: rotate by the azimuth about z, then tilt.  Camera X is
   * right, Y is up, Z points at the viewer; at (0, 0) we look along +y with
   * z up (the front view). */
  double R[9] = { cp, sp, 0,
                  -sp * st, cp * st, ct,
                  sp * ct, -cp * ct, st };
  memcpy (P->rot, R, sizeof R);
  if (scene->frame_lo_um != NULL && scene->frame_hi_um != NULL)
    {
      memcpy (lo, scene->frame_lo_um, sizeof lo[0] * 3);
      memcpy (hi, scene->frame_hi_um, sizeof hi[0] * 3);
    }
  else
    wslfp_scene_bounds (scene, lo, hi);
  double radius = 0;
  for (int k = 0; k < 3; k++)
    {
      P->center[k] = (lo[k] + hi[k]) / 2;
      radius += (hi[k] - lo[k]) * (hi[k] - lo[k]) / 4;
    }
  radius = MAX (sqrt (radius), 1.0);
  double zoom = view->zoom > 0 ? view->zoom : 1;
  P->scale = 0.46 * MIN (width, height - 30) / radius * zoom;
  P->cx = width / 2 + view->pan_x;
  P->cy = (height + 20) / 2 + view->pan_y;
}

void
wslfp_projection_apply (const WslfpProjection *P, const double p[3], double *x, double *y, double *depth)
{
  double v[3] = { p[0] - P->center[0], p[1] - P->center[1], p[2] - P->center[2] };
  double X = P->rot[0] * v[0] + P->rot[1] * v[1] + P->rot[2] * v[2];
  double Y = P->rot[3] * v[0] + P->rot[4] * v[1] + P->rot[5] * v[2];
  double Z = P->rot[6] * v[0] + P->rot[7] * v[1] + P->rot[8] * v[2];
  *x = P->cx + X * P->scale;
  *y = P->cy - Y * P->scale;
  if (depth != NULL)
    *depth = Z;
}

/* The axes' origin (the scene's low corner) and their length: a round
 * third of its extent. */
static double
axes_origin (const WslfpScene *scene, double lo[3])
{
  double hi[3];
  if (scene->frame_lo_um != NULL && scene->frame_hi_um != NULL)
    {
      memcpy (lo, scene->frame_lo_um, sizeof lo[0] * 3);
      memcpy (hi, scene->frame_hi_um, sizeof hi[0] * 3);
    }
  else
    wslfp_scene_bounds (scene, lo, hi);
  double extent = MAX (hi[0] - lo[0], MAX (hi[1] - lo[1], hi[2] - lo[2]));
  return wslfp_plot_nice_step (extent / 3, 1);
}

/* Where the axes' names go: beyond each arrow's tip (FALSE in @shown for
 * an axis seen end-on, which gets no arrow). */
static void
axis_name_points (const WslfpProjection *P, const WslfpScene *scene, double xy[3][2], gboolean shown[3])
{
  double lo[3], ox, oy;
  double len = axes_origin (scene, lo);
  wslfp_projection_apply (P, lo, &ox, &oy, NULL);
  for (int k = 0; k < 3; k++)
    {
      double tip[3] = { lo[0], lo[1], lo[2] }, tx, ty;
      tip[k] += len;
      wslfp_projection_apply (P, tip, &tx, &ty, NULL);
      double dx = tx - ox, dy = ty - oy, n = hypot (dx, dy);
      shown[k] = n > 8;
      xy[k][0] = shown[k] ? tx + 8 * dx / n : tx;
      xy[k][1] = shown[k] ? ty + 8 * dy / n : ty;
    }
}

static void
draw_axes (cairo_t *cr, const WslfpProjection *P, const WslfpScene *scene, double width, double height)
{
  double lo[3];
  char buf[64];
  double len = axes_origin (scene, lo);
  const char *names[3] = { "x", "y", "z" };
  double ox, oy;
  wslfp_projection_apply (P, lo, &ox, &oy, NULL);
  cairo_set_line_width (cr, 1.5);
  for (int k = 0; k < 3; k++)
    {
      double tip[3] = { lo[0], lo[1], lo[2] }, tx, ty;
      tip[k] += len;
      wslfp_projection_apply (P, tip, &tx, &ty, NULL);
      cairo_set_source_rgb (cr, 0.25, 0.25, 0.25);
      cairo_move_to (cr, ox, oy);
      cairo_line_to (cr, tx, ty);
      cairo_stroke (cr);
      double dx = tx - ox, dy = ty - oy, n = hypot (dx, dy);
      if (n > 8)
        {
          /* arrow head */
          double ux = dx / n, uy = dy / n;
          cairo_move_to (cr, tx, ty);
          cairo_line_to (cr, tx - 7 * ux + 3.5 * uy, ty - 7 * uy - 3.5 * ux);
          cairo_line_to (cr, tx - 7 * ux - 3.5 * uy, ty - 7 * uy + 3.5 * ux);
          cairo_close_path (cr);
          cairo_fill (cr);
          wslfp_plot_text (cr, tx + 8 * ux, ty + 8 * uy, names[k], 0.5, 0.5);
        }
    }
  /* A scale bar in screen space, true for every direction in the view
   * plane (orthographic). */
  double bar = len * P->scale;
  cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
  cairo_set_line_width (cr, 2);
  cairo_move_to (cr, width - 20 - bar, height - 18);
  cairo_line_to (cr, width - 20, height - 18);
  cairo_stroke (cr);
  g_snprintf (buf, sizeof buf, "%g µm", len);
  wslfp_plot_text (cr, width - 20 - bar / 2, height - 24, buf, 0.5, 1);
}

/* Cells coloured by weight: the colours are quantised into bins so that
 * each bin is one batch of paths, not one stroke per cell. */
#define WEIGHT_BINS 21

static int
weight_bin (double w, double limit)
{
  double x = limit > 0 ? CLAMP (w / limit, -1, 1) : 0;
  return (int) lround ((x + 1) / 2 * (WEIGHT_BINS - 1));
}

static void
draw_cells (cairo_t *cr, const WslfpProjection *P, const WslfpScene *s, double limit)
{
  /* Apical dendrites, stroked a few at a time: cairo's tessellator works
   * on all crossings within one path, so one path of 10 000 crossing lines
   * costs seconds while small batches cost milliseconds.  Dense scenes:
   * thin lines need no antialiasing to read, and drawing them without it
   * is several times faster (30 frames/s at 10 000 cells). */
  gboolean dense = s->n_sources > 2000;
  gsize step = MAX (s->cell_step, 1);
  int n_bins = s->cell_weights ? WEIGHT_BINS : 1;
  cairo_save (cr);
  if (dense)
    cairo_set_antialias (cr, CAIRO_ANTIALIAS_NONE);
  for (int bin = 0; bin < n_bins; bin++)
    {
      double rgb[3] = { wslfp_plot_exc_color[0], wslfp_plot_exc_color[1], wslfp_plot_exc_color[2] };
      double alpha = dense ? 0.18 : 0.35;
      if (s->cell_weights)
        {
          /* A cell with no weight would be white on white: a grey floor
           * keeps every cell visible. */
          wslfp_plot_diverging (limit * (2.0 * bin / (WEIGHT_BINS - 1) - 1), limit, rgb);
          for (int k = 0; k < 3; k++)
            rgb[k] *= 0.82;
          alpha = 0.75;
        }
      cairo_set_line_width (cr, dense ? 0.5 : 0.8);
      cairo_set_source_rgba (cr, rgb[0], rgb[1], rgb[2], alpha);
      gsize k = 0;
      for (gsize i = 0; i < s->n_sources; i += step)
        {
          if (s->cell_weights && weight_bin (s->cell_weights[i], limit) != bin)
            continue;
          double soma[3], tip[3], x0, y0, x1, y1;
          cell_ends (s, i, soma, tip);
          wslfp_projection_apply (P, soma, &x0, &y0, NULL);
          wslfp_projection_apply (P, tip, &x1, &y1, NULL);
          cairo_move_to (cr, x0, y0);
          cairo_line_to (cr, x1, y1);
          if (++k % BATCH == 0)
            cairo_stroke (cr);
        }
      cairo_stroke (cr);

      /* Somata as small triangles (pyramidal); in dense scenes as
       * pixel-aligned squares, which cairo fills without tessellating. */
      double r = dense ? 1.6 : 2.6;
      cairo_set_source_rgba (cr, rgb[0], rgb[1], rgb[2], 0.85);
      k = 0;
      for (gsize i = 0; i < s->n_sources; i += step)
        {
          if (s->cell_weights && weight_bin (s->cell_weights[i], limit) != bin)
            continue;
          double x, y, soma[3], tip[3];
          cell_ends (s, i, soma, tip);
          wslfp_projection_apply (P, soma, &x, &y, NULL);
          if (dense)
            cairo_rectangle (cr, floor (x) - 1, floor (y) - 1, 2, 2);
          else
            {
              cairo_move_to (cr, x, y - r);
              cairo_line_to (cr, x + r, y + r * 0.8);
              cairo_line_to (cr, x - r, y + r * 0.8);
              cairo_close_path (cr);
            }
          if (!dense && ++k % BATCH == 0)
            cairo_fill (cr);
        }
      cairo_fill (cr);
    }
  cairo_restore (cr);
}

/* Shank bodies: translucent grey, so the cells behind them still show. */
static void
draw_bodies (cairo_t *cr, const WslfpProjection *P, const WslfpScene *s)
{
  cairo_save (cr);
  cairo_set_line_width (cr, 0.8);
  for (gsize b = 0; b < s->n_bodies; b++)
    {
      for (int k = 0; k < 4; k++)
        {
          double x, y;
          wslfp_projection_apply (P, s->bodies_um + 12 * b + 3 * k, &x, &y, NULL);
          if (k == 0)
            cairo_move_to (cr, x, y);
          else
            cairo_line_to (cr, x, y);
        }
      cairo_close_path (cr);
      cairo_set_source_rgba (cr, 0.45, 0.47, 0.5, 0.28);
      cairo_fill_preserve (cr);
      cairo_set_source_rgba (cr, 0.3, 0.32, 0.35, 0.6);
      cairo_stroke (cr);
    }
  cairo_restore (cr);
}

static void
legend_swatch (cairo_t *cr, double x, double y, const double rgb[3], int shape)
{
  cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
  if (shape == 0)
    {
      cairo_move_to (cr, x + 5, y - 4);
      cairo_line_to (cr, x + 10, y + 4);
      cairo_line_to (cr, x, y + 4);
      cairo_close_path (cr);
    }
  else if (shape == 1)
    cairo_arc (cr, x + 5, y, 4, 0, 2 * G_PI);
  else
    cairo_rectangle (cr, x + 1, y - 4, 8, 8);
  cairo_fill (cr);
}

/* The right end of a legend line's label at @x. */
static double
label_end (cairo_t *cr, double x, const char *text)
{
  cairo_text_extents_t ext;
  cairo_text_extents (cr, text, &ext);
  return x + ext.x_advance;
}

/* What the marks mean: cells, then the shanks (the first few, by colour),
 * from @top down; where its labels end. */
static double
draw_legend (cairo_t *cr, const WslfpScene *s, double width, double height, double limit, double top)
{
  char buf[96];
  double x = 10, y = top, right = x;
  int n_shanks = 0;
  for (gsize e = 0; e < s->n_electrodes; e++)
    n_shanks = MAX (n_shanks, (s->shank ? s->shank[e] : 0) + 1);
  cairo_save (cr);
  if (s->cell_weights == NULL && s->n_sources > 0)
    {
      legend_swatch (cr, x, y, wslfp_plot_exc_color, 0);
      cairo_set_source_rgb (cr, 0.2, 0.2, 0.2);
      g_snprintf (buf, sizeof buf, _("pyramidal cells (%zu)"), s->n_sources);
      wslfp_plot_text (cr, x + 16, y, buf, 0, 0.5);
      right = MAX (right, label_end (cr, x + 16, buf));
      y += 16;
    }
  if (s->n_inhibitory > 0)
    {
      legend_swatch (cr, x, y, wslfp_plot_inh_color, 1);
      cairo_set_source_rgb (cr, 0.2, 0.2, 0.2);
      g_snprintf (buf, sizeof buf, _("inhibitory cells (%zu)"), s->n_inhibitory);
      wslfp_plot_text (cr, x + 16, y, buf, 0, 0.5);
      right = MAX (right, label_end (cr, x + 16, buf));
      y += 16;
    }
  int shown = MIN (n_shanks, 8);
  for (int k = 0; k < shown; k++)
    {
      double rgb[3];
      wslfp_plot_shank_color (k, rgb);
      legend_swatch (cr, x, y, rgb, 2);
      cairo_set_source_rgb (cr, 0.2, 0.2, 0.2);
      if (k == shown - 1 && n_shanks > shown)
        g_snprintf (buf, sizeof buf, _("shanks %d … %d"), k, n_shanks - 1);
      else
        g_snprintf (buf, sizeof buf, _("shank %d"), k);
      wslfp_plot_text (cr, x + 16, y, buf, 0, 0.5);
      right = MAX (right, label_end (cr, x + 16, buf));
      y += 16;
    }
  if (s->cell_weights != NULL && s->weights_contact >= 0)
    {
      /* Translators: the colour bar of the cells' weights for one contact. */
      g_snprintf (buf, sizeof buf, _("weight in contact %zd (µV/nA)"), s->weights_contact);
      /* (the bar's own label: with a power of ten, or on a bar too short
       * for ticks its range, it says them on the same line) */
      cairo_text_extents_t ext;
      cairo_text_extents (cr, buf, &ext);
      double bar_top = 46;
      /* A narrow figure (one printed column): the bar and its title under
       * the legend, not over its lines. */
      if (width - 30 - ext.x_advance < right + WSLFP_PLOT_FONT_UNITS)
        bar_top = MAX (bar_top, y + 12);
      wslfp_plot_colorbar (cr, width - 70, bar_top, 14, MAX (MIN (160, height - 74 - bar_top), 10), limit, buf);
    }
  cairo_restore (cr);
  return right;
}

void
wslfp_plot_layout_cells (cairo_t *cr, double width, double height, const WslfpScene *s, const WslfpView *view)
{
  WslfpProjection P;

  wslfp_plot_begin (cr, width, height);
  wslfp_projection_compute (&P, s, view, width, height);
  draw_axes (cr, &P, s, width, height);

  double limit = s->cell_weights ? wslfp_plot_robust_limit (s->cell_weights, s->n_sources) : 1;
  draw_cells (cr, &P, s, limit);
  double r = s->n_sources > 2000 ? 1.6 : 2.6;
  const double *cool = wslfp_plot_inh_color;
  cairo_set_source_rgba (cr, cool[0], cool[1], cool[2], 0.8);
  for (gsize i = 0; i < s->n_inhibitory; i++)
    {
      double x, y;
      wslfp_projection_apply (&P, s->inhibitory_um + 3 * i, &x, &y, NULL);
      cairo_new_sub_path (cr);
      cairo_arc (cr, x, y, r * 0.8, 0, 2 * G_PI);
      if (i % BATCH == BATCH - 1)
        cairo_fill (cr);
    }
  cairo_fill (cr);
}

void
wslfp_plot_layout_probe (cairo_t *cr, double width, double height, const WslfpScene *s, const WslfpView *view)
{
  WslfpProjection P;
  char buf[96];

  /* (its own drawing state: drawn over a kept layer of cells, it has not
   * the cells' drawing state, and the contacts' corners were square on
   * screen at rest, round while the view turned) */
  cairo_select_font_face (cr, "Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, 11);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  wslfp_projection_compute (&P, s, view, width, height);
  double limit = s->cell_weights ? wslfp_plot_robust_limit (s->cell_weights, s->n_sources) : 1;
  draw_bodies (cr, &P, s);

  /* Contacts, coloured by shank, on top; smaller when there are many. */
  double half = s->n_electrodes > 200 ? 2.0 : s->n_electrodes > 64 ? 3.0 : 4.0;
  cairo_set_line_width (cr, s->n_electrodes > 200 ? 0.5 : 1);
  if (s->n_electrodes <= 64)
    for (gsize e = 0; e < s->n_electrodes; e++)
      {
        double x, y, rgb[3];
        wslfp_projection_apply (&P, s->electrodes_um + 3 * e, &x, &y, NULL);
        wslfp_plot_shank_color (s->shank ? s->shank[e] : 0, rgb);
        cairo_rectangle (cr, x - half, y - half, 2 * half, 2 * half);
        cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
        cairo_fill_preserve (cr);
        cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
        cairo_stroke (cr);
      }
  else
    {
      /* Many contacts: a path per shank, filled and outlined once; past a
       * thousand (a few pixels each, touching), filled only, on whole
       * pixels without antialiasing: 5120 antialiased outlined squares
       * cost a dragged Neuropixels 2014 some 35 ms a frame. */
      gboolean dense = s->n_electrodes > 1000;
      cairo_save (cr);
      if (dense)
        cairo_set_antialias (cr, CAIRO_ANTIALIAS_NONE);
      int n_shanks = 1;
      for (gsize e = 0; e < s->n_electrodes; e++)
        n_shanks = MAX (n_shanks, (s->shank ? s->shank[e] : 0) + 1);
      for (int k = 0; k < n_shanks; k++)
        {
          double rgb[3];
          for (gsize e = 0; e < s->n_electrodes; e++)
            if ((s->shank ? s->shank[e] : 0) == k)
              {
                double x, y;
                wslfp_projection_apply (&P, s->electrodes_um + 3 * e, &x, &y, NULL);
                if (dense)
                  cairo_rectangle (cr, round (x - half), round (y - half), 2 * half, 2 * half);
                else
                  cairo_rectangle (cr, x - half, y - half, 2 * half, 2 * half);
              }
          wslfp_plot_shank_color (k, rgb);
          cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
          if (dense)
            {
              cairo_fill (cr);
              continue;
            }
          cairo_fill_preserve (cr);
          cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
          cairo_stroke (cr);
        }
      cairo_restore (cr);
    }
  if (s->cell_weights != NULL && s->weights_contact >= 0 && (gsize) s->weights_contact < s->n_electrodes)
    {
      double x, y;
      wslfp_projection_apply (&P, s->electrodes_um + 3 * s->weights_contact, &x, &y, NULL);
      cairo_set_source_rgb (cr, 0, 0, 0);
      cairo_set_line_width (cr, 2);
      cairo_arc (cr, x, y, 8, 0, 2 * G_PI);
      cairo_stroke (cr);
    }
  /* Below the title, which a narrow figure spreads over the legend's place. */
  gboolean titled = view->title != NULL && view->title[0] != '\0';
  double legend_right = s->legend ? draw_legend (cr, s, width, height, limit, titled ? 40 : 16) : 0;

  wslfp_plot_title (cr, width, view->title);
  cairo_set_source_rgb (cr, 0.3, 0.3, 0.3);
  g_snprintf (buf, sizeof buf, _("azimuth %.0f°, elevation %.0f°"), view->azimuth_deg, view->elevation_deg);
  wslfp_plot_minus_signs (buf, sizeof buf);
  /* Bottom left; or, where an axis' name is in the way (a short figure
   * brings the axes down to it), top right, level with the legend (over
   * the scale bar when the weights' colour bar is there). */
  double names[3][2];
  gboolean shown[3];
  axis_name_points (&P, s, names, shown);
  cairo_text_extents_t ext;
  cairo_text_extents (cr, buf, &ext);
  gboolean clear = TRUE;
  for (int k = 0; k < 3; k++)
    if (shown[k] && names[k][0] > 0 && names[k][0] < 20 + ext.width && names[k][1] > height - 20 - ext.height)
      clear = FALSE;
  gboolean beside_legend = s->cell_weights == NULL && width - 10 - ext.width >= legend_right + WSLFP_PLOT_FONT_UNITS;
  if (clear)
    wslfp_plot_text (cr, 10, height - 10, buf, 0, 1);
  else if (beside_legend)
    wslfp_plot_text (cr, width - 10, (titled ? 40 : 16) - 6, buf, 1, 0);
  else
    wslfp_plot_text (cr, width - 10, height - 42, buf, 1, 1);
}

void
wslfp_plot_layout (cairo_t *cr, double width, double height, const WslfpScene *s, const WslfpView *view)
{
  wslfp_plot_layout_cells (cr, width, height, s, view);
  wslfp_plot_layout_probe (cr, width, height, s, view);
}
