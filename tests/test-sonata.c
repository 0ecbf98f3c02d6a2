/* test-sonata.c: SONATA configs, type tables, NEST spike files and the
 * SONATA network as a dataset (the numbers against NumPy are in
 * tests/python/test_sonata.py; this suite also runs sanitized). */
#include <glib.h>
#include <glib/gstdio.h>
#include <hdf5.h>
#include <math.h>
#include <string.h>

#include "wslfp-dataset.h"
#include "wslfp-lfp.h"
#include "wslfp-nest-spikes.h"
#include "wslfp-sonata.h"
#include "wslfp-sonata-config.h"
#include "wslfp-sonata-types.h"
#include "wslfp-test-data.h"

static char *
example_config (void)
{
  return wslfp_test_data_path ("sonata/300_pointneurons/simulation_config.json");
}

/* A copy of the example network in a new folder (its path returned). */
static char *
copy_example (void)
{
  char *dir = g_dir_make_tmp ("wslfp-test-sonata-XXXXXX", NULL);
  g_autofree char *example = wslfp_test_data_path ("sonata/300_pointneurons");
  g_autofree char *copy = g_strdup_printf ("cp -r '%s'/. '%s'", example, dir);
  g_assert_cmpint (system (copy), ==, 0);
  return dir;
}

static void
remove_tree (const char *dir)
{
  g_autofree char *remove = g_strdup_printf ("rm -rf '%s'", dir);
  g_assert_cmpint (system (remove), ==, 0);
}

/* Deletes the links @links (NULL-terminated) of the HDF5 file @file. */
static void
delete_links (const char *file, const char *const *links)
{
  hid_t f = H5Fopen (file, H5F_ACC_RDWR, H5P_DEFAULT);
  g_assert_cmpint (f, >=, 0);
  for (gsize k = 0; links[k] != NULL; k++)
    g_assert_cmpint (H5Ldelete (f, links[k], H5P_DEFAULT), >=, 0);
  H5Fclose (f);
}

/* The example (@a) and the copy of it in @dir (@b), opened. */
static void
open_example_and_copy (const char *dir, WslfpDataset **a, WslfpDataset **b)
{
  g_autofree char *original = example_config ();
  g_autofree char *copy = g_build_filename (dir, "simulation_config.json", NULL);
  g_autoptr (GError) error = NULL;
  *a = wslfp_sonata_open (original, NULL, &error);
  g_assert_no_error (error);
  *b = wslfp_sonata_open (copy, NULL, &error);
  g_assert_no_error (error);
}

/* The example: counts from an independent h5py reading (the builder's
 * 240 e + 60 i internal cells, 100 virtual inputs; 28 097 edges from e
 * cells onto e cells, 7 171 from i cells; 4 334 input spikes). */
static void
test_sonata_example (void)
{
  g_autofree char *path = example_config ();
  g_autoptr (GError) error = NULL;
  g_autoptr (WslfpDataset) ds = wslfp_sonata_open (path, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ds->n_sources, ==, 240);
  g_assert_cmpuint (ds->n_electrodes, ==, 0);
  g_assert_true (ds->spikes_only);
  g_assert_true (ds->t_default_set);
  g_assert_cmpfloat (ds->t_default_ms[1], ==, 1500.0);
  g_assert_cmpfloat (ds->t_default_ms[2], ==, 0.01);
  const WslfpDatasetSpikes *e = &ds->spikes[WSLFP_SPIKES_EXC], *i = &ds->spikes[WSLFP_SPIKES_INH];
  g_assert_null (e->problem);
  g_assert_cmpuint (e->n_pre, ==, 400);
  g_assert_cmpint (e->indptr[400], ==, 28097);
  g_assert_cmpint (i->indptr[400], ==, 7171);
  g_assert_cmpuint (e->n_spikes, ==, 4334);
  /* the inputs are nodes 300 … 399; only they spike */
  for (gsize k = 0; k < e->n_spikes; k++)
    g_assert_cmpint (e->neuron[k], >=, 300);
  g_assert_cmpuint (i->n_spikes, ==, 0);
  /* internal edges carry their type's 2 ms, external ones none */
  for (gsize p = 0; p < 400; p++)
    for (gint64 j = e->indptr[p]; j < e->indptr[p + 1]; j++)
      g_assert_cmpfloat (e->delays_ms[j], ==, p < 300 ? 2.0 : 0.0);
  /* rotation about y only: every apical axis is +y */
  for (gsize s = 0; s < ds->n_sources; s++)
    {
      g_assert_cmpfloat (fabs (ds->orientation[3 * s]), <, 1e-15);
      g_assert_cmpfloat (fabs (ds->orientation[3 * s + 1] - 1.0), <, 1e-15);
    }
  /* every file read is listed (convert must not write over one) */
  g_assert_cmpuint (g_strv_length (ds->input_files), ==, 10);

  /* the same through a circuit config alone: no run, no spikes */
  g_autofree char *circuit = wslfp_test_data_path ("sonata/300_pointneurons/circuit_config.json");
  g_autoptr (WslfpDataset) net = wslfp_sonata_open (circuit, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (net->t_default_set);
  g_assert_nonnull (net->spikes[WSLFP_SPIKES_EXC].problem);
  g_assert_nonnull (strstr (net->spikes[WSLFP_SPIKES_EXC].problem, "no spikes"));
  g_assert_false (wslfp_dataset_check_spikes (net, NULL));
}

/* @b's connections (CSR weights, targets and delays of each group) are
 * @a's. */
static void
assert_same_connections (const WslfpDataset *a, const WslfpDataset *b)
{
  for (int g = 0; g < WSLFP_N_SPIKE_GROUPS; g++)
    {
      const WslfpDatasetSpikes *x = &a->spikes[g], *y = &b->spikes[g];
      g_assert_cmpuint (x->n_pre, ==, y->n_pre);
      gsize nnz = (gsize) x->indptr[x->n_pre];
      g_assert_cmpmem (y->indptr, (y->n_pre + 1) * sizeof (gint64), x->indptr, (x->n_pre + 1) * sizeof (gint64));
      g_assert_cmpmem (y->indices, nnz * sizeof (gint64), x->indices, nnz * sizeof (gint64));
      g_assert_cmpmem (y->data, nnz * sizeof (double), x->data, nnz * sizeof (double));
      if (x->delays_ms != NULL)
        g_assert_cmpmem (y->delays_ms, nnz * sizeof (double), x->delays_ms, nnz * sizeof (double));
      g_assert_true ((x->delays_ms == NULL) == (y->delays_ms == NULL));
    }
}

/* An edge population without /edge_group_index takes each edge's own row
 * in its group (the SONATA default): the example with those datasets
 * deleted (they hold exactly the rows) gives the same weights, delays and
 * targets. */
static void
test_sonata_implicit_group_index (void)
{
  g_autofree char *dir = copy_example ();
  const struct { const char *file, *population; } edges[] = {
    { "network/external_internal_edges.h5", "external_to_internal" },
    { "network/internal_internal_edges.h5", "internal_to_internal" },
  };
  for (guint k = 0; k < G_N_ELEMENTS (edges); k++)
    {
      g_autofree char *path = g_build_filename (dir, edges[k].file, NULL);
      g_autofree char *link = g_strdup_printf ("/edges/%s/edge_group_index", edges[k].population);
      const char *links[] = { link, NULL };
      delete_links (path, links);
    }
  g_autoptr (WslfpDataset) a = NULL;
  g_autoptr (WslfpDataset) b = NULL;
  open_example_and_copy (dir, &a, &b);
  assert_same_connections (a, b);
  remove_tree (dir);
}

/* A --sources rule's value matches as a number when both sides are
 * numbers (101, 101.0 and 1.01e2 pick the same cells), as text otherwise
 * (Scnn1a, "Scnn1a"); a value no cell has is an error. */
static void
test_sonata_source_values (void)
{
  g_autofree char *path = example_config ();
  const struct { const char *rule; gsize n; } rules[] = {
    { "node_type_id==101", 80 }, { "node_type_id==101.0", 80 }, { "node_type_id==1.01e2", 80 },
    { "model_name==Scnn1a", 80 }, { "model_name==\"Scnn1a\"", 80 },
  };
  for (guint k = 0; k < G_N_ELEMENTS (rules); k++)
    {
      WslfpSonataOptions options;
      wslfp_sonata_options_init (&options);
      options.sources = rules[k].rule;
      g_autoptr (GError) error = NULL;
      g_autoptr (WslfpDataset) ds = wslfp_sonata_open (path, &options, &error);
      if (ds == NULL || ds->n_sources != rules[k].n)
        g_error ("%s: %s; expected %zu sources", rules[k].rule, error ? error->message : "a dataset",
                 rules[k].n);
    }
  const char *none[] = { "node_type_id==101.5", "model_name==Scnn", "model_name==101" };
  for (guint k = 0; k < G_N_ELEMENTS (none); k++)
    {
      WslfpSonataOptions options;
      wslfp_sonata_options_init (&options);
      options.sources = none[k];
      g_autoptr (GError) error = NULL;
      g_autoptr (WslfpDataset) ds = wslfp_sonata_open (path, &options, &error);
      if (ds != NULL && ds->n_sources > 0)
        g_error ("%s picked %zu sources; expected none", none[k], ds->n_sources);
    }
}

/* convert's file read back: the same CSR, delays, times and spiking cells
 * (positions, and apical axes shared or one per cell). */
static void
test_sonata_write_round_trip (void)
{
  g_autofree char *path = example_config ();
  g_autoptr (GError) error = NULL;
  g_autoptr (WslfpDataset) ds = wslfp_sonata_open (path, NULL, &error);
  g_assert_no_error (error);
  /* the excitatory cells with one shared apical axis, the inhibitory
   * ones each with its own (both ways of writing them) */
  WslfpDatasetSpikes *exc = &ds->spikes[WSLFP_SPIKES_EXC], *inh = &ds->spikes[WSLFP_SPIKES_INH];
  g_assert_cmpuint (exc->n_cells, >, 0);
  g_assert_cmpuint (inh->n_cells, >, 1);
  g_free (exc->cells_orientation);
  exc->cells_orientation = g_new (double, 3);
  exc->cells_orientation[0] = 0, exc->cells_orientation[1] = 0.6, exc->cells_orientation[2] = 0.8;
  exc->n_cells_orientations = 1;
  g_free (inh->cells_orientation);
  inh->cells_orientation = g_new0 (double, 3 * inh->n_cells);
  for (gsize c = 0; c < inh->n_cells; c++)
    inh->cells_orientation[3 * c + c % 3] = 1;
  inh->n_cells_orientations = inh->n_cells;
  g_autofree char *dir = g_dir_make_tmp ("wslfp-test-sonata-XXXXXX", NULL);
  g_autofree char *out = g_build_filename (dir, "net.h5", NULL);
  g_assert_true (wslfp_dataset_write (ds, out, &error));
  g_assert_no_error (error);
  g_autoptr (WslfpDataset) back = wslfp_dataset_open (out, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (back->n_sources, ==, ds->n_sources);
  g_assert_cmpmem (back->sources_um, 3 * ds->n_sources * sizeof (double), ds->sources_um,
                   3 * ds->n_sources * sizeof (double));
  g_assert_true (back->t_default_set);
  g_assert_cmpmem (back->t_default_ms, sizeof back->t_default_ms, ds->t_default_ms, sizeof ds->t_default_ms);
  for (int g = 0; g < WSLFP_N_SPIKE_GROUPS; g++)
    {
      const WslfpDatasetSpikes *a = &ds->spikes[g], *b = &back->spikes[g];
      g_assert_null (b->problem);
      gsize nnz = (gsize) a->indptr[a->n_pre];
      g_assert_cmpuint (b->n_pre, ==, a->n_pre);
      g_assert_cmpmem (b->indptr, (a->n_pre + 1) * 8, a->indptr, (a->n_pre + 1) * 8);
      g_assert_cmpmem (b->indices, nnz * 8, a->indices, nnz * 8);
      g_assert_cmpmem (b->data, nnz * 8, a->data, nnz * 8);
      g_assert_cmpmem (b->delays_ms, nnz * 8, a->delays_ms, nnz * 8);
      g_assert_cmpuint (b->n_spikes, ==, a->n_spikes);
      g_assert_cmpuint (b->n_cells, ==, a->n_cells);
      g_assert_cmpmem (b->cells_um, 3 * a->n_cells * 8, a->cells_um, 3 * a->n_cells * 8);
      g_assert_cmpuint (b->n_cells_orientations, ==, a->n_cells_orientations);
      g_assert_cmpmem (b->cells_orientation, 3 * a->n_cells_orientations * 8, a->cells_orientation,
                       3 * a->n_cells_orientations * 8);
    }
  g_unlink (out);
  g_rmdir (dir);
}

static char *
write_file (const char *dir, const char *name, const char *text)
{
  char *path = g_build_filename (dir, name, NULL);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return path;
}

static void
expect_config_error (const char *path, const char *fragment)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WslfpDataset) ds = wslfp_sonata_open (path, NULL, &error);
  g_assert_null (ds);
  g_assert_nonnull (error);
  if (strstr (error->message, fragment) == NULL)
    g_error ("message \"%s\" does not say \"%s\"", error->message, fragment);
}

/* Bad configs are refused, naming the file and what is wrong; deep
 * nesting never reaches json-glib's recursive parser. */
static void
test_sonata_bad_configs (void)
{
  g_autofree char *dir = g_dir_make_tmp ("wslfp-test-sonata-XXXXXX", NULL);
  GString *deep = g_string_new ("{\"networks\":");
  for (int k = 0; k < 100000; k++)
    g_string_append_c (deep, '[');
  g_autofree char *p_deep = write_file (dir, "deep.json", deep->str);
  g_string_free (deep, TRUE);
  expect_config_error (p_deep, "deep.json nests arrays and objects more than 64 deep");

  g_autofree char *p_cycle = write_file (dir, "cycle.json",
                                         "{\"manifest\": {\"$A\": \"$B/x\", \"$B\": \"${A}\"},"
                                         " \"networks\": {\"nodes\": [{\"nodes_file\": \"$A/n.h5\"}]}}");
  expect_config_error (p_cycle, "cycle");
  g_autofree char *p_unknown = write_file (dir, "unknown.json",
                                           "{\"networks\": {\"nodes\": [{\"nodes_file\": \"$NOPE/n.h5\"}]}}");
  expect_config_error (p_unknown, "$NOPE in \"$NOPE/n.h5\" (networks.nodes[0].nodes_file) is not a string in the config's \"manifest\"");
  g_autofree char *p_self = write_file (dir, "self.json", "{\"network\": \"./self.json\"}");
  expect_config_error (p_self, "names this config itself");
  g_autofree char *p_a = write_file (dir, "a.json", "{\"network\": \"./b.json\"}");
  g_autofree char *p_b = write_file (dir, "b.json", "{\"network\": \"./a.json\"}");
  expect_config_error (p_a, "more than 4 deep");
  g_autofree char *p_list = write_file (dir, "list.json", "[1, 2]");
  expect_config_error (p_list, "list.json: a SONATA config is a JSON object");
  g_autofree char *p_bad = write_file (dir, "bad.json", "{\"networks\": ");
  expect_config_error (p_bad, "bad.json: not a JSON file");
  g_autofree char *p_none = write_file (dir, "none.json", "{\"run\": {\"tstop\": 10, \"dt\": 0.1}}");
  expect_config_error (p_none, "no networks.nodes");
  g_autofree char *p_missing = write_file (dir, "missing.json",
                                           "{\"networks\": {\"nodes\": [{\"nodes_file\": \"net/n.h5\"}]}}");
  expect_config_error (p_missing, "n.h5 (networks.nodes[0] in ");
  /* an input's node set in a node sets file that cannot be read */
  g_autofree char *p_n_h5 = write_file (dir, "n.h5", "");
  g_autofree char *p_in_h5 = write_file (dir, "in.h5", "");
  g_autofree char *p_sets = write_file (dir, "sets.json",
                                        "{\"node_sets_file\": \"./no_sets.json\", \"networks\": {\"nodes\": "
                                        "[{\"nodes_file\": \"./n.h5\"}]}, \"inputs\": {\"ext\": {\"input_type\": "
                                        "\"spikes\", \"module\": \"h5\", \"input_file\": \"./in.h5\", "
                                        "\"node_set\": \"external\"}}}");
  g_autoptr (GError) sets_error = NULL;
  g_autoptr (WslfpSonataConfig) sets = wslfp_sonata_config_read (p_sets, &sets_error);
  g_assert_null (sets);
  g_assert_nonnull (sets_error);
  if (strstr (sets_error->message, "no_sets.json") == NULL)
    g_error ("\"%s\" does not name no_sets.json", sets_error->message);
  g_unlink (p_n_h5);
  g_unlink (p_in_h5);
  g_unlink (p_sets);
  g_autofree char *p_run = write_file (dir, "run.json",
                                       "{\"run\": {\"tstop\": -1, \"dt\": 0.1}, \"networks\": {\"nodes\": []}}");
  expect_config_error (p_run, "run.tstop = -1");
  /* any positive run, however short, is taken (what stops this config is
   * its empty network); not one of no time */
  g_autofree char *p_short = write_file (dir, "short.json",
                                         "{\"run\": {\"tstop\": 0.5, \"dt\": 0.1}, \"networks\": {\"nodes\": []}}");
  expect_config_error (p_short, "short.json: no networks.nodes");
  g_autofree char *p_zero = write_file (dir, "zero.json",
                                        "{\"run\": {\"tstop\": 0, \"dt\": 0.1}, \"networks\": {\"nodes\": []}}");
  expect_config_error (p_zero, "run.tstop = 0 and run.dt = 0.1 must be positive numbers");
  g_autofree char *p_input = write_file (dir, "input.json",
                                         "{\"inputs\": {\"x\": {\"input_type\": \"spikes\", \"module\": \"csv\","
                                         " \"input_file\": \"s.csv\"}}, \"networks\": {\"nodes\": []}}");
  expect_config_error (p_input, "inputs.x has module \"csv\"");
  /* members of the wrong type: refused or skipped, never a NULL string */
  g_autofree char *p_types = write_file (dir, "types.json",
                                         "{\"inputs\": {\"x\": {\"input_type\": null, \"module\": [1]},"
                                         " \"y\": {\"input_type\": \"spikes\", \"module\": null}},"
                                         " \"networks\": {\"nodes\": []}}");
  expect_config_error (p_types, "inputs.y has module \"\"");
  /* a part of the wrong kind, or a member missing, named by where it is */
  const struct { const char *json, *message; } shapes[] = {
    { "{\"manifest\": [1], \"networks\": {\"nodes\": []}}", ": \"manifest\" must be an object" },
    { "{\"networks\": [1]}", ": \"networks\" must be an object" },
    { "{\"run\": 5, \"networks\": {\"nodes\": []}}", ": \"run\" must be an object" },
    { "{\"run\": {\"tstop\": 10, \"dt\": \"x\"}, \"networks\": {\"nodes\": []}}", ": run.dt must be a number" },
    { "{\"networks\": {\"nodes\": [{}]}}", ": networks.nodes[0] has no \"nodes_file\"" },
    { "{\"networks\": {\"nodes\": [5]}}", ": networks.nodes[0] must be an object" },
    { "{\"networks\": {\"nodes\": [{\"nodes_file\": \"n.h5\"}], \"edges\": [{}]}}",
      ": networks.edges[0] has no \"edges_file\"" },
    { "{\"networks\": {\"nodes\": [{\"nodes_file\": 5}]}}", ": networks.nodes[0].nodes_file must be a string (a path)" },
    { "{\"networks\": {\"nodes\": 5}}", ": networks.nodes must be a list" },
    { "{\"output\": {\"spikes_file\": 5}, \"networks\": {\"nodes\": []}}", ": output.spikes_file must be a string" },
  };
  for (guint k = 0; k < G_N_ELEMENTS (shapes); k++)
    {
      g_autofree char *p = write_file (dir, "shape.json", shapes[k].json);
      g_autoptr (GError) shape_error = NULL;
      g_autoptr (WslfpDataset) shaped = wslfp_sonata_open (p, NULL, &shape_error);
      g_assert_null (shaped);
      g_autofree char *want = g_strconcat (p, shapes[k].message, NULL);
      if (shape_error == NULL || strcmp (shape_error->message, want) != 0)
        g_error ("case %u: \"%s\"; expected \"%s\"", k, shape_error ? shape_error->message : "opened", want);
      g_unlink (p);
    }
  g_autofree char *p_sources = example_config ();
  WslfpSonataOptions options;
  wslfp_sonata_options_init (&options);
  options.sources = "ei";
  g_autoptr (GError) error = NULL;
  g_assert_null (wslfp_sonata_open (p_sources, &options, &error));
  g_assert_nonnull (strstr (error->message, "expected COLUMN==VALUE"));
  const char *names[] = { "deep.json", "cycle.json", "unknown.json", "self.json", "a.json", "b.json", "list.json",
                          "bad.json", "none.json", "missing.json", "run.json", "input.json", "types.json" };
  for (gsize k = 0; k < G_N_ELEMENTS (names); k++)
    {
      g_autofree char *p = g_build_filename (dir, names[k], NULL);
      g_unlink (p);
    }
  g_rmdir (dir);
}

static void
test_sonata_types (void)
{
  g_autofree char *dir = g_dir_make_tmp ("wslfp-test-sonata-XXXXXX", NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *good = write_file (dir, "t.csv",
                                      "\xEF\xBB\xBF" "node_type_id  ei model_name\tpopulation\n"
                                      "1 e \"L5 pyr\" a\n\n1 i PV b\r\n");
  g_autoptr (WslfpSonataTypes) t = wslfp_sonata_types_read (good, "node_type_id", &error);
  g_assert_no_error (error);
  g_assert_cmpint (wslfp_sonata_types_n_rows (t), ==, 2);
  gint64 row = wslfp_sonata_types_find (t, "a", 1);
  g_assert_cmpint (row, ==, 0);
  g_assert_cmpstr (wslfp_sonata_types_value (t, row, wslfp_sonata_types_column (t, "model_name")), ==, "L5 pyr");
  g_assert_cmpint (wslfp_sonata_types_find (t, "b", 1), ==, 1);
  g_assert_cmpint (wslfp_sonata_types_find (t, "c", 1), ==, -1);
  g_assert_cmpint (wslfp_sonata_types_column (t, "nope"), ==, -1);

  struct { const char *text, *fragment; } bad[] = {
    { "node_type_id ei\n1 \"e\n", "t2.csv:2: a quote (\") is not closed" },
    { "node_type_id ei\n1 e x\n", "t2.csv:2: 3 fields, but the header has 2 columns" },
    { "ei model\ne x\n", "the header (line 1) has no node_type_id column" },
    { "node_type_id ei\n1x e\n", "t2.csv:2: node_type_id \"1x\" is not an integer" },
    { "node_type_id ei\n1 e\n1 i\n", "t2.csv:3: node_type_id 1 appears twice" },
    { "\n\n", "is empty" },
  };
  for (gsize k = 0; k < G_N_ELEMENTS (bad); k++)
    {
      g_autofree char *p = write_file (dir, "t2.csv", bad[k].text);
      g_autoptr (GError) e = NULL;
      g_assert_null (wslfp_sonata_types_read (p, "node_type_id", &e));
      if (e == NULL || strstr (e->message, bad[k].fragment) == NULL)
        g_error ("case %zu: \"%s\" does not say \"%s\"", k, e ? e->message : "(no error)", bad[k].fragment);
      g_unlink (p);
    }
  g_unlink (good);
  g_rmdir (dir);
}

/* NEST spike files: both headers of the ASCII backend, .gdf without one;
 * bad lines named by file and line. */
static void
test_sonata_nest_files (void)
{
  g_autofree char *dir = g_dir_make_tmp ("wslfp-test-sonata-XXXXXX", NULL);
  g_autoptr (GError) error = NULL;
  g_autofree gint64 *ids = NULL;
  g_autofree double *t = NULL;
  gsize n = 0;
  g_autofree char *ms = write_file (dir, "a.dat", "# NEST version: 3.6.0\n# RecordingBackendASCII\nsender\ttime_ms\n"
                                                  "3\t1.500\n12\t2.25\n\n");
  g_assert_true (wslfp_nest_spikes_is_nest (ms));
  g_assert_true (wslfp_nest_spikes_read (ms, 0, &ids, &t, &n, &error));
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpint (ids[1], ==, 12);
  g_assert_cmpfloat (t[1], ==, 2.25);
  g_clear_pointer (&ids, g_free);
  g_clear_pointer (&t, g_free);
  g_autofree char *steps = write_file (dir, "b.dat", "# c\n# c\nsender time_step time_offset\n7 15 0.025\n");
  g_assert_true (wslfp_nest_spikes_read (steps, 0.1, &ids, &t, &n, &error));
  g_assert_cmpfloat (fabs (t[0] - (1.5 - 0.025)), <, 1e-15);
  g_clear_pointer (&ids, g_free);
  g_clear_pointer (&t, g_free);
  g_assert_false (wslfp_nest_spikes_read (steps, 0, &ids, &t, &n, &error));
  g_assert_nonnull (strstr (error->message, "resolution is unknown"));
  g_clear_error (&error);
  /* a byte-order mark before the first comment */
  g_autofree char *bom = write_file (dir, "bom.dat", "\xEF\xBB\xBF# NEST\nsender time_ms\n4 1.5\n");
  g_assert_true (wslfp_nest_spikes_read (bom, 0, &ids, &t, &n, &error));
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpint (ids[0], ==, 4);
  g_clear_pointer (&ids, g_free);
  g_clear_pointer (&t, g_free);
  g_unlink (bom);
  /* ... before the header, and before a first line of data (.gdf) */
  const char *bom_first[][2] = { { "bom2.dat", "\xEF\xBB\xBFsender time_ms\n4 1.5\n9 2.5\n" },
                                 { "bom3.gdf", "\xEF\xBB\xBF" "4 1.5\n9 2.5\n" } };
  for (guint k = 0; k < G_N_ELEMENTS (bom_first); k++)
    {
      g_autofree char *p = write_file (dir, bom_first[k][0], bom_first[k][1]);
      if (!wslfp_nest_spikes_read (p, 0, &ids, &t, &n, &error))
        g_error ("%s: %s", bom_first[k][0], error->message);
      g_assert_cmpuint (n, ==, 2);
      g_assert_cmpint (ids[0], ==, 4);
      g_assert_cmpfloat (t[0], ==, 1.5);
      g_assert_cmpint (ids[1], ==, 9);
      g_assert_cmpfloat (t[1], ==, 2.5);
      g_clear_pointer (&ids, g_free);
      g_clear_pointer (&t, g_free);
      g_unlink (p);
    }
  g_autofree char *gdf = write_file (dir, "c.gdf", "1 0.5\n2   7.25\n");
  g_assert_false (wslfp_nest_spikes_is_nest ("x.h5"));
  g_assert_true (wslfp_nest_spikes_read (gdf, 0, &ids, &t, &n, &error));
  g_assert_cmpuint (n, ==, 2);
  g_clear_pointer (&ids, g_free);
  g_clear_pointer (&t, g_free);

  struct { const char *name, *text, *fragment; } bad[] = {
    { "d.gdf", "1 0.5\n0 1.0\n", "d.gdf:2: the sender \"0\" is not a NEST id" },
    { "e.gdf", "1 0.5\n2 nan\n", "e.gdf:2: the time in \"2 nan\" is not a finite number" },
    { "f.gdf", "1\n", "f.gdf:1: 1 fields; expected 2" },
    { "g.dat", "# x\nneuron time\n1 2\n", "g.dat:2: the header \"neuron time\" has no sender and time_ms" },
  };
  for (gsize k = 0; k < G_N_ELEMENTS (bad); k++)
    {
      g_autofree char *p = write_file (dir, bad[k].name, bad[k].text);
      g_autoptr (GError) e = NULL;
      g_assert_false (wslfp_nest_spikes_read (p, 0.1, &ids, &t, &n, &e));
      if (e == NULL || strstr (e->message, bad[k].fragment) == NULL)
        g_error ("case %zu: \"%s\" does not say \"%s\"", k, e ? e->message : "(no error)", bad[k].fragment);
      g_unlink (p);
    }
  g_unlink (ms);
  g_unlink (steps);
  g_unlink (gdf);
  g_rmdir (dir);
}

/* From spikes with an amplitude matrix bigger than the panel size, the
 * sources go in panels (each its own model and currents): the same LFP,
 * normalised or not, as all sources at once. */
static void
test_sonata_panels (void)
{
  g_autofree char *path = example_config ();
  g_autoptr (GError) error = NULL;
  g_autoptr (WslfpDataset) ds = wslfp_sonata_open (path, NULL, &error);
  g_assert_no_error (error);
  double probe[16 * 3];
  for (int e = 0; e < 16; e++)
    {
      probe[3 * e] = 10.0 * (e % 2);
      probe[3 * e + 1] = -150.0 + 20.0 * e;
      probe[3 * e + 2] = 5.0;
    }
  for (int normalize = 0; normalize < 2; normalize++)
    {
      WslfpJobSettings s;
      wslfp_job_settings_init (&s);
      s.from_spikes = TRUE;
      s.electrodes_um = probe;
      s.n_electrodes = 16;
      s.t_eval_set = TRUE;
      s.t_start_ms = 0;
      s.t_stop_ms = 400;
      s.t_step_ms = 0.25;
      s.options.normalize = normalize;
      g_autoptr (WslfpLfp) whole = wslfp_job_run (ds, &s, NULL, NULL, &error);
      g_assert_no_error (error);
      s.panel_bytes = 16 * sizeof (double) * 70; /* 4 panels of 60 (70 rounded to equal shares) */
      g_autoptr (WslfpLfp) panels = wslfp_job_run (ds, &s, NULL, NULL, &error);
      g_assert_no_error (error);
      gsize n = whole->n_times * whole->n_electrodes;
      double peak = 0, worst = 0;
      for (gsize i = 0; i < n; i++)
        {
          peak = fmax (peak, fabs (whole->uv[i]));
          worst = fmax (worst, fabs (panels->uv[i] - whole->uv[i]));
        }
      g_assert_cmpfloat (peak, >, 0);
      g_assert_cmpfloat (worst, <=, 1e-12 * peak);
      g_assert_cmpint (panels->normalized, ==, normalize);
    }
}

static void
read_config_cycle (gconstpointer path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WslfpSonataConfig) c = wslfp_sonata_config_read (path, &error);
  g_assert_no_error (error);
}

/* Reading a configuration (its nodes, edges, inputs and output) again
 * and again does not grow the heap: the Explorer opens networks for as
 * long as it runs. */
/* A SONATA spike file @name in @dir: @group/timestamps (@n_t, with the
 * attribute units = @units unless NULL) and @group/node_ids (@n_id). */
static char *
write_spike_file (const char *dir, const char *name, const char *group, const double *t, hsize_t n_t,
                  const gint64 *ids, hsize_t n_id, const char *units)
{
  char *path = g_build_filename (dir, name, NULL);
  hid_t f = H5Fcreate (path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  hid_t lcpl = H5Pcreate (H5P_LINK_CREATE);
  H5Pset_create_intermediate_group (lcpl, 1);
  H5Gclose (H5Gcreate2 (f, "/spikes", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
  if (t != NULL)
    {
      g_autofree char *tp = g_strdup_printf ("%s/timestamps", group);
      g_autofree char *ip = g_strdup_printf ("%s/node_ids", group);
      hsize_t n[2] = { n_t, n_id };
      const char *paths[2] = { tp, ip };
      for (int k = 0; k < 2; k++)
        {
          hid_t s = H5Screate_simple (1, &n[k], NULL);
          hid_t d = H5Dcreate2 (f, paths[k], k == 0 ? H5T_IEEE_F64LE : H5T_STD_U64LE, s, lcpl, H5P_DEFAULT,
                                H5P_DEFAULT);
          g_assert_cmpint (H5Dwrite (d, k == 0 ? H5T_NATIVE_DOUBLE : H5T_NATIVE_INT64, H5S_ALL, H5S_ALL,
                                     H5P_DEFAULT, k == 0 ? (const void *) t : (const void *) ids), >=, 0);
          if (k == 0 && units != NULL)
            {
              hid_t st = H5Tcopy (H5T_C_S1);
              H5Tset_size (st, strlen (units) + 1);
              hid_t as = H5Screate (H5S_SCALAR);
              hid_t a = H5Acreate2 (d, "units", st, as, H5P_DEFAULT, H5P_DEFAULT);
              H5Awrite (a, st, units);
              H5Aclose (a);
              H5Sclose (as);
              H5Tclose (st);
            }
          H5Dclose (d);
          H5Sclose (s);
        }
    }
  H5Pclose (lcpl);
  H5Fclose (f);
  return path;
}

/* The example opened with @spikes as its --spikes file; its spikes'
 * problem must say @fragment (and name @spikes). */
static void
expect_spikes_problem (const char *config, const char *spikes, const char *fragment)
{
  const char *files[] = { spikes, NULL };
  WslfpSonataOptions options;
  wslfp_sonata_options_init (&options);
  options.spike_files = files;
  g_autoptr (GError) error = NULL;
  g_autoptr (WslfpDataset) ds = wslfp_sonata_open (config, &options, &error);
  g_assert_no_error (error);
  const char *problem = ds->spikes[WSLFP_SPIKES_EXC].problem;
  if (problem == NULL || strstr (problem, fragment) == NULL || strstr (problem, spikes) == NULL)
    g_error ("%s: \"%s\"; expected a problem naming it and saying \"%s\"", spikes, problem ? problem : "(none)",
             fragment);
  g_assert_false (wslfp_dataset_check_spikes (ds, NULL));
}

/* SONATA spike files: the legacy layout (/spikes/timestamps) is of the one
 * population of a network that has one, with times in s when its units
 * say so; files that cannot be used make the spikes' problem, naming the
 * file and what is wrong, and so does a config whose output spikes were
 * never written. */
static void
test_sonata_spike_files (void)
{
  g_autofree char *dir = g_dir_make_tmp ("wslfp-test-sonata-XXXXXX", NULL);
  g_autofree char *config = example_config ();
  double t[4] = { 0.5, 0.25, 1.0, 0.75 };
  gint64 ids[4] = { 3, 250, 7, 3 };

  g_autofree char *none = g_build_filename (dir, "none.h5", NULL);
  expect_spikes_problem (config, none, "none.h5 (--spikes) does not exist");
  g_autofree char *short_ids = write_spike_file (dir, "short.h5", "/spikes/internal", t, 4, ids, 3, NULL);
  expect_spikes_problem (config, short_ids, "/spikes/internal/node_ids has 3 values but /spikes/internal/timestamps has 4");
  g_autofree char *legacy = write_spike_file (dir, "legacy.h5", "/spikes", t, 4, ids, 4, "s");
  expect_spikes_problem (config, legacy, "/spikes/timestamps has no population");
  g_autofree char *empty = write_spike_file (dir, "empty.h5", "/spikes", NULL, 0, NULL, 0, NULL);
  expect_spikes_problem (config, empty, "no spikes (neither /spikes/<population>/timestamps nor /spikes/timestamps)");
  g_autofree char *micro = write_spike_file (dir, "micro.h5", "/spikes/internal", t, 4, ids, 4, "us");
  expect_spikes_problem (config, micro, "attribute units is \"us\"; spike times must be in ms or s");

  /* a network of the internal population alone reads the legacy file */
  g_autofree char *net = wslfp_test_data_path ("sonata/300_pointneurons/network");
  g_autofree char *one_text = g_strdup_printf (
    "{\"networks\": {\"nodes\": [{\"nodes_file\": \"%s/internal_nodes.h5\", \"node_types_file\": "
    "\"%s/internal_node_types.csv\"}], \"edges\": [{\"edges_file\": \"%s/internal_internal_edges.h5\", "
    "\"edge_types_file\": \"%s/internal_internal_edge_types.csv\"}]}}", net, net, net, net);
  g_autofree char *one = write_file (dir, "one.json", one_text);
  const char *files[] = { legacy, NULL };
  WslfpSonataOptions options;
  wslfp_sonata_options_init (&options);
  options.spike_files = files;
  g_autoptr (GError) error = NULL;
  g_autoptr (WslfpDataset) ds = wslfp_sonata_open (one, &options, &error);
  g_assert_no_error (error);
  gsize found = 0;
  for (int g = 0; g < WSLFP_N_SPIKE_GROUPS; g++)
    {
      const WslfpDatasetSpikes *s = &ds->spikes[g];
      g_assert_null (s->problem);
      for (gsize k = 0; k < s->n_spikes; k++)
        {
          gsize j = 0;
          while (j < 4 && !(ids[j] == s->neuron[k] && t[j] * 1000 == s->t_ms[k]))
            j++;
          if (j == 4)
            g_error ("spike %zu of group %d (node %lld at %g ms) is not in the file", k, g, (long long) s->neuron[k],
                     s->t_ms[k]);
          found++;
        }
    }
  g_assert_cmpuint (found, ==, 4);

  /* output spikes never written, and no inputs */
  g_autofree char *circuit = wslfp_test_data_path ("sonata/300_pointneurons/circuit_config.json");
  g_autofree char *unrun_text = g_strdup_printf ("{\"network\": \"%s\", \"output\": {\"output_dir\": \"%s\", "
                                                 "\"spikes_file\": \"never.h5\"}}", circuit, dir);
  g_autofree char *unrun = write_file (dir, "unrun.json", unrun_text);
  g_autoptr (WslfpDataset) not_run = wslfp_sonata_open (unrun, NULL, &error);
  g_assert_no_error (error);
  const char *problem = not_run->spikes[WSLFP_SPIKES_EXC].problem;
  g_assert_nonnull (problem);
  if (strstr (problem, "never.h5") == NULL
      || strstr (problem, "does not exist (run the simulation, or give spike files with --spikes)") == NULL)
    g_error ("\"%s\" does not say that never.h5 does not exist", problem);

  g_autofree char *remove = g_strdup_printf ("rm -rf '%s'", dir);
  g_assert_cmpint (system (remove), ==, 0);
}

/* Node sets given in the config itself ("node_sets") name an input's
 * population as a node sets file does, and inputs that are not spikes
 * (a current clamp) are left out: the example's input spikes (the legacy
 * layout, population from the node set) are all read. */
static void
test_sonata_inline_node_sets (void)
{
  g_autofree char *dir = g_dir_make_tmp ("wslfp-test-sonata-XXXXXX", NULL);
  g_autofree char *circuit = wslfp_test_data_path ("sonata/300_pointneurons/circuit_config.json");
  g_autofree char *input = wslfp_test_data_path ("sonata/300_pointneurons/inputs/external_spike_trains.h5");
  g_autofree char *text = g_strdup_printf (
    "{\"run\": {\"tstop\": 1500, \"dt\": 0.01}, \"network\": \"%s\", "
    "\"node_sets\": {\"outside\": {\"population\": \"external\"}}, "
    "\"inputs\": {\"clamp\": {\"input_type\": \"current_clamp\", \"module\": \"IClamp\", \"amp\": 0.1}, "
    "\"ext\": {\"input_type\": \"spikes\", \"module\": \"sonata\", \"input_file\": \"%s\", "
    "\"node_set\": \"outside\"}}}", circuit, input);
  g_autofree char *config = write_file (dir, "inline.json", text);
  g_autoptr (GError) error = NULL;
  g_autoptr (WslfpDataset) ds = wslfp_sonata_open (config, NULL, &error);
  g_assert_no_error (error);
  const WslfpDatasetSpikes *e = &ds->spikes[WSLFP_SPIKES_EXC];
  g_assert_null (e->problem);
  g_assert_cmpuint (e->n_spikes, ==, 4334);
  for (gsize k = 0; k < e->n_spikes; k++)
    g_assert_cmpint (e->neuron[k], >=, 300); /* the external population's nodes follow the 300 internal ones */
  g_assert_cmpint (g_unlink (config), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* Type tables and NEST spike files that are not what they claim: a
 * missing table, binary bytes in either, a NEST line too long to be one
 * (a file of another kind), a NEST file that cannot be opened. */
static void
test_sonata_not_text (void)
{
  g_autofree char *dir = g_dir_make_tmp ("wslfp-test-sonata-XXXXXX", NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *missing = g_build_filename (dir, "missing.csv", NULL);
  g_assert_null (wslfp_sonata_types_read (missing, "node_type_id", &error));
  g_assert_nonnull (strstr (error->message, "missing.csv: no such file"));
  g_clear_error (&error);
  g_autofree char *binary = g_build_filename (dir, "binary.csv", NULL);
  g_assert_true (g_file_set_contents (binary, "node_type_id ei\n1 e\0\x01\x02\n", 20, NULL));
  g_assert_null (wslfp_sonata_types_read (binary, "node_type_id", &error));
  g_assert_nonnull (strstr (error->message, "binary.csv is not a text file (a type table)"));
  g_clear_error (&error);

  g_autofree gint64 *ids = NULL;
  g_autofree double *t = NULL;
  gsize n = 0;
  g_autofree char *nest_binary = g_build_filename (dir, "binary.dat", NULL);
  g_assert_true (g_file_set_contents (nest_binary, "sender time_ms\n3 1.5\n4\0 2.5\n", 28, NULL));
  g_assert_false (wslfp_nest_spikes_read (nest_binary, 0, &ids, &t, &n, &error));
  g_assert_nonnull (strstr (error->message, "binary.dat:3: not text"));
  g_clear_error (&error);
  GString *long_line = g_string_new ("sender time_ms\n3 ");
  for (int k = 0; k < 5000; k++)
    g_string_append_c (long_line, '1');
  g_string_append (long_line, "\n");
  g_autofree char *nest_long = write_file (dir, "long.dat", long_line->str);
  g_string_free (long_line, TRUE);
  g_assert_false (wslfp_nest_spikes_read (nest_long, 0, &ids, &t, &n, &error));
  g_assert_nonnull (strstr (error->message, "long.dat:2: a line longer than 4096 characters: not a NEST spike file"));
  g_clear_error (&error);
  g_autofree char *absent = g_build_filename (dir, "absent.dat", NULL);
  g_assert_false (wslfp_nest_spikes_read (absent, 0, &ids, &t, &n, &error));
  g_assert_nonnull (strstr (error->message, "absent.dat: No such file or directory"));
  g_autofree char *remove = g_strdup_printf ("rm -rf '%s'", dir);
  g_assert_cmpint (system (remove), ==, 0);
}

/* ---- damaged networks ---- */

/* One defect made by hand in a copy of the example network. */
typedef enum
{
  SET_VALUE,   /* element @index of dataset @path becomes @value */
  DROP,        /* the link @path is deleted */
  SHORTEN,     /* dataset @path loses its last element */
  DROP_ATTR,   /* attribute @text of @path is deleted */
  SET_ATTR,    /* string attribute @text of @path becomes @value2 */
  ADD_MATRIX,  /* an (@index, 3 or 4 by @value) dataset of zeros at @path */
  WRITE_TEXT,  /* text file @file becomes @value2 */
} DefectKind;

typedef struct
{
  const char *file;
  DefectKind kind;
  const char *path;
  gsize index;
  double value;
  const char *text, *value2;
  const char *fragment; /* the message must say this */
  const char *drop;     /* and this link of NODES is deleted (the message names NODES), or NULL */
} Defect;

#define NODES "network/internal_nodes.h5"
#define EDGES "network/internal_internal_edges.h5"
#define EDGES_E2I "/edges/internal_to_internal"

static const Defect defects[] = {
  { NODES, SET_VALUE, "/nodes/internal/node_group_index", 5, 999, NULL, NULL,
    "node 5 of population internal has node_group_index 999, outside /nodes/internal/0/" },
  /* (one past the end: the group's columns have 300 values) */
  { NODES, SET_VALUE, "/nodes/internal/node_group_index", 5, 300, NULL, NULL,
    "node 5 of population internal has node_group_index 300, outside /nodes/internal/0/" },
  { NODES, SHORTEN, "/nodes/internal/node_group_id", 0, 0, NULL, NULL,
    "/nodes/internal/node_group_id has 299 values; expected 300, one per node (as node_type_id)" },
  { NODES, SET_VALUE, "/nodes/internal/node_id", 1, 0, NULL, NULL, "/nodes/internal/node_id[1] = 0 appears twice" },
  /* (x from the types table where the group has none) */
  { "network/internal_node_types.csv", WRITE_TEXT, NULL, 0, 0, NULL,
    "node_type_id ei model_name x\n104 i PV2 0\n100 e Scnn1a inf\n101 e Rorb 0\n102 e Nr5a1 0\n103 i PV1 0\n",
    "node 0 of population internal has no finite x position (inf)", "/nodes/internal/0/x" },
  { "network/internal_node_types.csv", WRITE_TEXT, NULL, 0, 0, NULL,
    "node_type_id ei model_name rotation_angle_yaxis\n104 i PV2 0\n100 e Scnn1a -inf\n101 e Rorb 0\n102 e Nr5a1 0\n"
    "103 i PV1 0\n",
    "node 0 of population internal has rotation angles (0, -inf, 0)", "/nodes/internal/0/rotation_angle_yaxis" },
  { NODES, ADD_MATRIX, "/nodes/internal/0/orientation", 300, 3, NULL, NULL,
    "/nodes/internal/0/orientation has shape (300, 3); expected (n, 4), a (w, x, y, z) quaternion per node" },
  { NODES, ADD_MATRIX, "/nodes/internal/0/orientation", 300, 4, NULL, NULL,
    "node 0 of population internal has orientation (0, 0, 0, 0), not a rotation" },
  { NODES, ADD_MATRIX, "/nodes/internal/0/orientation", 299, 4, NULL, NULL,
    "node 299 of population internal has node_group_index 299, outside /nodes/internal/0/orientation" },
  { EDGES, SET_VALUE, EDGES_E2I "/edge_group_index", 10, 999999, NULL, NULL,
    "edge 10 of population internal_to_internal has edge_group_index 999999, outside "
    EDGES_E2I "/0/syn_weight (27588 values)" },
  { EDGES, SET_VALUE, EDGES_E2I "/0/syn_weight", 7, INFINITY, NULL, NULL, EDGES_E2I "/0/syn_weight[7] is inf" },
  { EDGES, SET_VALUE, EDGES_E2I "/edge_type_id", 3, 555, NULL, NULL,
    "edge 3 of population internal_to_internal has edge_type_id 555, which " },
  { EDGES, DROP, EDGES_E2I "/0/syn_weight", 0, 0, NULL, NULL,
    "edge 0 of population internal_to_internal has no syn_weight (neither in its group 0 nor in edge type " },
  { EDGES, SHORTEN, EDGES_E2I "/target_node_id", 0, 0, NULL, NULL,
    EDGES_E2I "/target_node_id must have one value per edge" },
  { EDGES, DROP_ATTR, EDGES_E2I "/source_node_id", 0, 0, "node_population", NULL,
    EDGES_E2I "/source_node_id has no node_population attribute (which node population its ids are of)" },
  { EDGES, SET_ATTR, EDGES_E2I "/source_node_id", 0, 0, "node_population", "nowhere",
    "node population nowhere (its node_population) is not in the network" },
  { EDGES, DROP, EDGES_E2I "/edge_type_id", 0, 0, NULL, NULL, EDGES_E2I "/edge_type_id is missing" },
  { EDGES, SHORTEN, EDGES_E2I "/edge_group_id", 0, 0, NULL, NULL,
    EDGES_E2I "/edge_group_id must have one value per edge (27588)" },
  { "network/internal_internal_edge_types.csv", WRITE_TEXT, NULL, 0, 0, NULL,
    "edge_type_id delay\n100 abc\n101 2.0\n102 2.0\n103 2.0\n", "delay of edge type 100 is \"abc\", not a number" },
};

/* Replaces dataset @path with @rank-dimensional @dims of @type from @data. */
static void
recreate (hid_t f, const char *path, hid_t type, int rank, const hsize_t *dims, hid_t mem, const void *data)
{
  if (H5Lexists (f, path, H5P_DEFAULT) > 0)
    g_assert_cmpint (H5Ldelete (f, path, H5P_DEFAULT), >=, 0);
  hid_t s = H5Screate_simple (rank, dims, NULL);
  hid_t d = H5Dcreate2 (f, path, type, s, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  g_assert_cmpint (d, >=, 0);
  g_assert_cmpint (H5Dwrite (d, mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), >=, 0);
  H5Dclose (d);
  H5Sclose (s);
}

static void
make_defect (const char *dir, const Defect *d)
{
  g_autofree char *file = g_build_filename (dir, d->file, NULL);
  if (d->kind == WRITE_TEXT)
    {
      g_assert_true (g_file_set_contents (file, d->value2, -1, NULL));
      if (d->drop != NULL)
        {
          g_autofree char *h5 = g_build_filename (dir, NODES, NULL);
          const char *links[] = { d->drop, NULL };
          delete_links (h5, links);
        }
      return;
    }
  hid_t f = H5Fopen (file, H5F_ACC_RDWR, H5P_DEFAULT);
  g_assert_cmpint (f, >=, 0);
  switch (d->kind)
    {
    case SET_VALUE:
    case SHORTEN:
      {
        hid_t ds = H5Dopen2 (f, d->path, H5P_DEFAULT);
        hid_t type = H5Dget_type (ds), space = H5Dget_space (ds);
        hsize_t n = (hsize_t) H5Sget_simple_extent_npoints (space);
        gboolean is_float = H5Tget_class (type) == H5T_FLOAT;
        g_autofree double *v = g_new (double, n);
        g_autofree gint64 *iv = g_new (gint64, n);
        g_assert_cmpint (H5Dread (ds, is_float ? H5T_NATIVE_DOUBLE : H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                                  is_float ? (void *) v : (void *) iv), >=, 0);
        H5Sclose (space);
        H5Dclose (ds);
        if (d->kind == SET_VALUE)
          v[d->index] = d->value, iv[d->index] = (gint64) d->value;
        hsize_t len = d->kind == SHORTEN ? n - 1 : n;
        hid_t file_type = is_float ? H5T_IEEE_F64LE : H5T_STD_I64LE;
        recreate (f, d->path, file_type, 1, &len, is_float ? H5T_NATIVE_DOUBLE : H5T_NATIVE_INT64,
                  is_float ? (void *) v : (void *) iv);
        H5Tclose (type);
        break;
      }
    case DROP:
      g_assert_cmpint (H5Ldelete (f, d->path, H5P_DEFAULT), >=, 0);
      break;
    case DROP_ATTR:
    case SET_ATTR:
      {
        hid_t o = H5Oopen (f, d->path, H5P_DEFAULT);
        g_assert_cmpint (H5Adelete (o, d->text), >=, 0);
        if (d->kind == SET_ATTR)
          {
            hid_t st = H5Tcopy (H5T_C_S1);
            H5Tset_size (st, strlen (d->value2) + 1);
            hid_t s = H5Screate (H5S_SCALAR);
            hid_t a = H5Acreate2 (o, d->text, st, s, H5P_DEFAULT, H5P_DEFAULT);
            g_assert_cmpint (H5Awrite (a, st, d->value2), >=, 0);
            H5Aclose (a);
            H5Sclose (s);
            H5Tclose (st);
          }
        H5Oclose (o);
        break;
      }
    case ADD_MATRIX:
      {
        hsize_t dims[2] = { d->index, (hsize_t) d->value };
        g_autofree double *zeros = g_new0 (double, dims[0] * dims[1]);
        recreate (f, d->path, H5T_IEEE_F64LE, 2, dims, H5T_NATIVE_DOUBLE, zeros);
        break;
      }
    case WRITE_TEXT:
      g_assert_not_reached ();
    }
  H5Fclose (f);
}

/* A network file with one defect is refused with a message that names the
 * file and says what is wrong, whether the defect is in the nodes, the
 * edges or the edge types. */
static void
test_sonata_damaged_networks (void)
{
  for (guint k = 0; k < G_N_ELEMENTS (defects); k++)
    {
      const Defect *d = &defects[k];
      g_autofree char *dir = copy_example ();
      make_defect (dir, d);
      g_autofree char *config = g_build_filename (dir, "simulation_config.json", NULL);
      g_autofree char *file = g_build_filename (dir, d->drop != NULL ? NODES : d->file, NULL);
      g_autoptr (GError) error = NULL;
      g_autoptr (WslfpDataset) ds = wslfp_sonata_open (config, NULL, &error);
      if (ds != NULL || error == NULL || strstr (error->message, d->fragment) == NULL
          || strstr (error->message, file) == NULL)
        g_error ("defect %u: %s; expected a message naming %s and saying \"%s\"", k,
                 error != NULL ? error->message : "opened", file, d->fragment);
      remove_tree (dir);
    }
}

/* Nodes without node_group_id and node_group_index are all in group 0,
 * each at its own row (the SONATA defaults): the example with those
 * datasets deleted (they hold exactly that) gives the same sources. */
static void
test_sonata_implicit_node_groups (void)
{
  g_autofree char *dir = copy_example ();
  g_autofree char *nodes = g_build_filename (dir, NODES, NULL);
  const char *links[] = { "/nodes/internal/node_group_id", "/nodes/internal/node_group_index", NULL };
  delete_links (nodes, links);
  g_autoptr (WslfpDataset) a = NULL;
  g_autoptr (WslfpDataset) b = NULL;
  open_example_and_copy (dir, &a, &b);
  g_assert_cmpuint (b->n_sources, ==, a->n_sources);
  g_assert_cmpmem (b->sources_um, 3 * a->n_sources * sizeof (double), a->sources_um, 3 * a->n_sources * sizeof (double));
  g_assert_cmpuint (b->n_orientations, ==, a->n_orientations);
  g_assert_cmpmem (b->orientation, 3 * a->n_orientations * sizeof (double), a->orientation,
                   3 * a->n_orientations * sizeof (double));
  assert_same_connections (a, b);
  remove_tree (dir);
}

static void
test_sonata_no_leaks (void)
{
  g_autofree char *path = example_config ();
  wslfp_test_assert_no_growth ("reading a SONATA configuration", read_config_cycle, path, 200);
}

/* A JSON file dropped on the Explorer is a network when its top level has
 * any of a SONATA config's keys, and no probeinterface "probes"; a file
 * that is not JSON, or not named .json, is not. */
static void
test_sonata_sniff (void)
{
  g_autofree char *dir = g_dir_make_tmp ("wslfp-sniff-XXXXXX", NULL);
  const struct { const char *name, *text; gboolean network; } cases[] = {
    { "a.json", "{\"networks\": {}}", TRUE },
    { "b.json", "{\"network\": \"circuit.json\"}", TRUE },
    { "c.json", "{\"simulation\": {}}", TRUE },
    { "d.json", "{\"run\": {\"tstop\": 100}}", TRUE },
    { "e.json", "{\"manifest\": {}}", TRUE },
    { "F.JSON", "{\"networks\": {}}", TRUE },
    { "g.json", "{\"probes\": [], \"networks\": {}}", FALSE },
    { "h.json", "{\"specification\": \"probeinterface\", \"probes\": []}", FALSE },
    { "i.json", "{}", FALSE },
    { "j.json", "{\"networks\": ", FALSE },
    { "k.csv", "{\"networks\": {}}", FALSE },
  };
  for (guint k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      g_autofree char *path = g_build_filename (dir, cases[k].name, NULL);
      g_assert_true (g_file_set_contents (path, cases[k].text, -1, NULL));
      if (wslfp_sonata_config_sniff (path) != cases[k].network)
        g_error ("%s (%s): %s a network", cases[k].name, cases[k].text, cases[k].network ? "not" : "taken for");
      g_unlink (path);
    }
  g_autofree char *missing = g_build_filename (dir, "missing.json", NULL);
  g_assert_false (wslfp_sonata_config_sniff (missing));
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sonata/example", test_sonata_example);
  g_test_add_func ("/sonata/write-round-trip", test_sonata_write_round_trip);
  g_test_add_func ("/sonata/implicit-group-index", test_sonata_implicit_group_index);
  g_test_add_func ("/sonata/source-values", test_sonata_source_values);
  g_test_add_func ("/sonata/bad-configs", test_sonata_bad_configs);
  g_test_add_func ("/sonata/types", test_sonata_types);
  g_test_add_func ("/sonata/nest-files", test_sonata_nest_files);
  g_test_add_func ("/sonata/panels", test_sonata_panels);
  g_test_add_func ("/sonata/spike-files", test_sonata_spike_files);
  g_test_add_func ("/sonata/inline-node-sets", test_sonata_inline_node_sets);
  g_test_add_func ("/sonata/damaged-networks", test_sonata_damaged_networks);
  g_test_add_func ("/sonata/not-text", test_sonata_not_text);
  g_test_add_func ("/sonata/implicit-node-groups", test_sonata_implicit_node_groups);
  g_test_add_func ("/sonata/sniff", test_sonata_sniff);
  g_test_add_func ("/sonata/no-leaks", test_sonata_no_leaks);
  return g_test_run ();
}
