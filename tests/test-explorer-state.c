/* test-explorer-state.c: the Explorer's model without a display: its
 * defaults are a new session's, a session round trip keeps every value,
 * the job it describes, undo/redo (steps, groups, probe layouts, and the
 * LFP after undoing everything is the first one exactly), and the compute
 * controller (results follow the state, stale and cancelled runs are
 * dropped, the live path, pinning, custom grids). */
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "wslfp-compute-controller.h"
#include "wslfp-demo-file.h"
#include "wslfp-profile-file.h"
#include "wslfp-explorer-state.h"
#include "wslfp-history.h"
#include "wslfp-session-keeper.h"

static char *tmp_dir;

static void
iterate (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
assert_same_result (const WslfpSessionResult *a, const WslfpSessionResult *b)
{
  g_assert_cmpstr (a->profile, ==, b->profile);
  g_assert_cmpstr (a->custom_grid, ==, b->custom_grid);
  g_assert_cmpint (a->population, ==, b->population);
  g_assert_cmpint (a->normalize, ==, b->normalize);
  g_assert_cmpint (a->from_spikes, ==, b->from_spikes);
  g_assert_cmpstr (a->kernel, ==, b->kernel);
  g_assert_cmpfloat (a->alpha, ==, b->alpha);
  g_assert_cmpfloat (a->tau_ampa_ms, ==, b->tau_ampa_ms);
  g_assert_cmpfloat (a->tau_gaba_ms, ==, b->tau_gaba_ms);
  g_assert_cmpint (a->length_from_dataset, ==, b->length_from_dataset);
  g_assert_cmpfloat (a->dendrite_length_um, ==, b->dendrite_length_um);
  g_assert_cmpstr (a->probe_kind, ==, b->probe_kind);
  g_assert_cmpstr (a->probe_file, ==, b->probe_file);
  g_assert_cmpint (a->n_shanks, ==, b->n_shanks);
  g_assert_cmpint (a->n_contacts, ==, b->n_contacts);
  g_assert_cmpfloat (a->spacing_um, ==, b->spacing_um);
  g_assert_cmpfloat (a->pitch_um, ==, b->pitch_um);
  for (int i = 0; i < 3; i++)
    g_assert_cmpfloat (a->placement.center_um[i], ==, b->placement.center_um[i]);
  g_assert_cmpfloat (a->placement.azimuth_deg, ==, b->placement.azimuth_deg);
  g_assert_cmpfloat (a->placement.tilt_deg, ==, b->placement.tilt_deg);
  g_assert_cmpfloat (a->placement.roll_deg, ==, b->placement.roll_deg);
  g_assert_cmpint (a->placement_set, ==, b->placement_set);
  /* and every proxy setting, those above and any added since */
  for (const WslfpSetting *t = wslfp_settings; t < wslfp_settings + wslfp_n_settings; t++)
    switch (t->kind)
      {
      case WSLFP_SETTING_BOOLEAN:
        g_assert_cmpint (G_STRUCT_MEMBER (gboolean, a, t->offset), ==, G_STRUCT_MEMBER (gboolean, b, t->offset));
        break;
      case WSLFP_SETTING_NUMBER:
        g_assert_cmpfloat (G_STRUCT_MEMBER (double, a, t->offset), ==, G_STRUCT_MEMBER (double, b, t->offset));
        break;
      case WSLFP_SETTING_CHOICE:
        g_assert_cmpstr (G_STRUCT_MEMBER (char *, a, t->offset), ==, G_STRUCT_MEMBER (char *, b, t->offset));
        break;
      }
}

/* Every proxy setting of @r made other than its default (numbers to one
 * that needs all 17 digits to read back; choices to the @shift-th next
 * name, @shift >= 1, wrapping past the default), so that a key saved or read wrong cannot come back equal. */
static void
set_every_setting_off_default (WslfpSessionResult *r, guint shift)
{
  for (const WslfpSetting *t = wslfp_settings; t < wslfp_settings + wslfp_n_settings; t++)
    switch (t->kind)
      {
      case WSLFP_SETTING_BOOLEAN:
        G_STRUCT_MEMBER (gboolean, r, t->offset) = t->fallback == 0;
        break;
      case WSLFP_SETTING_NUMBER:
        {
          double v = t->min + (t->max - t->min) * (shift + 1) / 7.0;
          if (v == t->fallback)
            v = nextafter (v, t->max);
          G_STRUCT_MEMBER (double, r, t->offset) = v;
          break;
        }
      case WSLFP_SETTING_CHOICE:
        {
          guint n = g_strv_length ((char **) t->names);
          char **field = &G_STRUCT_MEMBER (char *, r, t->offset);
          g_free (*field);
          *field = g_strdup (t->names[((guint) t->fallback + 1 + (shift - 1) % (n - 1)) % n]);
          g_assert_cmpstr (*field, !=, t->names[(guint) t->fallback]);
          break;
        }
      }
}

/* Every key of a session file: a session whose every field (both results,
 * the view, the dataset) differs from a new session's, with numbers that
 * need 17 digits, comes back from its file equal field by field. */
static void
test_state_session_every_key (void)
{
  g_autoptr (WslfpSession) s = wslfp_session_new ();
  g_autoptr (WslfpSession) fresh = wslfp_session_new ();
  s->dataset = g_strdup ("/data/a network.h5");
  s->sources = g_strdup ("pop_name==\"e\"");
  g_free (s->page), g_free (s->trace_mode), g_free (s->figure_kind);
  s->page = g_strdup ("raster");
  s->trace_mode = g_strdup ("lines");
  s->figure_kind = g_strdup ("psd");
  g_assert_cmpstr (s->page, !=, fresh->page);
  g_assert_cmpstr (s->trace_mode, !=, fresh->trace_mode);
  g_assert_cmpstr (s->figure_kind, !=, fresh->figure_kind);
  s->t_start_ms = 1000.0 / 3;
  s->t_end_ms = 10000.0 / 7;
  s->show_terms = !fresh->show_terms;
  s->terms_contact = 11;
  s->pinned = TRUE;

  WslfpSessionResult *results[2] = { &s->current, &s->pin };
  for (guint k = 0; k < 2; k++)
    {
      WslfpSessionResult *r = results[k];
      set_every_setting_off_default (r, k + 1);
      r->custom_grid = g_strdup (k == 0 ? "/grids/mine.csv" : "/grids/other.csv");
      r->placement_set = TRUE;
      for (int i = 0; i < 3; i++)
        r->placement.center_um[i] = (i + 1 + k) * 100.0 / 3 - 50;
      r->placement.azimuth_deg = 100.0 / 7 + k;
      r->placement.tilt_deg = -200.0 / 7 - k;
      r->placement.roll_deg = 10.0 / 3 + k;
    }
  g_free (s->current.probe_kind);
  s->current.probe_kind = g_strdup ("shanks");
  s->current.n_shanks = 5;
  s->current.n_contacts = 17;
  s->current.spacing_um = 1000.0 / 7;
  s->current.pitch_um = 100.0 / 3;
  g_free (s->pin.probe_kind);
  s->pin.probe_kind = g_strdup ("file");
  s->pin.probe_file = g_strdup ("/probes/a probe.json");
  g_assert_cmpint (s->current.n_shanks, !=, fresh->current.n_shanks);
  g_assert_cmpint (s->current.n_contacts, !=, fresh->current.n_contacts);

  g_autofree char *path = g_build_filename (tmp_dir, "every-key" WSLFP_SESSION_SUFFIX, NULL);
  g_autoptr (GError) error = NULL;
  g_assert_true (wslfp_session_save (s, path, &error));
  g_autoptr (WslfpSession) back = wslfp_session_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (back->dataset, ==, s->dataset);
  g_assert_cmpstr (back->sources, ==, s->sources);
  g_assert_cmpstr (back->page, ==, s->page);
  g_assert_cmpstr (back->trace_mode, ==, s->trace_mode);
  g_assert_cmpstr (back->figure_kind, ==, s->figure_kind);
  g_assert_cmpfloat (back->t_start_ms, ==, s->t_start_ms);
  g_assert_cmpfloat (back->t_end_ms, ==, s->t_end_ms);
  g_assert_cmpint (back->show_terms, ==, s->show_terms);
  g_assert_cmpint (back->terms_contact, ==, s->terms_contact);
  g_assert_true (back->pinned);
  assert_same_result (&back->current, &s->current);
  assert_same_result (&back->pin, &s->pin);
  g_assert_true (wslfp_session_result_equal (&back->current, &s->current));
  g_assert_true (wslfp_session_result_equal (&back->pin, &s->pin));
  g_assert_false (wslfp_session_result_equal (&back->pin, &s->current));
}

/* The defaults are those of a new session (the proxy's) and of a new
 * probe; the properties' own defaults agree with both. */
static void
test_state_defaults (void)
{
  g_autoptr (WslfpExplorerState) state = wslfp_explorer_state_new (NULL);
  g_autoptr (WslfpSession) fresh = wslfp_session_new ();
  g_autoptr (WslfpSession) s = wslfp_explorer_state_to_session (state);
  g_assert_cmpstr (s->current.profile, ==, fresh->current.profile);
  g_assert_cmpstr (s->current.kernel, ==, fresh->current.kernel);
  g_assert_cmpfloat (s->current.alpha, ==, fresh->current.alpha);
  g_assert_cmpint (s->current.normalize, ==, TRUE);
  g_assert_cmpstr (s->page, ==, "explore");
  g_assert_cmpstr (s->figure_kind, ==, fresh->figure_kind);
  g_assert_cmpint (s->terms_contact, ==, -1);
  guint n;
  g_autofree GParamSpec **specs = g_object_class_list_properties (G_OBJECT_GET_CLASS (state), &n);
  for (guint i = 0; i < n; i++)
    {
      if (!(specs[i]->flags & G_PARAM_WRITABLE) || (specs[i]->flags & G_PARAM_CONSTRUCT_ONLY))
        continue;
      g_auto (GValue) value = G_VALUE_INIT;
      g_value_init (&value, specs[i]->value_type);
      g_object_get_property (G_OBJECT (state), specs[i]->name, &value);
      if (!g_param_value_defaults (specs[i], &value))
        g_error ("%s is not its property's default", specs[i]->name);
    }
}

/* Every value set on the state comes back from a session file written
 * from it, into a new state. */
static void
test_state_session_round_trip (void)
{
  g_autoptr (WslfpExplorerState) state = wslfp_explorer_state_new (NULL);
  g_object_set (state, "profile", 2, "population", TRUE, "normalize", FALSE, "from-spikes", TRUE, "kernel", 2,
                "alpha", 1.25, "tau-ampa-ms", 4.5, "tau-gaba-ms", 1.5, "length-from-dataset", FALSE,
                "dendrite-length-um", 321.0, "dataset", "/data/net.h5", "sources", "pop_name==\"e\"", "page",
                "traces", "figure-kind", "csd", "trace-mode", "image", "t-start-ms", 100.0, "t-end-ms", 250.0,
                "show-terms", TRUE, "terms-contact", 7, NULL);
  WslfpProbe *probe = wslfp_explorer_state_get_probe (state);
  wslfp_probe_set_preset (probe, "shanks");
  g_object_set (probe, "n-shanks", 2, "spacing-um", 300.0, "n-contacts", 12, "pitch-um", 50.0, "x-um", 10.0,
                "y-um", -20.0, "z-um", 30.0, "rotation-deg", 15.0, "tilt-deg", -30.0, "roll-deg", 45.0, NULL);
  g_autoptr (WslfpSession) s = wslfp_explorer_state_to_session (state);
  g_autofree char *path = g_build_filename (tmp_dir, "round" WSLFP_SESSION_SUFFIX, NULL);
  g_autoptr (GError) error = NULL;
  g_assert_true (wslfp_session_save (s, path, &error));
  g_autoptr (WslfpSession) back = wslfp_session_load (path, &error);
  g_assert_no_error (error);
  g_autoptr (WslfpExplorerState) again = wslfp_explorer_state_new (NULL);
  wslfp_explorer_state_apply_session (again, back);
  g_autoptr (WslfpSession) s2 = wslfp_explorer_state_to_session (again);
  assert_same_result (&s->current, &s2->current);
  g_assert_cmpstr (s2->dataset, ==, "/data/net.h5");
  g_assert_cmpstr (s2->sources, ==, "pop_name==\"e\"");
  g_assert_cmpstr (s2->page, ==, "traces");
  g_assert_cmpstr (s2->figure_kind, ==, "csd");
  g_assert_cmpstr (s2->trace_mode, ==, "image");
  g_assert_cmpfloat (s2->t_start_ms, ==, 100);
  g_assert_cmpfloat (s2->t_end_ms, ==, 250);
  g_assert_true (s2->show_terms);
  g_assert_cmpint (s2->terms_contact, ==, 7);
  /* and the values are what was set, not only what was saved */
  g_assert_cmpstr (s2->current.profile, ==, "aussel18");
  g_assert_cmpstr (s2->current.kernel, ==, "unit");
  g_assert_cmpfloat (s2->current.dendrite_length_um, ==, 321);
  g_assert_cmpint (s2->current.n_contacts, ==, 12);
  g_assert_cmpfloat (s2->current.placement.roll_deg, ==, 45);
  /* a grid is part of what is computed only while it is the profile */
  g_object_set (state, "custom-grid", "/grids/mine.csv", NULL);
  g_autoptr (WslfpSession) builtin = wslfp_explorer_state_to_session (state);
  g_assert_null (builtin->current.custom_grid);
  g_object_set (state, "profile", WSLFP_EXPLORER_CUSTOM_PROFILE, NULL);
  g_autoptr (WslfpSession) custom = wslfp_explorer_state_to_session (state);
  g_assert_cmpstr (custom->current.custom_grid, ==, "/grids/mine.csv");
  g_object_set (state, "profile", 2, NULL);
  /* the LFP drawn as a colour map is a session's "image" figure */
  g_object_set (state, "figure-kind", "lfp", "trace-mode", "image", NULL);
  g_autoptr (WslfpSession) image = wslfp_explorer_state_to_session (state);
  g_assert_cmpstr (image->figure_kind, ==, "image");
  g_object_set (again, "figure-kind", "psd", "trace-mode", "lines", NULL);
  wslfp_explorer_state_apply_view (again, image);
  g_autofree char *kind = NULL, *mode = NULL;
  g_object_get (again, "figure-kind", &kind, "trace-mode", &mode, NULL);
  g_assert_cmpstr (kind, ==, "lfp");
  g_assert_cmpstr (mode, ==, "image");
}

/* The job is what the state says, and nothing else. */
static void
test_state_job_settings (void)
{
  g_autoptr (WslfpExplorerState) state = wslfp_explorer_state_new (NULL);
  wslfp_probe_reset (wslfp_explorer_state_get_probe (state));
  WslfpJobSettings s;
  g_autofree double *xyz = NULL;
  g_autofree int *shank = NULL;
  wslfp_explorer_state_job_settings (state, NULL, &s, &xyz, &shank);
  g_assert_cmpint (s.profile, ==, WSLFP_PROFILE_MAZZONI15_SINGLE);
  g_assert_cmpfloat (s.dendrite_length_um, ==, 0); /* the dataset's lengths */
  g_assert_cmpuint (s.n_electrodes, ==, 30);       /* the demo's probe: 3 × 10 */
  g_assert_true (s.electrodes_um == xyz && s.shank == shank);
  g_clear_pointer (&xyz, g_free);
  g_clear_pointer (&shank, g_free);
  g_object_set (state, "profile", 0, "alpha", 2.5, "tau-ampa-ms", 3.0, "tau-gaba-ms", 1.0, "normalize", FALSE,
                "population", TRUE, "length-from-dataset", FALSE, "dendrite-length-um", 400.0, "from-spikes", TRUE,
                "kernel", 0, NULL);
  wslfp_explorer_state_job_settings (state, NULL, &s, &xyz, &shank);
  g_assert_cmpint (s.profile, ==, WSLFP_PROFILE_MAZZONI15);
  g_assert_cmpfloat (s.options.alpha, ==, 2.5);
  g_assert_cmpfloat (s.options.tau_ampa_ms, ==, 3);
  g_assert_cmpfloat (s.options.tau_gaba_ms, ==, 1);
  g_assert_false (s.options.normalize);
  g_assert_true (s.population && s.from_spikes && s.kernel_set);
  g_assert_cmpint (s.kernel, ==, WSLFP_KERNEL_PEAK);
  g_assert_cmpfloat (s.dendrite_length_um, ==, 400);
  g_clear_pointer (&xyz, g_free);
  g_clear_pointer (&shank, g_free);
  /* a custom profile is the loaded grid; without one, the default */
  WslfpProfile *grid = NULL;
  g_assert_cmpint (wslfp_profile_new (WSLFP_PROFILE_AUSSEL18, &grid, NULL), ==, WSLFP_OK);
  g_object_set (state, "profile", WSLFP_EXPLORER_CUSTOM_PROFILE, NULL);
  wslfp_explorer_state_job_settings (state, grid, &s, &xyz, &shank);
  g_assert_true (s.custom_profile == grid);
  g_clear_pointer (&xyz, g_free);
  g_clear_pointer (&shank, g_free);
  wslfp_explorer_state_job_settings (state, NULL, &s, &xyz, &shank);
  g_assert_null (s.custom_profile);
  g_assert_cmpint (s.profile, ==, WSLFP_PROFILE_MAZZONI15_SINGLE);
  wslfp_profile_free (grid);
  /* what is shown is not computed */
  g_assert_false (wslfp_explorer_state_is_computed (g_object_class_find_property (G_OBJECT_GET_CLASS (state), "page")));
  g_assert_true (wslfp_explorer_state_is_computed (g_object_class_find_property (G_OBJECT_GET_CLASS (state), "alpha")));
}

static void
count_cb (guint *count)
{
  (*count)++;
}

static double
get_double (gpointer object, const char *name)
{
  double v;
  g_object_get (object, name, &v, NULL);
  return v;
}

/* @h can undo and redo as said, by its functions and its properties. */
static void
assert_can (WslfpHistory *h, gboolean undo, gboolean redo)
{
  gboolean can_undo, can_redo;
  g_object_get (h, "can-undo", &can_undo, "can-redo", &can_redo, NULL);
  g_assert_cmpint (wslfp_history_can_undo (h), ==, undo);
  g_assert_cmpint (can_undo, ==, undo);
  g_assert_cmpint (wslfp_history_can_redo (h), ==, redo);
  g_assert_cmpint (can_redo, ==, redo);
}

/* Steps: the changes of one iteration are one step, a group is one step,
 * a change undone by hand is none, a new change forgets the redo steps,
 * what is only shown is not undone. */
static void
test_history_steps (void)
{
  g_autoptr (WslfpExplorerState) state = wslfp_explorer_state_new (NULL);
  WslfpProbe *probe = wslfp_explorer_state_get_probe (state);
  wslfp_probe_reset (probe);
  g_autoptr (WslfpHistory) h = wslfp_history_new (state);
  assert_can (h, FALSE, FALSE);
  g_assert_false (wslfp_history_undo (h));

  g_object_set (state, "alpha", 2.0, "normalize", FALSE, NULL); /* one iteration: one step */
  iterate ();
  g_object_set (state, "page", "traces", NULL);                  /* only shown: no step */
  iterate ();
  g_object_set (state, "tau-ampa-ms", 7.0, NULL);
  iterate ();
  g_object_set (state, "tau-ampa-ms", 6.0, NULL); /* … typed back within one iteration: */
  g_object_set (state, "tau-ampa-ms", 7.0, NULL);
  iterate ();                                      /* no step */
  double x0 = get_double (probe, "x-um");
  wslfp_history_begin_group (h);                   /* a drag */
  for (int i = 1; i <= 20; i++)
    {
      wslfp_probe_translate (probe, 5, 0, 0);
      iterate ();
    }
  wslfp_history_end_group (h);
  g_assert_cmpfloat (get_double (probe, "x-um"), ==, x0 + 100);

  /* undoing does not choose the probe again (a new kind reframes the
   * 3-D views: every undo did) */
  guint kind_changes = 0;
  g_signal_connect_swapped (probe, "notify::kind", G_CALLBACK (count_cb), &kind_changes);
  g_assert_true (wslfp_history_undo (h)); /* the drag, whole */
  g_assert_cmpuint (kind_changes, ==, 0);
  g_assert_cmpfloat (get_double (probe, "x-um"), ==, x0);
  g_assert_cmpfloat (get_double (state, "tau-ampa-ms"), ==, 7);
  g_assert_true (wslfp_history_undo (h)); /* the delay */
  g_assert_cmpfloat (get_double (state, "tau-ampa-ms"), ==, 6);
  g_assert_cmpfloat (get_double (state, "alpha"), ==, 2);
  g_assert_true (wslfp_history_undo (h)); /* alpha and normalise together */
  g_assert_cmpuint (kind_changes, ==, 0);
  g_assert_cmpfloat (get_double (state, "alpha"), ==, WSLFP_DEFAULT_ALPHA);
  gboolean normalize;
  g_object_get (state, "normalize", &normalize, NULL);
  g_assert_true (normalize);
  g_assert_false (wslfp_history_can_undo (h));
  g_assert_false (wslfp_history_undo (h));
  g_autofree char *page = NULL;
  g_object_get (state, "page", &page, NULL);
  g_assert_cmpstr (page, ==, "traces"); /* the view stays */
  iterate (); /* (undoing made no steps of its own) */
  assert_can (h, FALSE, TRUE);

  g_assert_true (wslfp_history_redo (h));
  g_assert_cmpfloat (get_double (state, "alpha"), ==, 2);
  assert_can (h, TRUE, TRUE);
  g_object_set (state, "alpha", 3.0, NULL); /* a new change: the redo steps go */
  iterate ();
  assert_can (h, TRUE, FALSE);
  g_assert_false (wslfp_history_redo (h));
  g_assert_true (wslfp_history_undo (h));
  g_assert_cmpfloat (get_double (state, "alpha"), ==, 2);
  /* cleared (another dataset): nothing to undo or redo, the state kept */
  assert_can (h, TRUE, TRUE);
  wslfp_history_clear (h);
  assert_can (h, FALSE, FALSE);
  g_assert_false (wslfp_history_undo (h));
  g_assert_cmpfloat (get_double (state, "alpha"), ==, 2);
}

/* The demo's probe: three shanks 250 µm apart at x = 0, 250 and 500, each
 * of ten contacts evenly from z = −400 to 600 µm, upright, at y = 0. */
static void
assert_demo_probe (WslfpProbe *probe)
{
  g_assert_cmpstr (wslfp_probe_get_kind (probe), ==, "shanks");
  g_autofree double *xyz = NULL;
  g_autofree int *shank = NULL;
  gsize n = wslfp_probe_get_contacts (probe, &xyz, &shank);
  g_assert_cmpuint (n, ==, 30);
  for (gsize c = 0; c < n; c++)
    {
      int k = shank[c];
      g_assert_cmpint (k, >=, 0);
      g_assert_cmpint (k, <, 3);
      g_assert_cmpfloat (fabs (xyz[3 * c] - 250.0 * k), <, 1e-9);
      g_assert_cmpfloat (fabs (xyz[3 * c + 1]), <, 1e-9);
    }
  /* each shank's depths: −400, −288.9, …, 600 (1000 µm in nine steps) */
  for (int k = 0; k < 3; k++)
    {
      double z[10];
      int m = 0;
      for (gsize c = 0; c < n; c++)
        if (shank[c] == k)
          {
            g_assert_cmpint (m, <, 10);
            z[m++] = xyz[3 * c + 2];
          }
      g_assert_cmpint (m, ==, 10);
      for (int i = 0; i < 10; i++)
        {
          gboolean found = FALSE;
          for (int j = 0; j < 10; j++)
            found |= fabs (z[j] - (-400.0 + 1000.0 * i / 9)) < 1e-9;
          if (!found)
            g_error ("shank %d has no contact at z = %g", k, -400.0 + 1000.0 * i / 9);
        }
    }
}

/* Resetting the probe gives the demo's, from every preset moved and
 * turned, from a file's probe and from the parametric probe edited. */
static void
test_state_probe_reset (void)
{
  g_autoptr (WslfpExplorerState) state = wslfp_explorer_state_new (NULL);
  WslfpProbe *probe = wslfp_explorer_state_get_probe (state);
  for (const char *const *id = wslfp_probe_layout_preset_ids (); *id != NULL; id++)
    {
      g_test_message ("from the preset %s", *id);
      g_assert_true (wslfp_probe_set_preset (probe, *id));
      g_assert_cmpstr (wslfp_probe_get_kind (probe), ==, *id);
      g_object_set (probe, "x-um", -300.0, "z-um", 50.0, "rotation-deg", 30.0, "tilt-deg", 20.0, NULL);
      wslfp_probe_reset (probe);
      assert_demo_probe (probe);
    }
  const double xyz[9] = { 0, 0, 0, 0, 0, 25, 0, 0, 50 };
  wslfp_probe_set_layout (probe, "file", wslfp_probe_layout_new ("three", xyz, NULL, 3), FALSE);
  wslfp_probe_reset (probe);
  assert_demo_probe (probe);
  g_object_set (probe, "n-shanks", 2, "n-contacts", 4, "pitch-um", 20.0, "y-um", 40.0, NULL);
  wslfp_probe_reset (probe);
  assert_demo_probe (probe);
  /* A shank number edited on a preset's probe makes it the parametric
   * one again: its shanks, said to be shanks. */
  g_assert_true (wslfp_probe_set_preset (probe, "tetrode"));
  g_object_set (probe, "n-contacts", 6, NULL);
  g_assert_cmpstr (wslfp_probe_get_kind (probe), ==, "shanks");
  g_assert_cmpuint (wslfp_probe_get_layout (probe)->n_contacts, ==, 3 * 6);
}

/* A change can be undone at once (the Undo button lights with it, before
 * its step closes); a drag's changes once the drag ends, not during it
 * (it is not a step yet), and redoing waits for no open change. */
static void
test_history_can_at_once (void)
{
  g_autoptr (WslfpExplorerState) state = wslfp_explorer_state_new (NULL);
  WslfpProbe *probe = wslfp_explorer_state_get_probe (state);
  wslfp_probe_reset (probe);
  g_autoptr (WslfpHistory) h = wslfp_history_new (state);
  g_object_set (state, "alpha", 2.0, NULL);
  assert_can (h, TRUE, FALSE);
  iterate ();
  assert_can (h, TRUE, FALSE);
  g_assert_true (wslfp_history_undo (h));
  iterate ();
  assert_can (h, FALSE, TRUE);
  double x0 = get_double (probe, "x-um");
  wslfp_history_begin_group (h);
  wslfp_probe_translate (probe, 5, 0, 0);
  iterate ();
  assert_can (h, FALSE, FALSE);
  wslfp_history_end_group (h);
  assert_can (h, TRUE, FALSE);
  g_assert_true (wslfp_history_undo (h));
  g_assert_cmpfloat (get_double (probe, "x-um"), ==, x0);
}

/* A probe from a file (or a preset) is undone to the parametric probe it
 * replaced, and redone to the file's contacts, without reading the file. */
static void
test_history_probe_layouts (void)
{
  g_autoptr (WslfpExplorerState) state = wslfp_explorer_state_new (NULL);
  WslfpProbe *probe = wslfp_explorer_state_get_probe (state);
  wslfp_probe_reset (probe);
  g_autoptr (WslfpHistory) h = wslfp_history_new (state);
  const double xyz[9] = { 0, 0, 0, 0, 0, 25, 0, 0, 50 };
  wslfp_probe_set_layout (probe, "file", wslfp_probe_layout_new ("three", xyz, NULL, 3), FALSE);
  g_object_set (state, "probe-file", "/probes/three.csv", NULL);
  iterate ();
  wslfp_probe_set_preset (probe, "tetrode");
  iterate ();
  g_assert_cmpuint (wslfp_probe_get_layout (probe)->n_contacts, ==, 4);
  g_assert_true (wslfp_history_undo (h));
  g_assert_cmpstr (wslfp_probe_get_kind (probe), ==, "file");
  g_assert_cmpuint (wslfp_probe_get_layout (probe)->n_contacts, ==, 3);
  g_assert_cmpfloat (wslfp_probe_get_layout (probe)->xyz_um[8], ==, 50);
  g_assert_true (wslfp_history_undo (h));
  g_assert_cmpstr (wslfp_probe_get_kind (probe), ==, "shanks");
  g_assert_cmpuint (wslfp_probe_get_layout (probe)->n_contacts, ==, 30);
  g_assert_true (wslfp_history_redo (h));
  g_assert_true (wslfp_history_redo (h));
  g_assert_cmpstr (wslfp_probe_get_kind (probe), ==, "tetrode");
  g_assert_cmpuint (wslfp_probe_get_layout (probe)->n_contacts, ==, 4);
  /* the same contacts on other shanks: a step of its own */
  const int shank[3] = { 0, 1, 1 };
  wslfp_probe_set_layout (probe, "file", wslfp_probe_layout_new ("three", xyz, NULL, 3), FALSE);
  iterate ();
  wslfp_probe_set_layout (probe, "file", wslfp_probe_layout_new ("three", xyz, shank, 3), FALSE);
  iterate ();
  g_assert_cmpint (wslfp_probe_get_layout (probe)->shank[1], ==, 1);
  g_assert_true (wslfp_history_undo (h));
  g_assert_cmpstr (wslfp_probe_get_kind (probe), ==, "file");
  g_assert_cmpint (wslfp_probe_get_layout (probe)->shank[1], ==, 0);
  g_assert_true (wslfp_history_redo (h));
  /* as many contacts on the same shanks, deeper: a step of its own too;
   * the same contacts read again (a new copy): none */
  const double deeper[9] = { 0, 0, 100, 0, 0, 125, 0, 0, 150 };
  for (int k = 0; k < 2; k++)
    {
      wslfp_probe_set_layout (probe, "file", wslfp_probe_layout_new ("three", deeper, shank, 3), FALSE);
      iterate ();
      g_assert_cmpfloat (wslfp_probe_get_layout (probe)->xyz_um[2], ==, 100);
    }
  g_assert_true (wslfp_history_undo (h));
  g_assert_cmpfloat (wslfp_probe_get_layout (probe)->xyz_um[2], ==, 0);
  g_assert_cmpint (wslfp_probe_get_layout (probe)->shank[1], ==, 1);
  g_assert_true (wslfp_history_undo (h));
  g_assert_cmpint (wslfp_probe_get_layout (probe)->shank[1], ==, 0);
  g_assert_true (wslfp_history_undo (h));
  g_assert_cmpstr (wslfp_probe_get_kind (probe), ==, "tetrode");
}

/* A result's legend names a population run, and a per-neuron one only
 * against a population one. */
static void
test_session_describe_population (void)
{
  WslfpSessionResult per_neuron, population;
  wslfp_session_result_init (&per_neuron);
  wslfp_session_result_init (&population);
  population.population = TRUE;
  g_autofree char *a = wslfp_session_result_describe (&per_neuron);
  g_autofree char *b = wslfp_session_result_describe (&population);
  g_assert_null (strstr (a, "population"));
  g_assert_nonnull (strstr (b, "population"));
  g_autofree char *b_vs_a = wslfp_session_result_describe_against (&population, &per_neuron);
  g_autofree char *a_vs_b = wslfp_session_result_describe_against (&per_neuron, &population);
  g_assert_cmpstr (b_vs_a, ==, "population");
  g_assert_cmpstr (a_vs_b, ==, "per neuron");
  wslfp_session_result_clear (&per_neuron);
  wslfp_session_result_clear (&population);
}

static WslfpLfp *
compute (WslfpDataset *ds, WslfpExplorerState *state)
{
  WslfpJobSettings s;
  g_autofree double *xyz = NULL;
  g_autofree int *shank = NULL;
  wslfp_explorer_state_job_settings (state, NULL, &s, &xyz, &shank);
  g_autoptr (GError) error = NULL;
  WslfpLfp *lfp = wslfp_job_run (ds, &s, NULL, NULL, &error);
  g_assert_no_error (error);
  return lfp;
}

static void
assert_same_lfp (const WslfpLfp *a, const WslfpLfp *b, gboolean same)
{
  g_assert_cmpuint (a->n_times, ==, b->n_times);
  gboolean equal = a->n_electrodes == b->n_electrodes
                   && memcmp (a->uv, b->uv, a->n_times * a->n_electrodes * sizeof (double)) == 0;
  g_assert_true (equal == same);
}

/* A sequence of changes (profile, delays, normalisation, a probe drag, a
 * preset probe) undone to the start computes the first LFP exactly; redone
 * to the end, the last. */
static void
test_history_lfp (void)
{
  WslfpDemoParams params;
  wslfp_demo_params_init (&params);
  params.n_exc = 40;
  params.duration_ms = 60;
  WslfpDemoNetwork *net = wslfp_demo_network_run (&params, NULL, NULL, NULL, 0);
  g_assert_nonnull (net);
  g_autoptr (WslfpDataset) ds = wslfp_demo_dataset_new (net, "demo");
  g_autoptr (WslfpExplorerState) state = wslfp_explorer_state_new (NULL);
  WslfpProbe *probe = wslfp_explorer_state_get_probe (state);
  wslfp_probe_reset (probe);
  g_autoptr (WslfpHistory) h = wslfp_history_new (state);
  g_autoptr (WslfpLfp) first = compute (ds, state);

  g_object_set (state, "profile", 2, NULL);
  iterate ();
  g_object_set (state, "tau-ampa-ms", 3.0, "normalize", FALSE, NULL);
  iterate ();
  wslfp_history_begin_group (h);
  for (int i = 0; i < 10; i++)
    wslfp_probe_translate (probe, 0, 7, -11);
  wslfp_history_end_group (h);
  wslfp_probe_set_preset (probe, "linear-32");
  iterate ();
  g_autoptr (WslfpLfp) last = compute (ds, state);
  assert_same_lfp (first, last, FALSE);

  int undone = 0;
  while (wslfp_history_undo (h))
    undone++;
  g_assert_cmpint (undone, ==, 4);
  g_autoptr (WslfpLfp) back = compute (ds, state);
  assert_same_lfp (first, back, TRUE);
  while (wslfp_history_redo (h))
    undone--;
  g_assert_cmpint (undone, ==, 0);
  g_autoptr (WslfpLfp) forth = compute (ds, state);
  assert_same_lfp (last, forth, TRUE);
  wslfp_demo_network_free (net);
}

/* Sets @t's row of @r to the low or @high end of its range (a flag: not
 * its default). */
static void
set_row_at_end (WslfpSessionResult *r, const WslfpSetting *t, gboolean high)
{
  switch (t->kind)
    {
    case WSLFP_SETTING_BOOLEAN: G_STRUCT_MEMBER (gboolean, r, t->offset) = t->fallback == 0; break;
    case WSLFP_SETTING_NUMBER: G_STRUCT_MEMBER (double, r, t->offset) = high ? t->max : t->min; break;
    case WSLFP_SETTING_CHOICE:
      g_free (G_STRUCT_MEMBER (char *, r, t->offset));
      G_STRUCT_MEMBER (char *, r, t->offset) = g_strdup (t->names[high ? g_strv_length ((char **) t->names) - 1 : 0]);
      break;
    }
}

/* The settings' table: each row is a property of the state with the row's
 * type, range and default (those of a new session); every row survives a
 * session round trip at a value other than its default and at the ends
 * of its range, and a value beyond its range is refused naming its key;
 * results that differ in any one row are not equal. */
static void
test_state_settings_table (void)
{
  g_autoptr (WslfpExplorerState) state = wslfp_explorer_state_new (NULL);
  WslfpSessionResult defaults;
  wslfp_session_result_init (&defaults);
  for (guint i = 0; i < wslfp_n_settings; i++)
    {
      const WslfpSetting *t = &wslfp_settings[i];
      GParamSpec *p = g_object_class_find_property (G_OBJECT_GET_CLASS (state), t->name);
      g_assert_nonnull (p);
      g_assert_true (wslfp_explorer_state_is_computed (p));
      GValue v = G_VALUE_INIT;
      g_value_init (&v, p->value_type);
      g_object_get_property (G_OBJECT (state), t->name, &v);
      switch (t->kind)
        {
        case WSLFP_SETTING_BOOLEAN:
          g_assert_true (G_IS_PARAM_SPEC_BOOLEAN (p));
          g_assert_cmpint (g_value_get_boolean (&v), ==, t->fallback != 0);
          g_assert_cmpint (G_STRUCT_MEMBER (gboolean, &defaults, t->offset), ==, t->fallback != 0);
          break;
        case WSLFP_SETTING_NUMBER:
          g_assert_true (G_IS_PARAM_SPEC_DOUBLE (p));
          g_assert_cmpfloat (g_value_get_double (&v), ==, t->fallback);
          g_assert_cmpfloat (G_PARAM_SPEC_DOUBLE (p)->minimum, ==, t->min);
          g_assert_cmpfloat (G_PARAM_SPEC_DOUBLE (p)->maximum, ==, t->max);
          g_assert_cmpfloat (G_STRUCT_MEMBER (double, &defaults, t->offset), ==, t->fallback);
          break;
        case WSLFP_SETTING_CHOICE:
          g_assert_true (G_IS_PARAM_SPEC_UINT (p));
          g_assert_cmpuint (g_value_get_uint (&v), ==, (guint) t->fallback);
          g_assert_cmpuint (G_PARAM_SPEC_UINT (p)->maximum, ==, g_strv_length ((char **) t->names) - 1);
          g_assert_cmpstr (G_STRUCT_MEMBER (char *, &defaults, t->offset), ==, t->names[(guint) t->fallback]);
          break;
        }
      g_value_unset (&v);
    }

  g_autofree char *path = g_build_filename (tmp_dir, "table" WSLFP_SESSION_SUFFIX, NULL);
  for (int end = 0; end < 2; end++)
    for (guint i = 0; i < wslfp_n_settings; i++)
      {
        const WslfpSetting *t = &wslfp_settings[i];
        g_autoptr (WslfpSession) s = wslfp_session_new ();
        WslfpSessionResult *r = &s->current;
        set_row_at_end (r, t, end);
        if (g_strcmp0 (r->profile, "custom") == 0)
          r->custom_grid = g_strdup ("/grids/own.csv");
        gboolean differs = t->kind == WSLFP_SETTING_BOOLEAN  ? TRUE
                           : t->kind == WSLFP_SETTING_NUMBER ? G_STRUCT_MEMBER (double, r, t->offset) != t->fallback
                                                             : g_strcmp0 (G_STRUCT_MEMBER (char *, r, t->offset),
                                                                          t->names[(guint) t->fallback]) != 0;
        g_assert_cmpint (wslfp_session_result_equal (r, &defaults), ==, !differs);
        g_autoptr (GError) error = NULL;
        g_assert_true (wslfp_session_save (s, path, &error));
        g_autoptr (WslfpSession) back = wslfp_session_load (path, &error);
        g_assert_no_error (error);
        g_assert_true (wslfp_session_result_equal (&back->current, r));
      }

  /* A key the file lacks (written by an older version, or by hand) reads
   * as its row's default. */
  for (guint i = 0; i < wslfp_n_settings; i++)
    {
      const WslfpSetting *t = &wslfp_settings[i];
      g_autoptr (WslfpSession) s = wslfp_session_new ();
      WslfpSessionResult *r = &s->current;
      /* (at the end of its range away from its default) */
      gboolean high = t->kind == WSLFP_SETTING_NUMBER ? t->fallback != t->max : t->fallback == 0;
      set_row_at_end (r, t, high);
      g_autoptr (GError) error = NULL;
      g_assert_true (wslfp_session_save (s, path, &error));
      g_autoptr (GKeyFile) kf = g_key_file_new ();
      g_assert_true (g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, NULL));
      g_assert_true (g_key_file_remove_key (kf, "proxy", t->key, NULL));
      g_assert_true (g_key_file_save_to_file (kf, path, NULL));
      g_autoptr (WslfpSession) back = wslfp_session_load (path, &error);
      g_assert_no_error (error);
      if (!wslfp_session_result_equal (&back->current, &defaults))
        g_error ("a session without its key %s does not read as the defaults", t->key);
    }

  /* Beyond the range: refused, naming the key. */
  for (guint i = 0; i < wslfp_n_settings; i++)
    {
      const WslfpSetting *t = &wslfp_settings[i];
      if (t->kind != WSLFP_SETTING_NUMBER)
        continue;
      g_autoptr (WslfpSession) s = wslfp_session_new ();
      g_autoptr (GError) error = NULL;
      g_assert_true (wslfp_session_save (s, path, &error));
      g_autoptr (GKeyFile) kf = g_key_file_new ();
      g_assert_true (g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, NULL));
      g_key_file_set_double (kf, "proxy", t->key, t->max + 1);
      g_assert_true (g_key_file_save_to_file (kf, path, NULL));
      g_autoptr (WslfpSession) back = wslfp_session_load (path, &error);
      g_assert_null (back);
      if (strstr (error->message, t->key) == NULL)
        g_error ("%s: %s", t->key, error->message);
    }
  wslfp_session_result_clear (&defaults);
}

/* The copied command has each setting's option while its condition holds:
 * the kernel only from spikes, the length only when it is one's own,
 * --no-normalize only when not normalising. */
static void
test_state_command_options (void)
{
  g_autoptr (WslfpSession) s = wslfp_session_new ();
  s->dataset = g_strdup ("/data/net.h5");
  g_autofree char *plain = wslfp_session_command (s, NULL, "lfp.h5", "lfp.pdf");
  g_assert_null (strstr (plain, "--kernel"));
  g_assert_null (strstr (plain, "--from-spikes"));
  g_assert_null (strstr (plain, "--dendrite-length-um"));
  g_assert_null (strstr (plain, "--no-normalize"));
  g_assert_null (strstr (plain, "--population"));
  /* (numbers as people read them: issue 22, item 12) */
  g_assert_nonnull (strstr (plain, "--alpha 1.65 "));
  g_assert_nonnull (strstr (plain, "--tau-ampa-ms 6 "));
  s->current.from_spikes = TRUE;
  s->current.length_from_dataset = FALSE;
  s->current.dendrite_length_um = 321;
  s->current.normalize = FALSE;
  s->current.population = TRUE;
  g_free (s->current.kernel);
  s->current.kernel = g_strdup ("unit");
  g_autofree char *all = wslfp_session_command (s, NULL, "lfp.h5", "lfp.pdf");
  g_assert_nonnull (strstr (all, "--from-spikes"));
  g_assert_nonnull (strstr (all, "--kernel unit"));
  g_assert_nonnull (strstr (all, "--dendrite-length-um 321"));
  g_assert_nonnull (strstr (all, "--no-normalize"));
  g_assert_nonnull (strstr (all, "--population"));

  /* The profile: a built-in one by its name, even with a grid loaded
   * before (kept for when "custom" is chosen again); "custom" as its grid. */
  g_free (s->current.custom_grid);
  s->current.custom_grid = g_strdup ("/data/grid.csv");
  g_free (s->current.profile);
  s->current.profile = g_strdup ("aussel18");
  g_autofree char *builtin = wslfp_session_command (s, NULL, "lfp.h5", "lfp.pdf");
  g_assert_nonnull (strstr (builtin, "--profile aussel18 "));
  g_assert_null (strstr (builtin, "grid.csv"));
  g_free (s->current.profile);
  s->current.profile = g_strdup ("custom");
  g_autofree char *custom = wslfp_session_command (s, NULL, "lfp.h5", "lfp.pdf");
  g_assert_nonnull (strstr (custom, "--profile /data/grid.csv "));

  /* The probe, as each kind is named: a file by its path, a preset by
   * its id, the dataset's own contacts, the parametric shanks. */
  static const char *const kinds[][2] = {
    { "file", "--electrodes /probes/own.json " },
    { "tetrode", "--electrodes preset:tetrode " },
    { "dataset", "--electrodes dataset " },
    { "shanks", "--electrodes shanks:2,150,8,40 " },
  };
  g_free (s->current.probe_file);
  s->current.probe_file = g_strdup ("/probes/own.json");
  s->current.n_shanks = 2, s->current.spacing_um = 150, s->current.n_contacts = 8, s->current.pitch_um = 40;
  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      g_free (s->current.probe_kind);
      s->current.probe_kind = g_strdup (kinds[k][0]);
      g_autofree char *command = wslfp_session_command (s, NULL, "lfp.h5", "lfp.pdf");
      if (strstr (command, kinds[k][1]) == NULL || strstr (command, "--electrodes") != strstr (command, kinds[k][1]))
        g_error ("a %s probe: the command %s does not name it as %s", kinds[k][0], command, kinds[k][1]);
      g_assert_null (strstr (strstr (command, "--electrodes") + 1, "--electrodes"));
    }
}

/* Sessions write numbers as people read them, and read them back equal
 * (issue 22, item 12: alpha=1.6499999999999999, pitch 111.11111111111109). */
static void
test_state_session_numbers (void)
{
  g_autoptr (WslfpSession) s = wslfp_session_new ();
  g_free (s->current.probe_kind);
  s->current.probe_kind = g_strdup ("shanks");
  s->current.pitch_um = 1000.0 / 9;
  s->current.placement_set = TRUE;
  s->current.placement.center_um[1] = 0.1 + 0.2;
  s->current.placement.center_um[2] = 200;
  s->current.placement.azimuth_deg = -35;
  s->t_start_ms = 100;
  s->t_end_ms = 250.5;
  g_autofree char *path = g_build_filename (tmp_dir, "numbers" WSLFP_SESSION_SUFFIX, NULL);
  g_autoptr (GError) error = NULL;
  g_assert_true (wslfp_session_save (s, path, &error));
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "\nalpha=1.65\n"));
  g_assert_nonnull (strstr (text, "\npitch-um=111.11111111111111\n"));
  g_assert_nonnull (strstr (text, "\nprobe-centre-um=0;0.30000000000000004;200\n"));
  g_assert_nonnull (strstr (text, "\nprobe-angles-deg=-35;0;0\n"));
  g_assert_nonnull (strstr (text, "\ntime-ms=100;250.5\n"));
  g_autoptr (WslfpSession) back = wslfp_session_load (path, &error);
  g_assert_no_error (error);
  g_assert_true (wslfp_session_result_equal (&back->current, &s->current));
  g_assert_cmpfloat (back->t_end_ms, ==, 250.5);
  g_autofree char *command = wslfp_session_command (s, NULL, "lfp.h5", "lfp.pdf");
  g_assert_nonnull (strstr (command, "shanks:3,250,10,111.11111111111111 "));
  g_assert_nonnull (strstr (command, "--probe-offset-um 0,0.30000000000000004,200 "));
  g_assert_nonnull (strstr (command, "--probe-rotate-deg -35,0,0 "));
  g_assert_nonnull (strstr (command, "--t-range 100:250.5"));
}

/* Probes the state makes from files: a probe file (refused naming it when
 * broken, nothing changed), chosen again after another kind; a dataset's
 * contacts; a network without any, a linear probe through its sources'
 * centroid along their axis. */
static void
test_state_probe_sources (void)
{
  g_autoptr (WslfpExplorerState) state = wslfp_explorer_state_new (NULL);
  WslfpProbe *probe = wslfp_explorer_state_get_probe (state);
  g_assert_false (wslfp_explorer_state_use_probe_file (state));
  g_autofree char *bad = g_build_filename (tmp_dir, "broken probe.json", NULL);
  g_assert_true (g_file_set_contents (bad, "{\"probes\": [", -1, NULL));
  g_autoptr (GError) error = NULL;
  g_assert_false (wslfp_explorer_state_load_probe_file (state, bad, &error));
  g_assert_nonnull (strstr (error->message, "broken probe.json"));
  g_clear_error (&error);
  g_assert_cmpstr (wslfp_probe_get_kind (probe), ==, "shanks");

  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "probes", "ASSY-37-E-1.json", NULL);
  g_assert_true (wslfp_explorer_state_load_probe_file (state, path, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (wslfp_probe_get_kind (probe), ==, "file");
  g_autofree char *probe_file = NULL;
  g_object_get (state, "probe-file", &probe_file, NULL);
  g_assert_cmpstr (probe_file, ==, path);
  g_assert_nonnull (wslfp_explorer_state_get_probe_file_name (state));
  g_autofree double *xyz = NULL;
  g_autofree int *shank = NULL;
  gsize n_file = wslfp_probe_get_contacts (probe, &xyz, &shank);
  wslfp_probe_set_preset (probe, "linear-32");
  g_assert_true (wslfp_explorer_state_use_probe_file (state));
  g_assert_cmpstr (wslfp_probe_get_kind (probe), ==, "file");
  g_autofree double *xyz2 = NULL;
  g_autofree int *shank2 = NULL;
  g_assert_cmpuint (wslfp_probe_get_contacts (probe, &xyz2, &shank2), ==, n_file);

  /* A network of 4 cells around (100, 200, 300), apical axis +y. */
  double sources[] = { 90, 200, 300, 110, 200, 300, 100, 190, 300, 100, 210, 300 };
  double up[] = { 0, 1, 0 };
  WslfpDataset net = { 0 };
  net.n_sources = 4;
  net.sources_um = sources;
  net.orientation = up;
  net.n_orientations = 1;
  wslfp_explorer_state_use_dataset_probe (state, &net);
  g_assert_cmpstr (wslfp_probe_get_kind (probe), ==, "linear-32");
  g_assert_cmpfloat_with_epsilon (wslfp_probe_get_x_um (probe), 100, 1e-9);
  g_assert_cmpfloat_with_epsilon (wslfp_probe_get_y_um (probe), 200, 1e-9);
  g_assert_cmpfloat_with_epsilon (wslfp_probe_get_z_um (probe), 300, 1e-9);
  g_autofree double *c = NULL;
  g_autofree int *cs = NULL;
  gsize n = wslfp_probe_get_contacts (probe, &c, &cs);
  g_assert_cmpuint (n, ==, 32);
  /* along +y: x and z stay, y spans the probe */
  g_assert_cmpfloat (fabs (c[0] - c[3 * (n - 1)]), <, 1e-6);
  g_assert_cmpfloat (fabs (c[2] - c[3 * (n - 1) + 2]), <, 1e-6);
  g_assert_cmpfloat (fabs (c[1] - c[3 * (n - 1) + 1]), >, 100);

  /* A dataset with contacts: those (an irregular set as it is). */
  double contacts[] = { 0, 0, 0, 13, 0, 50, -7, 5, 90 };
  int contact_shank[] = { 0, 0, 0 };
  net.n_electrodes = 3;
  net.electrodes_um = contacts;
  net.shank = contact_shank;
  wslfp_explorer_state_use_dataset_probe (state, &net);
  g_assert_cmpstr (wslfp_probe_get_kind (probe), ==, "dataset");
  g_autofree double *d = NULL;
  g_autofree int *ds = NULL;
  g_assert_cmpuint (wslfp_probe_get_contacts (probe, &d, &ds), ==, 3);
  for (int i = 0; i < 9; i++)
    g_assert_cmpfloat_with_epsilon (d[i], contacts[i], 1e-9);
}

/* ---- the compute controller ---- */

static void
loaded_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GError) error = NULL;
  *(WslfpDocument **) data = wslfp_document_load_finish (result, &error);
  g_assert_no_error (error);
}

static WslfpDocument *
load_document (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", name, NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  WslfpDocument *doc = NULL;
  wslfp_document_load_async (file, NULL, 1 << 30, NULL, loaded_cb, &doc);
  while (doc == NULL)
    g_main_context_iteration (NULL, TRUE);
  return doc;
}

/* Iterates until the controller rests (the idle, the worker, the mover). */
static void
wait_for (WslfpComputeController *ctl)
{
  gint64 end = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (wslfp_compute_controller_is_busy (ctl) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE), g_usleep (500);
  g_assert_false (wslfp_compute_controller_is_busy (ctl));
  iterate ();
}

/* The LFP of the state's settings, computed here (not by the controller). */
static WslfpLfp *
expected (WslfpDocument *doc, WslfpComputeController *ctl)
{
  WslfpJobSettings s;
  g_autofree double *xyz = NULL;
  g_autofree int *shank = NULL;
  wslfp_compute_controller_job_settings (ctl, &s, &xyz, &shank);
  g_autoptr (GError) error = NULL;
  WslfpLfp *lfp = wslfp_job_run ((WslfpDataset *) wslfp_document_get_dataset (doc), &s, NULL, NULL, &error);
  g_assert_no_error (error);
  return lfp;
}

static double
peak_error (const WslfpLfp *a, const WslfpLfp *b)
{
  g_assert_cmpuint (a->n_times, ==, b->n_times);
  g_assert_cmpuint (a->n_electrodes, ==, b->n_electrodes);
  double peak = 0, err = 0;
  for (gsize i = 0; i < a->n_times * a->n_electrodes; i++)
    {
      peak = MAX (peak, fabs (b->uv[i]));
      err = MAX (err, fabs (a->uv[i] - b->uv[i]));
    }
  g_assert_cmpfloat (peak, >, 0);
  return err / peak;
}

static void
count_results_cb (WslfpComputeController *ctl, const char *status, guint *n)
{
  (*n)++;
}

/* Results follow the state: one run for changes made together, the newest
 * run wins, a cancelled run shows nothing, nothing runs while held, a
 * probe move takes the live path, and a pinned result stays as it was. */
static void
keep_notice_cb (WslfpComputeController *ctl, const char *message, char **out)
{
  g_free (*out);
  *out = g_strdup (message);
}

static void
count_notes_cb (GObject *object, GParamSpec *pspec, guint *n)
{
  (*n)++;
}

static void
test_controller_results (void)
{
  g_autoptr (WslfpDocument) doc = load_document ("brian_small.h5");
  const WslfpDataset *ds = wslfp_document_get_dataset (doc);
  g_autoptr (WslfpExplorerState) state = wslfp_explorer_state_new (NULL);
  WslfpProbe *probe = wslfp_explorer_state_get_probe (state);
  wslfp_probe_set_layout (probe, "dataset", wslfp_probe_layout_new ("file", ds->electrodes_um, ds->shank, ds->n_electrodes),
                          TRUE);
  g_autoptr (WslfpComputeController) ctl = wslfp_compute_controller_new (state);
  guint shown = 0;
  g_signal_connect (ctl, "result", G_CALLBACK (count_results_cb), &shown);
  g_assert_false (wslfp_compute_controller_pin (ctl, TRUE)); /* nothing to pin yet */
  g_assert_null (wslfp_compute_controller_get_pinned_lfp (ctl));
  /* the Pin toggle says so, and goes back to unpinned */
  g_autofree char *notice = NULL;
  guint pinned_notes = 0;
  g_signal_connect (ctl, "notice", G_CALLBACK (keep_notice_cb), &notice);
  g_signal_connect (ctl, "notify::pinned", G_CALLBACK (count_notes_cb), &pinned_notes);
  g_object_set (ctl, "pinned", TRUE, NULL);
  g_assert_cmpstr (notice, ==, "There is no result to pin yet");
  g_assert_cmpuint (pinned_notes, ==, 1);
  gboolean is_pinned = TRUE;
  g_object_get (ctl, "pinned", &is_pinned, NULL);
  g_assert_false (is_pinned);
  g_signal_handlers_disconnect_by_data (ctl, &notice);
  g_signal_handlers_disconnect_by_data (ctl, &pinned_notes);

  /* (what a test that waits in vain says the controller is doing) */
  g_autofree char *idle = wslfp_compute_controller_describe_busy (ctl);
  g_assert_cmpstr (idle, ==, "opening no, running no, a run scheduled no, moving no, 0 results, 0 moves");
  wslfp_compute_controller_set_document (ctl, doc);
  wslfp_compute_controller_schedule (ctl);
  g_autofree char *scheduled = wslfp_compute_controller_describe_busy (ctl);
  g_assert_cmpstr (scheduled, ==, "opening no, running no, a run scheduled yes, moving no, 0 results, 0 moves");
  wait_for (ctl);
  g_autofree char *done = wslfp_compute_controller_describe_busy (ctl);
  g_assert_cmpstr (done, ==, "opening no, running no, a run scheduled no, moving no, 1 results, 0 moves");
  {
    /* a document put away while its run goes: nothing left running */
    g_autoptr (WslfpComputeController) other = wslfp_compute_controller_new (state);
    wslfp_compute_controller_set_document (other, doc);
    wslfp_compute_controller_schedule (other);
    for (int i = 0; i < 1000; i++)
      {
        g_autofree char *now = wslfp_compute_controller_describe_busy (other);
        if (strstr (now, "running yes") != NULL)
          break;
        g_main_context_iteration (NULL, FALSE);
      }
    g_autofree char *running = wslfp_compute_controller_describe_busy (other);
    g_assert_nonnull (strstr (running, "running yes"));
    wslfp_compute_controller_set_document (other, NULL);
    g_assert_false (wslfp_compute_controller_is_busy (other));
    wait_for (other);
    g_assert_null (wslfp_compute_controller_get_document (other));
  }
  g_assert_cmpuint (shown, ==, 1);
  g_autoptr (WslfpLfp) first = expected (doc, ctl);
  g_assert_cmpfloat (peak_error (wslfp_compute_controller_get_lfp (ctl), first), <=, 1e-12);

  /* The hovered contact's weights: its row of the amplitude matrix. */
  gsize n_cells;
  g_assert_null (wslfp_compute_controller_contact_weights (ctl, ds->n_electrodes, &n_cells));
  g_autofree double *row = wslfp_compute_controller_contact_weights (ctl, 2, &n_cells);
  g_assert_cmpuint (n_cells, ==, ds->n_sources);
  WslfpGeometry g;
  wslfp_dataset_get_geometry (ds, &g);
  g_autoptr (WslfpProfile) profile = NULL;
  wslfp_profile_new (WSLFP_PROFILE_MAZZONI15_SINGLE, &profile, NULL);
  WslfpModel *model;
  g_assert_cmpint (wslfp_model_new (&g, profile, FALSE, &model, NULL), ==, WSLFP_OK);
  const double *a = wslfp_model_get_amplitude (model);
  gboolean any = FALSE;
  for (gsize c = 0; c < n_cells; c++)
    {
      g_assert_cmpfloat (row[c], ==, a[2 * ds->n_sources + c]);
      any = any || a[2 * ds->n_sources + c] != a[c];
    }
  g_assert_true (any); /* (another contact's row differs) */
  wslfp_model_free (model);
  /* with one's own dendrite length, the weights are that length's (the
   * runs this takes are not counted below) */
  guint shown_before = shown;
  g_object_set (state, "length-from-dataset", FALSE, "dendrite-length-um", 420.0, NULL);
  wait_for (ctl);
  g_autofree double *own = wslfp_compute_controller_contact_weights (ctl, 2, &n_cells);
  double length = 420;
  g.dendrite_length_um = &length;
  g.n_lengths = 1;
  g_assert_cmpint (wslfp_model_new (&g, profile, FALSE, &model, NULL), ==, WSLFP_OK);
  a = wslfp_model_get_amplitude (model);
  gboolean changed = FALSE;
  for (gsize c = 0; c < n_cells; c++)
    {
      g_assert_cmpfloat (own[c], ==, a[2 * ds->n_sources + c]);
      changed = changed || own[c] != row[c];
    }
  g_assert_true (changed);
  wslfp_model_free (model);
  g_object_set (state, "length-from-dataset", TRUE, NULL);
  wait_for (ctl);
  wslfp_dataset_get_geometry (ds, &g);
  shown = shown_before;

  /* Two settings changed in one go: one run, of both. */
  g_object_set (state, "alpha", 2.0, NULL);
  g_object_set (state, "tau-gaba-ms", 2.0, NULL);
  wait_for (ctl);
  g_assert_cmpuint (shown, ==, 2);
  g_autoptr (WslfpLfp) second = expected (doc, ctl);
  g_assert_cmpfloat (peak_error (wslfp_compute_controller_get_lfp (ctl), second), <=, 1e-12);
  g_assert_cmpfloat (peak_error (first, second), >, 1e-3);

  /* A run superseded before it ends shows nothing; the newest shows. */
  wslfp_compute_controller_recompute (ctl);
  g_object_set (state, "alpha", 1.0, NULL);
  wslfp_compute_controller_recompute (ctl);
  wait_for (ctl);
  g_assert_cmpuint (shown, ==, 3);
  g_autoptr (WslfpLfp) third = expected (doc, ctl);
  g_assert_cmpfloat (peak_error (wslfp_compute_controller_get_lfp (ctl), third), <=, 1e-12);

  /* Cancelled: the previous result stays. */
  wslfp_compute_controller_recompute (ctl);
  g_assert_true (wslfp_compute_controller_cancel (ctl));
  g_assert_false (wslfp_compute_controller_cancel (ctl));
  for (int i = 0; i < 200; i++)
    g_main_context_iteration (NULL, FALSE), g_usleep (1000);
  g_assert_cmpuint (shown, ==, 3);

  /* Held: nothing runs until asked. */
  wslfp_compute_controller_hold (ctl);
  g_object_set (state, "tau-ampa-ms", 3.0, NULL);
  iterate ();
  g_assert_false (wslfp_compute_controller_is_busy (ctl));
  wslfp_compute_controller_release (ctl);
  g_assert_cmpuint (shown, ==, 3);
  wslfp_compute_controller_schedule (ctl);
  wait_for (ctl);
  g_assert_cmpuint (shown, ==, 4);
  g_autoptr (WslfpLfp) fourth = expected (doc, ctl);
  g_assert_cmpfloat (peak_error (wslfp_compute_controller_get_lfp (ctl), fourth), <=, 1e-12);

  /* Pinned: a copy with the settings of then. */
  g_assert_true (wslfp_compute_controller_pin (ctl, TRUE));
  const WslfpLfp *pinned = wslfp_compute_controller_get_pinned_lfp (ctl);
  g_assert_true (pinned != wslfp_compute_controller_get_lfp (ctl));
  g_assert_cmpint (memcmp (pinned->uv, wslfp_compute_controller_get_lfp (ctl)->uv,
                           pinned->n_times * pinned->n_electrodes * sizeof (double)), ==, 0);
  g_autofree double *pinned_uv = g_memdup2 (pinned->uv, pinned->n_times * pinned->n_electrodes * sizeof (double));
  g_assert_cmpfloat (wslfp_compute_controller_get_pinned_settings (ctl)->tau_ampa_ms, ==, 3.0);

  /* The kept currents move the probe (exactly, once it rests). */
  g_assert_nonnull (wslfp_compute_controller_get_combined (ctl));
  guint moves = wslfp_compute_controller_get_n_moves (ctl);
  wslfp_probe_translate (probe, 20, 0, -30);
  wait_for (ctl);
  g_assert_cmpuint (wslfp_compute_controller_get_n_moves (ctl), >, moves);
  g_assert_cmpuint (wslfp_compute_controller_get_shown_stride (ctl), ==, 1);
  g_autoptr (WslfpLfp) moved = expected (doc, ctl);
  g_assert_cmpfloat (peak_error (wslfp_compute_controller_get_lfp (ctl), moved), <=, 1e-9);
  g_assert_cmpfloat (peak_error (moved, fourth), >, 1e-3);
  /* ...and the pinned result stays as it was. */
  g_assert_true (wslfp_compute_controller_get_pinned_lfp (ctl) == pinned);
  g_assert_cmpint (memcmp (pinned->uv, pinned_uv, pinned->n_times * pinned->n_electrodes * sizeof (double)), ==, 0);
  g_assert_cmpfloat (wslfp_compute_controller_get_pinned_settings (ctl)->tau_ampa_ms, ==, 3.0);
  wslfp_compute_controller_pin (ctl, FALSE);
  g_assert_null (wslfp_compute_controller_get_pinned_lfp (ctl));
  g_assert_null (wslfp_compute_controller_get_pinned_settings (ctl));

  /* A new document: no kept currents, nothing computed until asked. */
  wslfp_compute_controller_set_document (ctl, doc);
  g_assert_null (wslfp_compute_controller_get_combined (ctl));
  g_assert_false (wslfp_compute_controller_is_busy (ctl));
}

static void
failed_cb (WslfpComputeController *ctl, const char *message, gboolean live, char **out)
{
  g_assert_true (live);
  g_free (*out);
  *out = g_strdup (message);
}

static void
opened_cb (WslfpComputeController *ctl, WslfpDocument *doc, WslfpDocument **out)
{
  g_set_object (out, doc);
}

static void
open_failed_cb (WslfpComputeController *ctl, const char *message, gboolean live, char **out)
{
  g_assert_false (live);
  g_free (*out);
  *out = g_strdup (message);
}

/* Opening: a file that is not a dataset fails naming it (the document open
 * stays); a dataset opens; an open superseded by another shows nothing.
 * Writing: onto the dataset is refused naming it; the LFP is written with
 * the probe it was computed for. */
static void
test_controller_files (void)
{
  g_autoptr (WslfpExplorerState) state = wslfp_explorer_state_new (NULL);
  g_autoptr (WslfpComputeController) ctl = wslfp_compute_controller_new (state);
  g_autoptr (WslfpDocument) doc = NULL;
  g_autofree char *message = NULL;
  g_signal_connect (ctl, "opened", G_CALLBACK (opened_cb), &doc);
  g_signal_connect (ctl, "failed", G_CALLBACK (open_failed_cb), &message);
  g_autofree char *junk_path = g_build_filename (tmp_dir, "junk.h5", NULL);
  g_assert_true (g_file_set_contents (junk_path, "not HDF5", -1, NULL));
  g_autoptr (GFile) junk = g_file_new_for_path (junk_path);
  wslfp_compute_controller_open (ctl, junk, NULL);
  wait_for (ctl);
  g_assert_null (doc);
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, "junk.h5"));

  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "brian_small.h5", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_clear_pointer (&message, g_free);
  wslfp_compute_controller_open (ctl, junk, NULL); /* superseded: */
  wslfp_compute_controller_open (ctl, file, NULL);
  wait_for (ctl);
  g_assert_null (message);
  g_assert_nonnull (doc);
  g_assert_true (g_file_equal (wslfp_document_get_file (doc), file));

  /* The controller adopted it: the document, its file and its own probe
   * in the state, and its first result. */
  const WslfpDataset *ds = wslfp_document_get_dataset (doc);
  WslfpProbe *probe = wslfp_explorer_state_get_probe (state);
  g_assert_true (wslfp_compute_controller_get_document (ctl) == doc);
  g_autofree char *dataset = NULL;
  g_object_get (state, "dataset", &dataset, NULL);
  g_assert_cmpstr (dataset, ==, path);
  g_autofree double *contacts = NULL;
  g_autofree int *shanks = NULL;
  g_assert_cmpuint (wslfp_probe_get_contacts (probe, &contacts, &shanks), ==, ds->n_electrodes);
  for (gsize i = 0; i < 3 * ds->n_electrodes; i++)
    g_assert_cmpfloat (fabs (contacts[i] - ds->electrodes_um[i]), <=, 1e-9);
  g_assert_cmpuint (wslfp_compute_controller_get_lfp (ctl)->n_electrodes, ==, ds->n_electrodes);
  g_autoptr (GError) error = NULL;
  g_autofree char *out = g_build_filename (tmp_dir, "lfp.h5", NULL);
  {
    /* (with nothing computed, nothing to write) */
    g_autoptr (WslfpExplorerState) bare_state = wslfp_explorer_state_new (NULL);
    g_autoptr (WslfpComputeController) bare = wslfp_compute_controller_new (bare_state);
    g_assert_false (wslfp_compute_controller_export_lfp (bare, out, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
    g_assert_cmpstr (error->message, ==, "There is no LFP to export yet");
    g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
    g_clear_error (&error);
  }
  g_assert_false (wslfp_compute_controller_check_output (ctl, path, &error));
  g_assert_nonnull (strstr (error->message, "brian_small.h5"));
  g_clear_error (&error);
  g_assert_false (wslfp_compute_controller_export_lfp (ctl, path, &error));
  g_clear_error (&error);
  g_assert_true (wslfp_compute_controller_export_lfp (ctl, out, &error));
  g_assert_no_error (error);
  g_autoptr (WslfpLfp) back = wslfp_lfp_read (out, &error);
  g_assert_no_error (error);
  g_autofree char *described = wslfp_probe_describe (probe);
  g_assert_cmpstr (back->probe, ==, described);
  const WslfpLfp *shown = wslfp_compute_controller_get_lfp (ctl);
  g_assert_cmpint (memcmp (back->uv, shown->uv, shown->n_times * shown->n_electrodes * sizeof (double)), ==, 0);
}

static void
restored_cb (WslfpSessionKeeper *keeper, double t0, double t1, double *range)
{
  range[0] = t0;
  range[1] = t1;
}

/* Keeps a signal's message (a keeper's failure, a controller's notice). */
static void
message_cb (gpointer instance, const char *message, char **out)
{
  g_free (*out);
  *out = g_strdup (message);
}

/* A session restores without a window: its dataset adopted, its pinned
 * result computed with the pinned settings and pinned, then its own
 * settings computed, and its zoom handed on.  A session naming a probe
 * file that is gone stops, naming the file. */
/* Restores the session at @path with @keeper and waits (up to a minute)
 * until it is done, one way or the other. */
static void
restore_and_wait (WslfpSessionKeeper *keeper, WslfpComputeController *ctl, const char *path)
{
  g_autoptr (GError) error = NULL;
  g_assert_true (wslfp_session_keeper_restore (keeper, path, &error));
  gint64 end = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while ((wslfp_session_keeper_is_restoring (keeper) || wslfp_compute_controller_is_busy (ctl))
         && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE), g_usleep (500);
  g_assert_false (wslfp_session_keeper_is_restoring (keeper));
}

/* A keeper that goes before its controller hears nothing more from it: a
 * dataset opened and computed after it went reaches no freed keeper. */
static void
test_session_keeper_goes_first (void)
{
  g_autoptr (WslfpExplorerState) state = wslfp_explorer_state_new (NULL);
  g_autoptr (WslfpComputeController) ctl = wslfp_compute_controller_new (state);
  WslfpSessionKeeper *keeper = wslfp_session_keeper_new (ctl);
  GWeakRef gone;
  g_weak_ref_init (&gone, keeper);
  g_object_unref (keeper);
  g_assert_null (g_weak_ref_get (&gone));
  g_weak_ref_clear (&gone);
  g_autofree char *data = g_test_build_filename (G_TEST_DIST, "data", "brian_small.h5", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (data);
  wslfp_compute_controller_open (ctl, file, NULL); /* (adopting, opened, result) */
  wait_for (ctl);
  g_assert_nonnull (wslfp_compute_controller_get_lfp (ctl));
  g_assert_cmpuint (g_signal_handlers_disconnect_matched (ctl, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, keeper), ==, 0);
}

static void
test_session_keeper (void)
{
  g_autoptr (WslfpExplorerState) state = wslfp_explorer_state_new (NULL);
  g_autoptr (WslfpComputeController) ctl = wslfp_compute_controller_new (state);
  g_autoptr (WslfpSessionKeeper) keeper = wslfp_session_keeper_new (ctl);
  g_autofree char *data = g_test_build_filename (G_TEST_DIST, "data", "brian_small.h5", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (data);
  wslfp_compute_controller_open (ctl, file, NULL);
  wait_for (ctl);
  g_object_set (state, "alpha", 1.2, NULL);
  wait_for (ctl);
  g_object_set (ctl, "pinned", TRUE, NULL);
  g_object_set (state, "alpha", 1.9, NULL);
  wait_for (ctl);
  const WslfpLfp *lfp = wslfp_compute_controller_get_lfp (ctl);
  double t0 = lfp->t_ms[1], t1 = lfp->t_ms[lfp->n_times / 2];
  g_object_set (state, "t-start-ms", t0, "t-end-ms", t1, NULL);
  g_autofree char *path = g_build_filename (tmp_dir, "keeper" WSLFP_SESSION_SUFFIX, NULL);
  g_autoptr (GError) error = NULL;
  g_assert_true (wslfp_session_keeper_save (keeper, path, &error));
  g_assert_no_error (error);

  g_autoptr (WslfpExplorerState) state2 = wslfp_explorer_state_new (NULL);
  g_autoptr (WslfpComputeController) ctl2 = wslfp_compute_controller_new (state2);
  g_autoptr (WslfpSessionKeeper) keeper2 = wslfp_session_keeper_new (ctl2);
  double range[2] = { -1, -1 };
  g_autofree char *message = NULL;
  g_signal_connect (keeper2, "restored", G_CALLBACK (restored_cb), range);
  g_signal_connect (keeper2, "failed", G_CALLBACK (message_cb), &message);
  restore_and_wait (keeper2, ctl2, path);
  g_assert_null (message);
  g_assert_cmpfloat (range[0], ==, t0);
  g_assert_cmpfloat (range[1], ==, t1);
  double alpha;
  g_object_get (state2, "alpha", &alpha, NULL);
  g_assert_cmpfloat (alpha, ==, 1.9);
  g_assert_cmpfloat (wslfp_compute_controller_get_pinned_settings (ctl2)->alpha, ==, 1.2);
  const WslfpLfp *pinned = wslfp_compute_controller_get_pinned_lfp (ctl), *pinned2 = wslfp_compute_controller_get_pinned_lfp (ctl2);
  const WslfpLfp *shown2 = wslfp_compute_controller_get_lfp (ctl2);
  gsize count = lfp->n_times * lfp->n_electrodes;
  g_assert_cmpuint (pinned2->n_times * pinned2->n_electrodes, ==, count);
  g_assert_cmpuint (shown2->n_times * shown2->n_electrodes, ==, count);
  g_assert_cmpint (memcmp (pinned2->uv, pinned->uv, count * sizeof (double)), ==, 0);
  g_assert_cmpint (memcmp (shown2->uv, lfp->uv, count * sizeof (double)), ==, 0);
  g_autofree char *command = wslfp_session_keeper_command (keeper2);
  g_assert_nonnull (strstr (command, "--alpha 1.9"));

  /* Each preset probe comes back as itself. */
  for (const char *const *id = wslfp_probe_layout_preset_ids (); *id != NULL; id++)
    {
      g_assert_true (wslfp_probe_set_preset (wslfp_explorer_state_get_probe (state), *id));
      wait_for (ctl);
      gsize n_contacts = wslfp_probe_get_layout (wslfp_explorer_state_get_probe (state))->n_contacts;
      g_autofree char *preset_path = g_build_filename (tmp_dir, "preset" WSLFP_SESSION_SUFFIX, NULL);
      g_assert_true (wslfp_session_keeper_save (keeper, preset_path, &error));
      g_autoptr (WslfpExplorerState) state3 = wslfp_explorer_state_new (NULL);
      g_autoptr (WslfpComputeController) ctl3 = wslfp_compute_controller_new (state3);
      g_autoptr (WslfpSessionKeeper) keeper3 = wslfp_session_keeper_new (ctl3);
      restore_and_wait (keeper3, ctl3, preset_path);
      WslfpProbe *back = wslfp_explorer_state_get_probe (state3);
      if (g_strcmp0 (wslfp_probe_get_kind (back), *id) != 0)
        g_error ("a session of the preset %s restores a probe of kind %s", *id, wslfp_probe_get_kind (back));
      g_assert_cmpuint (wslfp_probe_get_layout (back)->n_contacts, ==, n_contacts);
    }

  /* A probe file that is gone. */
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  g_assert_true (g_key_file_load_from_data (kf, text, -1, G_KEY_FILE_NONE, NULL));
  g_key_file_remove_group (kf, "pinned", NULL);
  g_key_file_set_string (kf, "proxy", "probe", "file");
  g_key_file_set_string (kf, "proxy", "probe-file", "/nonexistent/gone-probe.json");
  g_assert_true (g_key_file_save_to_file (kf, path, NULL));
  restore_and_wait (keeper2, ctl2, path);
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, "gone-probe.json"));
  g_assert_true (g_str_has_prefix (message, "The session could not be restored: "));

  /* A custom grid that is gone, for the current result after a pinned
   * one: the pinned result is shown, then the restore stops naming the
   * grid (the last step's failure, without the prefix of the first). */
  g_clear_pointer (&text, g_free);
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_autoptr (GKeyFile) pinned_kf = g_key_file_new ();
  g_assert_true (g_key_file_load_from_data (pinned_kf, text, -1, G_KEY_FILE_NONE, NULL));
  g_key_file_set_string (pinned_kf, "proxy", "probe", "dataset");
  g_key_file_remove_key (pinned_kf, "proxy", "probe-file", NULL);
  g_key_file_set_string (pinned_kf, "proxy", "profile", "custom");
  g_key_file_set_string (pinned_kf, "proxy", "custom-grid", "/nonexistent/gone-grid.csv");
  g_key_file_set_string (pinned_kf, "pinned", "alpha", "1.2"); /* (a pinned result of the defaults but α) */
  g_assert_true (g_key_file_save_to_file (pinned_kf, path, NULL));
  g_clear_pointer (&message, g_free);
  restore_and_wait (keeper2, ctl2, path);
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, "gone-grid.csv"));
  g_assert_false (g_str_has_prefix (message, "The session could not be restored: "));
  g_assert_cmpfloat (wslfp_compute_controller_get_pinned_settings (ctl2)->alpha, ==, 1.2);

  /* A session of the dataset's own probe restores it over the probe file
   * a window had (brian_small's contacts: a grid, so its shanks). */
  g_autofree char *own_path = g_build_filename (tmp_dir, "own-probe" WSLFP_SESSION_SUFFIX, NULL);
  g_assert_true (wslfp_session_keeper_save (keeper, own_path, &error));
  g_autoptr (GKeyFile) own_kf = g_key_file_new ();
  g_assert_true (g_key_file_load_from_file (own_kf, own_path, G_KEY_FILE_NONE, NULL));
  g_key_file_remove_group (own_kf, "pinned", NULL);
  g_key_file_set_string (own_kf, "proxy", "probe", "dataset");
  g_key_file_remove_key (own_kf, "proxy", "probe-file", NULL);
  g_assert_true (g_key_file_save_to_file (own_kf, own_path, NULL));
  g_autoptr (WslfpExplorerState) state4 = wslfp_explorer_state_new (NULL);
  g_autoptr (WslfpComputeController) ctl4 = wslfp_compute_controller_new (state4);
  g_autoptr (WslfpSessionKeeper) keeper4 = wslfp_session_keeper_new (ctl4);
  g_autofree char *a4x8 = g_test_build_filename (G_TEST_DIST, "data", "probes", "A4x8-5mm-100-200-177.json", NULL);
  g_assert_true (wslfp_explorer_state_load_probe_file (state4, a4x8, &error));
  g_assert_cmpstr (wslfp_probe_get_kind (wslfp_explorer_state_get_probe (state4)), ==, "file");
  restore_and_wait (keeper4, ctl4, own_path);
  WslfpProbe *own = wslfp_explorer_state_get_probe (state4);
  const WslfpDataset *small = wslfp_document_get_dataset (wslfp_compute_controller_get_document (ctl4));
  g_assert_cmpstr (wslfp_probe_get_kind (own), ==, "shanks");
  g_assert_cmpuint (wslfp_probe_get_layout (own)->n_contacts, ==, small->n_electrodes);
}

static void
count_property_notes_cb (GObject *object, GParamSpec *pspec, guint *n)
{
  (*n)++;
}

/* Every writable number, flag or choice of @object (but those in @skip),
 * and each string of @free_strings: set to another value it allows, it
 * reads back that value and is notified once; set to it again, it is not
 * notified (the history and the bindings see real changes only). */
static void
assert_properties_round_trip (GObject *object, const char *const *free_strings, const char *const *skip)
{
  guint n_specs;
  g_autofree GParamSpec **specs = g_object_class_list_properties (G_OBJECT_GET_CLASS (object), &n_specs);
  guint checked = 0;
  for (guint i = 0; i < n_specs; i++)
    {
      GParamSpec *p = specs[i];
      if (!(p->flags & G_PARAM_WRITABLE) || !(p->flags & G_PARAM_READABLE) || (p->flags & G_PARAM_CONSTRUCT_ONLY)
          || (skip != NULL && g_strv_contains (skip, p->name)))
        continue;
      GType type = G_PARAM_SPEC_VALUE_TYPE (p);
      g_auto (GValue) now = G_VALUE_INIT, other = G_VALUE_INIT, back = G_VALUE_INIT;
      g_value_init (&now, type);
      g_value_init (&back, type);
      g_object_get_property (object, p->name, &now);
      g_value_init (&other, type);
      if (type == G_TYPE_BOOLEAN)
        g_value_set_boolean (&other, !g_value_get_boolean (&now));
      else if (type == G_TYPE_DOUBLE)
        {
          GParamSpecDouble *d = G_PARAM_SPEC_DOUBLE (p);
          double v = g_value_get_double (&now), step = MIN (1.0, (d->maximum - d->minimum) / 4);
          g_value_set_double (&other, v + step <= d->maximum ? v + step : v - step);
        }
      else if (type == G_TYPE_INT)
        {
          GParamSpecInt *d = G_PARAM_SPEC_INT (p);
          int v = g_value_get_int (&now);
          g_value_set_int (&other, v < d->maximum ? v + 1 : v - 1);
        }
      else if (type == G_TYPE_UINT)
        {
          GParamSpecUInt *d = G_PARAM_SPEC_UINT (p);
          guint v = g_value_get_uint (&now);
          g_value_set_uint (&other, v < d->maximum ? v + 1 : v - 1);
        }
      else if (type == G_TYPE_STRING && free_strings != NULL && g_strv_contains (free_strings, p->name))
        {
          g_autofree char *v = g_strconcat (g_value_get_string (&now) ? g_value_get_string (&now) : "", "/other", NULL);
          g_value_set_string (&other, v);
        }
      else
        continue;
      guint notes = 0;
      g_autofree char *signal = g_strconcat ("notify::", p->name, NULL);
      gulong id = g_signal_connect (object, signal, G_CALLBACK (count_property_notes_cb), &notes);
      g_object_set_property (object, p->name, &other);
      g_object_get_property (object, p->name, &back);
      if (g_param_values_cmp (p, &back, &other) != 0)
        g_error ("%s.%s: set to %s, reads %s", G_OBJECT_TYPE_NAME (object), p->name, g_strdup_value_contents (&other),
                 g_strdup_value_contents (&back));
      if (notes != 1)
        g_error ("%s.%s: changed, notified %u times", G_OBJECT_TYPE_NAME (object), p->name, notes);
      g_object_set_property (object, p->name, &other);
      if (notes != 1)
        g_error ("%s.%s: set to the value it has, notified", G_OBJECT_TYPE_NAME (object), p->name);
      g_signal_handler_disconnect (object, id);
      g_object_set_property (object, p->name, &now);
      checked++;
    }
  g_test_message ("%s: %u properties round trip", G_OBJECT_TYPE_NAME (object), checked);
  g_assert_cmpuint (checked, >, 0);
}

/* A new @object's readable, writable properties read their declared
 * defaults (what an inspector or a binding shows as the default is what a
 * new object has), but for those named in @not_declared. */
static void
assert_properties_at_defaults (GObject *object, const char *const *not_declared)
{
  guint n;
  g_autofree GParamSpec **specs = g_object_class_list_properties (G_OBJECT_GET_CLASS (object), &n);
  guint checked = 0;
  for (guint i = 0; i < n; i++)
    {
      GParamSpec *p = specs[i];
      if ((p->flags & (G_PARAM_READABLE | G_PARAM_WRITABLE)) != (G_PARAM_READABLE | G_PARAM_WRITABLE)
          || !G_TYPE_IS_VALUE_TYPE (p->value_type) || G_TYPE_IS_OBJECT (p->value_type) || G_TYPE_IS_BOXED (p->value_type)
          || (not_declared != NULL && g_strv_contains (not_declared, p->name)))
        continue;
      g_auto (GValue) now = G_VALUE_INIT;
      g_value_init (&now, p->value_type);
      g_object_get_property (object, p->name, &now);
      const GValue *declared = g_param_spec_get_default_value (p);
      if (g_param_values_cmp (p, &now, declared) != 0)
        g_error ("%s.%s: a new one has %s, its default is declared %s", G_OBJECT_TYPE_NAME (object), p->name,
                 g_strdup_value_contents (&now), g_strdup_value_contents (declared));
      checked++;
    }
  g_test_message ("%s: %u properties at their defaults", G_OBJECT_TYPE_NAME (object), checked);
  g_assert_cmpuint (checked, >, 0);
}

/* The state's, the probe's and the controller's properties round trip. */
static void
test_state_properties (void)
{
  g_autoptr (WslfpExplorerState) state = wslfp_explorer_state_new (NULL);
  assert_properties_at_defaults (G_OBJECT (state), NULL);
  assert_properties_at_defaults (G_OBJECT (wslfp_explorer_state_get_probe (state)), NULL);
  const char *const state_strings[] = { "custom-grid", "probe-file", "dataset", "sources", NULL };
  assert_properties_round_trip (G_OBJECT (state), state_strings, NULL);
  assert_properties_round_trip (G_OBJECT (wslfp_explorer_state_get_probe (state)), NULL, NULL);
  g_autoptr (WslfpComputeController) ctl = wslfp_compute_controller_new (state);
  assert_properties_at_defaults (G_OBJECT (ctl), NULL);
  /* (pinning without a result is refused: /compute-controller/results) */
  const char *const not_alone[] = { "pinned", NULL };
  assert_properties_round_trip (G_OBJECT (ctl), NULL, not_alone);
}

/* While held (a change in several steps), the controller says so through
 * its "held" property: notified when the first hold begins and when the
 * last one ends, not for holds within holds. */
static void
test_controller_held (void)
{
  g_autoptr (WslfpExplorerState) state = wslfp_explorer_state_new (NULL);
  g_autoptr (WslfpComputeController) ctl = wslfp_compute_controller_new (state);
  guint notes = 0;
  g_signal_connect (ctl, "notify::held", G_CALLBACK (count_notes_cb), &notes);
  gboolean held = TRUE;
  g_object_get (ctl, "held", &held, NULL);
  g_assert_false (held);
  wslfp_compute_controller_hold (ctl);
  wslfp_compute_controller_hold (ctl);
  g_object_get (ctl, "held", &held, NULL);
  g_assert_true (held);
  g_assert_true (wslfp_compute_controller_is_held (ctl));
  g_assert_cmpuint (notes, ==, 1);
  wslfp_compute_controller_release (ctl);
  g_object_get (ctl, "held", &held, NULL);
  g_assert_true (held);
  g_assert_cmpuint (notes, ==, 1);
  wslfp_compute_controller_release (ctl);
  g_object_get (ctl, "held", &held, NULL);
  g_assert_false (held);
  g_assert_false (wslfp_compute_controller_is_held (ctl));
  g_assert_cmpuint (notes, ==, 2);
}

/* Opening a dataset keeps a probe file the user placed, where they put
 * it; one outside the new cells moves to their centroid, with a notice
 * (issue 22, item 8: it was replaced by the default probe). */
static void
test_controller_keeps_probe_file (void)
{
  g_autoptr (WslfpExplorerState) state = wslfp_explorer_state_new (NULL);
  g_autoptr (WslfpComputeController) ctl = wslfp_compute_controller_new (state);
  g_autofree char *notice = NULL;
  g_signal_connect (ctl, "notice", G_CALLBACK (message_cb), &notice);
  g_autofree char *data = g_test_build_filename (G_TEST_DIST, "data", "brian_small.h5", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (data);
  wslfp_compute_controller_open (ctl, file, NULL);
  wait_for (ctl);
  WslfpProbe *probe = wslfp_explorer_state_get_probe (state);
  g_assert_cmpstr (wslfp_probe_get_kind (probe), !=, "file");
  g_autofree char *np = g_test_build_filename (G_TEST_DIST, "data", "probes", "NP1000.json", NULL);
  g_autoptr (GError) error = NULL;
  g_assert_true (wslfp_explorer_state_load_probe_file (state, np, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (wslfp_probe_get_kind (probe), ==, "file");
  /* placed by hand inside the cells */
  const WslfpDataset *ds = wslfp_document_get_dataset (wslfp_compute_controller_get_document (ctl));
  double at[3];
  for (int k = 0; k < 3; k++)
    at[k] = ds->sources_um[k] + 5.0 * (k + 1);
  g_object_set (probe, "x-um", at[0], "y-um", at[1], "z-um", at[2], "rotation-deg", 30.0, NULL);
  wait_for (ctl);
  wslfp_compute_controller_open (ctl, file, NULL);
  wait_for (ctl);
  ds = wslfp_document_get_dataset (wslfp_compute_controller_get_document (ctl)); /* (another document) */
  g_assert_cmpstr (wslfp_probe_get_kind (probe), ==, "file");
  g_assert_cmpfloat (wslfp_probe_get_x_um (probe), ==, at[0]);
  g_assert_cmpfloat (wslfp_probe_get_y_um (probe), ==, at[1]);
  g_assert_cmpfloat (wslfp_probe_get_z_um (probe), ==, at[2]);
  double rotation;
  g_object_get (probe, "rotation-deg", &rotation, NULL);
  g_assert_cmpfloat (rotation, ==, 30.0);
  g_assert_null (notice);
  g_autofree double *xyz = NULL;
  g_autofree int *shank = NULL;
  gsize n_contacts = wslfp_probe_get_contacts (probe, &xyz, &shank);
  g_assert_cmpuint (wslfp_compute_controller_get_lfp (ctl)->n_electrodes, ==, n_contacts);
  g_assert_cmpuint (ds->n_electrodes, !=, n_contacts);

  /* far outside the cells: moved to their centroid, and said */
  g_object_set (probe, "x-um", WSLFP_PROBE_LIMIT_UM, NULL);
  wait_for (ctl);
  wslfp_compute_controller_open (ctl, file, NULL);
  wait_for (ctl);
  g_assert_cmpstr (wslfp_probe_get_kind (probe), ==, "file");
  g_assert_cmpstr (notice, ==, "Your probe was outside the new cells: it moved to their centre");
  ds = wslfp_document_get_dataset (wslfp_compute_controller_get_document (ctl));
  double c[3] = { 0, 0, 0 };
  for (gsize s = 0; s < ds->n_sources; s++)
    for (int k = 0; k < 3; k++)
      c[k] += ds->sources_um[3 * s + k] / (double) ds->n_sources;
  g_assert_cmpfloat (fabs (wslfp_probe_get_x_um (probe) - c[0]), <=, 1e-9);
  g_assert_cmpfloat (fabs (wslfp_probe_get_y_um (probe) - c[1]), <=, 1e-9);
  g_assert_cmpfloat (fabs (wslfp_probe_get_z_um (probe) - c[2]), <=, 1e-9);
}

/* The samples of @lfp (all peak_error reads). */
static WslfpLfp *
samples_of (const WslfpLfp *lfp)
{
  WslfpLfp *copy = g_new0 (WslfpLfp, 1);
  copy->n_times = lfp->n_times;
  copy->n_electrodes = lfp->n_electrodes;
  copy->uv = g_memdup2 (lfp->uv, lfp->n_times * lfp->n_electrodes * sizeof (double));
  return copy;
}

static void
first_result_cb (WslfpComputeController *ctl, const char *status, WslfpLfp **first)
{
  if (*first == NULL)
    *first = samples_of (wslfp_compute_controller_get_lfp (ctl));
}

/* A probe move while a settings change waits does not take the live path
 * (the kept currents are the old settings'): the first result after them
 * is the new settings' at the new place, even though a mover's answer
 * would be dispatched before the waiting run starts. */
static void
test_controller_no_stale_move (void)
{
  g_autoptr (WslfpDocument) doc = load_document ("brian_small.h5");
  g_autoptr (WslfpExplorerState) state = wslfp_explorer_state_new (NULL);
  WslfpProbe *probe = wslfp_explorer_state_get_probe (state);
  g_autoptr (WslfpComputeController) ctl = wslfp_compute_controller_new (state);
  wslfp_compute_controller_set_document (ctl, doc);
  wslfp_compute_controller_schedule (ctl);
  wait_for (ctl);
  g_object_set (probe, "x-um", wslfp_probe_get_x_um (probe) + 10, NULL); /* the live path, warmed */
  wait_for (ctl);
  g_assert_nonnull (wslfp_compute_controller_get_combined (ctl));
  g_autoptr (WslfpLfp) first = NULL;
  g_signal_connect (ctl, "result", G_CALLBACK (first_result_cb), &first);
  g_object_set (state, "alpha", 2.5, NULL);
  g_object_set (probe, "x-um", wslfp_probe_get_x_um (probe) + 20, NULL);
  g_usleep (G_USEC_PER_SEC / 2); /* (a mover asked would have answered) */
  wait_for (ctl);
  g_assert_nonnull (first);
  g_autoptr (WslfpLfp) exact = expected (doc, ctl);
  g_assert_cmpfloat (peak_error (first, exact), <=, 1e-12);

  /* Nor while the settings' run computes (no currents are kept then): the
   * move waits for a run of its own, whose result is the last shown. */
  guint started = 0;
  g_signal_connect_swapped (ctl, "started", G_CALLBACK (count_cb), &started);
  g_object_set (state, "alpha", 1.5, NULL);
  while (started == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (wslfp_compute_controller_get_combined (ctl));
  g_object_set (probe, "x-um", wslfp_probe_get_x_um (probe) + 30, NULL);
  wait_for (ctl);
  g_assert_cmpuint (started, ==, 2);
  g_autoptr (WslfpLfp) moved = expected (doc, ctl);
  g_assert_cmpfloat (peak_error (wslfp_compute_controller_get_lfp (ctl), moved), <=, 1e-12);

  /* Nor with no currents kept at all (no memory for them): a move is a
   * run like any other. */
  g_object_set (ctl, "memory-budget-mb", 0, NULL);
  g_object_set (state, "alpha", 1.7, NULL);
  wait_for (ctl);
  g_assert_null (wslfp_compute_controller_get_combined (ctl));
  started = 0;
  g_object_set (probe, "x-um", wslfp_probe_get_x_um (probe) + 40, NULL);
  wait_for (ctl);
  g_assert_cmpuint (started, ==, 1);
  g_autoptr (WslfpLfp) unkept = expected (doc, ctl);
  g_assert_cmpfloat (peak_error (wslfp_compute_controller_get_lfp (ctl), unkept), <=, 1e-12);
}

static void
demo_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GError) error = NULL;
  *(WslfpDocument **) data = wslfp_document_new_demo_finish (result, &error);
  g_assert_no_error (error);
}

static void
count_progress_cb (WslfpComputeController *ctl, double fraction, guint *n)
{
  (*n)++;
}

/* Cancelling stops the worker: no progress of the cancelled run comes
 * after it (a run left to finish kept reporting, and computing); stopping
 * the controller (its window closes) stops it too, and no result comes. */
static void
controller_halt_stops (gboolean stop_whole_controller)
{
  WslfpDocument *doc = NULL;
  wslfp_document_new_demo_async (NULL, demo_cb, &doc);
  while (doc == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_autoptr (WslfpExplorerState) state = wslfp_explorer_state_new (NULL);
  /* 384 contacts: a run long enough to report progress many times */
  wslfp_probe_set_preset (wslfp_explorer_state_get_probe (state), "neuropixels-1.0");
  g_autoptr (WslfpComputeController) ctl = wslfp_compute_controller_new (state);
  g_object_set (ctl, "memory-budget-mb", 0, NULL); /* (no combined currents: the plain run) */
  wslfp_compute_controller_set_document (ctl, doc);
  g_object_unref (doc);
  guint progress = 0;
  g_signal_connect (ctl, "progress", G_CALLBACK (count_progress_cb), &progress);
  wslfp_compute_controller_recompute (ctl);
  gint64 end = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (progress == 0 && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (progress, >, 0);
  if (stop_whole_controller)
    wslfp_compute_controller_stop (ctl);
  else
    g_assert_true (wslfp_compute_controller_cancel (ctl));
  guint at_halt = progress;
  end = g_get_monotonic_time () + G_USEC_PER_SEC;
  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE), g_usleep (1000);
  /* (one report may already be on its way) */
  g_assert_cmpuint (progress, <=, at_halt + 1);
  g_assert_null (wslfp_compute_controller_get_lfp (ctl));
  /* (and it says it is idle: nothing of the run is left waiting) */
  g_assert_false (wslfp_compute_controller_is_busy (ctl));
}

/* Stopped while a dataset opens (its window closes), the controller is
 * idle at once; the open's worker ends and nothing of it arrives. */
static void
test_controller_stop_while_opening (void)
{
  g_autoptr (WslfpExplorerState) state = wslfp_explorer_state_new (NULL);
  WslfpComputeController *ctl = wslfp_compute_controller_new (state);
  guint heard = 0;
  g_signal_connect_swapped (ctl, "opened", G_CALLBACK (count_cb), &heard);
  g_signal_connect_swapped (ctl, "adopting", G_CALLBACK (count_cb), &heard);
  g_signal_connect_swapped (ctl, "failed", G_CALLBACK (count_cb), &heard);
  g_signal_connect_swapped (ctl, "started", G_CALLBACK (count_cb), &heard);
  wslfp_compute_controller_open (ctl, NULL, NULL); /* (the demo network) */
  g_assert_true (wslfp_compute_controller_is_busy (ctl));
  wslfp_compute_controller_stop (ctl);
  g_assert_false (wslfp_compute_controller_is_busy (ctl));
  /* (the open holds the controller until its worker is done) */
  g_object_add_weak_pointer (G_OBJECT (ctl), (gpointer *) &ctl);
  g_object_unref (ctl);
  gint64 end = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (ctl != NULL && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE), g_usleep (1000);
  g_assert_null (ctl);
  g_assert_cmpuint (heard, ==, 0);
}

static void
test_controller_cancel_stops (void)
{
  controller_halt_stops (FALSE);
}

static void
test_controller_stop_stops (void)
{
  controller_halt_stops (TRUE);
}

/* A custom grid: a bad one is refused naming the file, and keeps the grid
 * loaded before; a good one is the state's custom grid and, chosen, the
 * profile computed. */
static void
test_controller_grid (void)
{
  g_autoptr (WslfpExplorerState) state = wslfp_explorer_state_new (NULL);
  g_autoptr (WslfpComputeController) ctl = wslfp_compute_controller_new (state);
  g_autofree char *bad = g_build_filename (tmp_dir, "bad grid.csv", NULL);
  g_assert_true (g_file_set_contents (bad, "0,0,1\n0,10,2\n5,0,3\n", -1, NULL));
  g_autoptr (GError) error = NULL;
  g_assert_false (wslfp_compute_controller_load_grid (ctl, bad, &error));
  g_assert_nonnull (strstr (error->message, "bad grid.csv"));
  g_clear_error (&error);
  g_assert_null (wslfp_compute_controller_get_grid_path (ctl));

  g_autofree char *good = g_test_build_filename (G_TEST_DIST, "data", "mazzoni15_fig2b_grid.csv", NULL);
  g_assert_true (wslfp_compute_controller_load_grid (ctl, good, &error));
  g_assert_no_error (error);
  g_autofree char *grid = NULL;
  g_object_get (state, "custom-grid", &grid, NULL);
  g_assert_cmpstr (grid, ==, good);
  g_assert_false (wslfp_compute_controller_load_grid (ctl, bad, &error));
  g_assert_cmpstr (wslfp_compute_controller_get_grid_path (ctl), ==, good);

  const char *name;
  g_autoptr (WslfpProfile) builtin = wslfp_compute_controller_current_profile (ctl, &name);
  g_assert_cmpstr (name, ==, "mazzoni15_single");
  g_object_set (state, "profile", WSLFP_EXPLORER_CUSTOM_PROFILE, NULL);
  g_autoptr (WslfpProfile) custom = wslfp_compute_controller_current_profile (ctl, &name);
  g_assert_cmpstr (name, ==, "mazzoni15_fig2b_grid.csv");
  WslfpJobSettings s;
  g_autofree double *xyz = NULL;
  g_autofree int *shank = NULL;
  wslfp_compute_controller_job_settings (ctl, &s, &xyz, &shank);
  g_assert_nonnull (s.custom_profile);

  /* The state names another grid (undo, a session): it is read; one that
   * cannot be read is reported (as a toast), the grid read before stays. */
  g_autofree char *contents = NULL;
  gsize length;
  g_assert_true (g_file_get_contents (good, &contents, &length, NULL));
  g_autofree char *other = g_build_filename (tmp_dir, "other grid.csv", NULL);
  g_assert_true (g_file_set_contents (other, contents, length, NULL));
  g_object_set (state, "custom-grid", other, NULL);
  g_assert_cmpstr (wslfp_compute_controller_get_grid_path (ctl), ==, other);
  g_assert_cmpstr (wslfp_compute_controller_get_grid_name (ctl), ==, "other grid.csv");
  g_autofree char *message = NULL;
  g_signal_connect (ctl, "failed", G_CALLBACK (failed_cb), &message);
  g_autofree char *missing = g_build_filename (tmp_dir, "gone.csv", NULL);
  g_object_set (state, "custom-grid", missing, NULL);
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, "gone.csv"));
  g_assert_cmpstr (wslfp_compute_controller_get_grid_path (ctl), ==, other);
}

/* What a dataset allows: spikes only, currents only; the length shown is
 * the dataset's mean while the lengths are the dataset's. */
static void
test_state_adapt_to_dataset (void)
{
  g_autoptr (WslfpExplorerState) state = wslfp_explorer_state_new (NULL);
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "brian_small.h5", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (WslfpDataset) ds = wslfp_dataset_open (path, &error);
  g_assert_no_error (error);
  gboolean currents = wslfp_dataset_check_currents (ds, NULL), spikes = wslfp_dataset_check_spikes (ds, NULL);
  g_assert_true (currents || spikes);
  double lengths[] = { 200, 301 };
  double *own = ds->dendrite_length_um;
  gsize n_own = ds->n_lengths;
  ds->dendrite_length_um = lengths;
  ds->n_lengths = 2;
  g_object_set (state, "from-spikes", !currents, NULL);
  wslfp_explorer_state_adapt_to_dataset (state, ds);
  gboolean from_spikes;
  double length;
  g_object_get (state, "from-spikes", &from_spikes, "dendrite-length-um", &length, NULL);
  if (currents != spikes)
    g_assert_cmpint (from_spikes, ==, spikes);
  g_assert_cmpfloat (length, ==, 251); /* round (250.5) */
  /* one's own length stays */
  g_object_set (state, "length-from-dataset", FALSE, "dendrite-length-um", 123.0, NULL);
  wslfp_explorer_state_adapt_to_dataset (state, ds);
  g_object_get (state, "dendrite-length-um", &length, NULL);
  g_assert_cmpfloat (length, ==, 123);
  ds->dendrite_length_um = own;
  ds->n_lengths = n_own;
}

/* A session file that is not one, or has a value that cannot be, is
 * refused with a message that names the file, the group and the key and
 * says what was expected; the first fault is the one named. */
static void
test_session_refused (void)
{
  const struct { const char *text, *message; } cases[] = {
    { "just some words\n", ": not a session file: " },
    { "[other]\na=1\n", ": not a session file (no [session] group)" },
    { "[session]\ndataset=\xff\xfe\n", ": [session] dataset: not a string" },
    { "[session]\n[proxy]\nprobe=bogus\n", ": [proxy] probe: “bogus” is not one of shanks, " },
    { "[session]\n[view]\npage=spectra\n", ": [view] page: “spectra” is not one of explore, traces, layout, profile, raster" },
    { "[session]\n[view]\nterms=maybe\n", ": [view] terms: expected true or false" },
    { "[session]\n[proxy]\nprobe-centre-um=1;2\n", ": [proxy] probe-centre-um: expected 3 numbers from -5000 to 5000, separated by ;" },
    { "[session]\n[proxy]\nprobe-centre-um=1;2;9000\n", ": [proxy] probe-centre-um: expected 3 numbers from -5000 to 5000, separated by ;" },
    { "[session]\n[proxy]\nprofile=custom\n", ": [proxy] custom-grid: the custom profile needs its grid file" },
    { "[session]\n[proxy]\nprobe=file\n", ": [proxy] probe-file: a probe from a file needs the file" },
    { "[session]\n[proxy]\nprobe-angles-deg=0;100;0\n", ": [proxy] probe-angles-deg: the tilt (the second angle) must be from −90 to 90" },
    { "[session]\n[proxy]\nprobe-angles-deg=0;-90.5;0\n", ": [proxy] probe-angles-deg: the tilt (the second angle) must be from −90 to 90" },
    { "[session]\n[view]\ntime-ms=10;5\n", ": [view] time-ms: the end comes before the start" },
    { "[session]\n[proxy]\nprobe=bogus\n[view]\nterms=maybe\n", ": [proxy] probe: “bogus”" },
    { "[session]\n[pinned]\nprobe=file\n", ": [pinned] probe-file: a probe from a file needs the file" },
  };
  g_autofree char *path = g_build_filename (tmp_dir, "refused" WSLFP_SESSION_SUFFIX, NULL);
  for (guint k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      g_assert_true (g_file_set_contents (path, cases[k].text, -1, NULL));
      g_autoptr (GError) error = NULL;
      g_autoptr (WslfpSession) s = wslfp_session_load (path, &error);
      g_assert_null (s);
      g_assert_nonnull (error);
      g_autofree char *want = g_strconcat (path, cases[k].message, NULL);
      if (!g_str_has_prefix (error->message, want))
        g_error ("case %u: \"%s\", expected it to begin \"%s\"", k, error->message, want);
    }
  /* at the edges: allowed */
  const char *edges[] = {
    "[session]\n[proxy]\nprobe-centre-um=-5000;0;5000\nprobe-angles-deg=-180;90;180\n[view]\ntime-ms=5;5\nterms=true\n",
    "[session]\n[proxy]\nprobe-angles-deg=0;-90;0\n",
  };
  for (guint k = 0; k < G_N_ELEMENTS (edges); k++)
    {
      g_assert_true (g_file_set_contents (path, edges[k], -1, NULL));
      g_autoptr (GError) error = NULL;
      g_autoptr (WslfpSession) s = wslfp_session_load (path, &error);
      g_assert_no_error (error);
      g_assert_true (s->current.placement_set);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("wslfp-test-state-XXXXXX", NULL);
  g_test_add_func ("/explorer-state/defaults", test_state_defaults);
  g_test_add_func ("/explorer-state/session-round-trip", test_state_session_round_trip);
  g_test_add_func ("/explorer-state/job-settings", test_state_job_settings);
  g_test_add_func ("/explorer-state/probe-sources", test_state_probe_sources);
  g_test_add_func ("/explorer-state/settings-table", test_state_settings_table);
  g_test_add_func ("/explorer-state/command-options", test_state_command_options);
  g_test_add_func ("/explorer-state/session-numbers", test_state_session_numbers);
  g_test_add_func ("/explorer-state/session-every-key", test_state_session_every_key);
  g_test_add_func ("/explorer-state/adapt-to-dataset", test_state_adapt_to_dataset);
  g_test_add_func ("/explorer-state/probe-reset", test_state_probe_reset);
  g_test_add_func ("/history/steps", test_history_steps);
  g_test_add_func ("/history/probe-layouts", test_history_probe_layouts);
  g_test_add_func ("/history/can-at-once", test_history_can_at_once);
  g_test_add_func ("/session/describe-population", test_session_describe_population);
  g_test_add_func ("/session/refused", test_session_refused);
  g_test_add_func ("/history/lfp", test_history_lfp);
  g_test_add_func ("/compute-controller/results", test_controller_results);
  g_test_add_func ("/compute-controller/grid", test_controller_grid);
  g_test_add_func ("/compute-controller/files", test_controller_files);
  g_test_add_func ("/session-keeper/restore", test_session_keeper);
  g_test_add_func ("/session-keeper/goes-first", test_session_keeper_goes_first);
  g_test_add_func ("/compute-controller/held", test_controller_held);
  g_test_add_func ("/explorer-state/properties", test_state_properties);
  g_test_add_func ("/compute-controller/keeps-probe-file", test_controller_keeps_probe_file);
  g_test_add_func ("/compute-controller/no-stale-move", test_controller_no_stale_move);
  g_test_add_func ("/compute-controller/cancel-stops", test_controller_cancel_stops);
  g_test_add_func ("/compute-controller/stop-stops", test_controller_stop_stops);
  g_test_add_func ("/compute-controller/stop-while-opening", test_controller_stop_while_opening);
  int status = g_test_run ();
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmp_dir);
  if (system (cmd) != 0)
    g_printerr ("could not remove %s\n", tmp_dir);
  return status;
}
