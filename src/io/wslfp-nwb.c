/* wslfp-nwb.c: NWB 2.7.0 files.  The layout follows what pynwb writes for
 * an LFP: every typed object carries namespace, neurodata_type and a
 * random object_id; text is variable-length UTF-8; links are soft links;
 * the specifications are cached under /specifications, which the root's
 * .specloc attribute references. */
#include "wslfp-nwb.h"

#include <math.h>
#include <string.h>

#include "wslfp-h5.h"

#define NWB_VERSION "2.7.0"
#define PROBE_NAME "probe"
#define EPHYS "/general/extracellular_ephys"
#define SERIES "/processing/ecephys/LFP/ElectricalSeries"

typedef struct
{
  hid_t f;
  gboolean ok;
  const char *failed; /* the first object that could not be written */
} Writer;

static hid_t
text_type (void)
{
  hid_t t = H5Tcopy (H5T_C_S1);
  H5Tset_size (t, H5T_VARIABLE);
  H5Tset_cset (t, H5T_CSET_UTF8);
  return t;
}

static void
check (Writer *w, gboolean ok, const char *what)
{
  if (!ok && w->ok)
    {
      w->ok = FALSE;
      w->failed = what;
    }
}

static void
put_attr (Writer *w, const char *obj, const char *name, hid_t type, hid_t space, const void *value)
{
  if (!w->ok)
    return;
  hid_t o = H5Oopen (w->f, obj, H5P_DEFAULT);
  hid_t a = o >= 0 ? H5Acreate2 (o, name, type, space, H5P_DEFAULT, H5P_DEFAULT) : -1;
  check (w, a >= 0 && H5Awrite (a, type, value) >= 0, obj);
  if (a >= 0)
    H5Aclose (a);
  if (o >= 0)
    H5Oclose (o);
}

static void
attr_text (Writer *w, const char *obj, const char *name, const char *value)
{
  hid_t t = text_type (), s = H5Screate (H5S_SCALAR);
  put_attr (w, obj, name, t, s, &value);
  H5Sclose (s);
  H5Tclose (t);
}

static void
attr_texts (Writer *w, const char *obj, const char *name, const char *const *values, hsize_t n)
{
  hid_t t = text_type (), s = H5Screate_simple (1, &n, NULL);
  put_attr (w, obj, name, t, s, values);
  H5Sclose (s);
  H5Tclose (t);
}

static void
attr_float (Writer *w, const char *obj, const char *name, float value)
{
  hid_t s = H5Screate (H5S_SCALAR);
  put_attr (w, obj, name, H5T_NATIVE_FLOAT, s, &value);
  H5Sclose (s);
}

static void
attr_int (Writer *w, const char *obj, const char *name, int value)
{
  hid_t s = H5Screate (H5S_SCALAR);
  put_attr (w, obj, name, H5T_NATIVE_INT32, s, &value);
  H5Sclose (s);
}

static void
attr_ref (Writer *w, const char *obj, const char *name, const char *target)
{
  hobj_ref_t ref;
  if (w->ok && H5Rcreate (&ref, w->f, target, H5R_OBJECT, -1) < 0)
    check (w, FALSE, target);
  hid_t s = H5Screate (H5S_SCALAR);
  put_attr (w, obj, name, H5T_STD_REF_OBJ, s, &ref);
  H5Sclose (s);
}

/* namespace, neurodata_type, object_id. */
static void
typed (Writer *w, const char *obj, const char *ns, const char *type)
{
  g_autofree char *id = g_uuid_string_random ();
  attr_text (w, obj, "namespace", ns);
  attr_text (w, obj, "neurodata_type", type);
  attr_text (w, obj, "object_id", id);
}

static void
group (Writer *w, const char *path)
{
  if (!w->ok)
    return;
  hid_t lcpl = H5Pcreate (H5P_LINK_CREATE);
  H5Pset_create_intermediate_group (lcpl, 1);
  hid_t g = H5Gcreate2 (w->f, path, lcpl, H5P_DEFAULT, H5P_DEFAULT);
  check (w, g >= 0, path);
  if (g >= 0)
    H5Gclose (g);
  H5Pclose (lcpl);
}

static void
dataset (Writer *w, const char *path, hid_t file_type, hid_t mem_type, int rank, const hsize_t *dims,
         const void *data)
{
  if (!w->ok)
    return;
  hid_t lcpl = H5Pcreate (H5P_LINK_CREATE);
  H5Pset_create_intermediate_group (lcpl, 1);
  hid_t s = rank == 0 ? H5Screate (H5S_SCALAR) : H5Screate_simple (rank, dims, NULL);
  hid_t d = H5Dcreate2 (w->f, path, file_type, s, lcpl, H5P_DEFAULT, H5P_DEFAULT);
  hsize_t n = 1;
  for (int k = 0; k < rank; k++)
    n *= dims[k];
  check (w, d >= 0 && (n == 0 || H5Dwrite (d, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) >= 0), path);
  if (d >= 0)
    H5Dclose (d);
  H5Sclose (s);
  H5Pclose (lcpl);
}

static void
dataset_text (Writer *w, const char *path, const char *value)
{
  hid_t t = text_type ();
  dataset (w, path, t, t, 0, NULL, &value);
  H5Tclose (t);
}

static void
dataset_texts (Writer *w, const char *path, const char *const *values, hsize_t n)
{
  hid_t t = text_type ();
  dataset (w, path, t, t, 1, &n, values);
  H5Tclose (t);
}

/* Whether the times are t0 + i/rate to within 1e-6 of a step, with the
 * rate as NWB stores it (float32). */
static gboolean
evenly_sampled (const WslfpLfp *lfp, float *rate_hz)
{
  if (lfp->n_times < 2)
    return FALSE;
  double step = (lfp->t_ms[lfp->n_times - 1] - lfp->t_ms[0]) / (double) (lfp->n_times - 1);
  if (!(step > 0))
    return FALSE;
  *rate_hz = (float) (1000.0 / step);
  for (gsize i = 0; i < lfp->n_times; i++)
    if (fabs (lfp->t_ms[0] + 1000.0 * (double) i / (double) *rate_hz - lfp->t_ms[i]) > 1e-6 * step)
      return FALSE;
  return TRUE;
}

static void describe_wslfp (GString *s, const WslfpLfp *lfp);

static char *
describe_settings (const WslfpLfp *lfp)
{
  g_autoptr (GString) s = g_string_new (NULL);
  if (lfp->proxy == WSLFP_PROXY_TKLFP)
    {
      g_string_append_printf (s, "Kernel LFP proxy (TKLFP, Telenczuk, Telenczuk and Destexhe 2020) of a simulated "
                                 "network, computed by %s from spikes: sigma_exc %g ms, sigma_inh %g ms, lambda %g mm, "
                                 "axonal velocity %g m/s, delay %g ms, the paper's depth profiles (%s)",
                              lfp->program ? lfp->program : "wslfp", lfp->tklfp.sigma_exc_ms, lfp->tklfp.sigma_inh_ms,
                              lfp->tklfp.lambda_mm, lfp->tklfp.va_m_s, lfp->tklfp.delay_ms,
                              lfp->profile ? lfp->profile : "?");
    }
  else
    describe_wslfp (s, lfp);
  if (lfp->t_eval != NULL)
    g_string_append_printf (s, ", evaluation times %s ms", lfp->t_eval);
  g_string_append_printf (s, "; input %s; probe %s.", lfp->input_path ? lfp->input_path : "?",
                          lfp->probe ? lfp->probe : "the dataset's");
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static void
describe_wslfp (GString *s, const WslfpLfp *lfp)
{
  g_string_append_printf (s, "Weighted-sum LFP proxy (WSLFP, Mazzoni, Linden et al. 2015) of a simulated network, "
                             "computed by %s: amplitude profile %s, %s, from %s, alpha %g, tau_AMPA %g ms, "
                             "tau_GABA %g ms",
                          lfp->program ? lfp->program : "wslfp", lfp->profile ? lfp->profile : "?",
                          lfp->population ? "population mode" : "per neuron",
                          lfp->from_spikes ? "spikes" : "currents", lfp->alpha, lfp->tau_ampa_ms, lfp->tau_gaba_ms);
  if (lfp->normalized)
    g_string_append (s, ", normalised per contact (zero mean, unit standard deviation times the mean amplitude)");
  if (lfp->kernel != NULL)
    g_string_append_printf (s, ", kernel scale %s", lfp->kernel);
  if (lfp->dendrite_length_um > 0)
    g_string_append_printf (s, ", dendrite length %g um", lfp->dendrite_length_um);
}

static void
write_specifications (Writer *w)
{
  group (w, "/specifications");
  for (const WslfpNwbSpec *s = wslfp_nwb_specs; s->namespace_name != NULL; s++)
    {
      g_autofree char *path = g_strdup_printf ("/specifications/%s/%s/%s", s->namespace_name, s->version, s->source);
      dataset_text (w, path, s->json);
    }
  attr_ref (w, "/", ".specloc", "/specifications");
}

static gboolean
write_nwb (const WslfpLfp *lfp, const WslfpAtomicFile *out, GError **error)
{
  gsize T = lfp->n_times, E = lfp->n_electrodes;
  hid_t f = wslfp_h5_create_output (out, error);
  if (f < 0)
    return FALSE;
  Writer w = { f, TRUE, NULL };

  /* The file */
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format_iso8601 (now);
  g_autofree char *identifier = g_uuid_string_random ();
  typed (&w, "/", "core", "NWBFile");
  attr_text (&w, "/", "nwb_version", NWB_VERSION);
  dataset_text (&w, "/identifier", identifier);
  g_autofree char *session = g_strdup_printf ("LFP proxy of a simulated network (%s)",
                                              lfp->input_path ? lfp->input_path : "wslfp");
  dataset_text (&w, "/session_description", session);
  dataset_text (&w, "/session_start_time", stamp);
  dataset_text (&w, "/timestamps_reference_time", stamp);
  const char *dates[] = { stamp };
  dataset_texts (&w, "/file_create_date", dates, 1);
  const char *groups[] = { "/acquisition", "/analysis", "/processing", "/stimulus/presentation",
                           "/stimulus/templates", "/general/devices", EPHYS };
  for (gsize k = 0; k < G_N_ELEMENTS (groups); k++)
    group (&w, groups[k]);
  dataset_text (&w, "/general/source_script", lfp->command ? lfp->command : "wslfp");
  attr_text (&w, "/general/source_script", "file_name", "wslfp");

  /* The probe: a device, a group per shank, the electrodes table */
  const char *device = "/general/devices/" PROBE_NAME;
  group (&w, device);
  typed (&w, device, "core", "Device");
  g_autofree char *device_doc = g_strdup_printf ("Simulated probe: %s", lfp->probe ? lfp->probe : "given");
  attr_text (&w, device, "description", device_doc);
  int n_shanks = MAX (lfp->n_shanks, 1);
  g_autoptr (GPtrArray) group_paths = g_ptr_array_new_with_free_func (g_free);
  for (int s = 0; s < n_shanks; s++)
    {
      char *path = g_strdup_printf (EPHYS "/shank%d", s);
      g_ptr_array_add (group_paths, path);
      group (&w, path);
      typed (&w, path, "core", "ElectrodeGroup");
      g_autofree char *doc = g_strdup_printf ("shank %d of the probe", s);
      attr_text (&w, path, "description", doc);
      attr_text (&w, path, "location", "simulated network (positions in the network's coordinates, um)");
      g_autofree char *link = g_strdup_printf ("%s/device", path);
      if (w.ok)
        check (&w, H5Lcreate_soft (device, f, link, H5P_DEFAULT, H5P_DEFAULT) >= 0, link);
    }
  const char *table = EPHYS "/electrodes";
  group (&w, table);
  typed (&w, table, "hdmf-common", "DynamicTable");
  const char *colnames[] = { "x", "y", "z", "location", "group", "group_name" };
  attr_texts (&w, table, "colnames", colnames, G_N_ELEMENTS (colnames));
  attr_text (&w, table, "description", "the probe's contacts; x, y, z in micrometres (um), in the coordinates "
                                       "of the simulated network");
  hsize_t e_dims[1] = { E };
  g_autofree gint64 *ids = g_new (gint64, MAX (E, 1));
  g_autofree double *coord = g_new (double, MAX (E, 1));
  g_autofree hobj_ref_t *refs = g_new0 (hobj_ref_t, MAX (E, 1));
  g_autofree const char **names = g_new0 (const char *, MAX (E, 1));
  g_autofree const char **locations = g_new0 (const char *, MAX (E, 1));
  for (gsize e = 0; e < E; e++)
    {
      ids[e] = (gint64) e;
      int s = CLAMP (lfp->shank[e], 0, n_shanks - 1);
      names[e] = strrchr (group_paths->pdata[s], '/') + 1;
      locations[e] = "simulated network";
      if (w.ok)
        check (&w, H5Rcreate (&refs[e], f, group_paths->pdata[s], H5R_OBJECT, -1) >= 0, group_paths->pdata[s]);
    }
  dataset (&w, EPHYS "/electrodes/id", H5T_STD_I64LE, H5T_NATIVE_INT64, 1, e_dims, ids);
  typed (&w, EPHYS "/electrodes/id", "hdmf-common", "ElementIdentifiers");
  const char *axes[] = { "x", "y", "z" };
  for (int k = 0; k < 3; k++)
    {
      g_autofree char *path = g_strdup_printf ("%s/%s", table, axes[k]);
      for (gsize e = 0; e < E; e++)
        coord[e] = lfp->electrodes_um[3 * e + k];
      dataset (&w, path, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1, e_dims, coord);
      typed (&w, path, "hdmf-common", "VectorData");
      g_autofree char *doc = g_strdup_printf ("%s coordinate of the contact, in micrometres (um), in the "
                                              "simulated network's coordinates", axes[k]);
      attr_text (&w, path, "description", doc);
    }
  hid_t tt = text_type ();
  dataset (&w, EPHYS "/electrodes/location", tt, tt, 1, e_dims, locations);
  typed (&w, EPHYS "/electrodes/location", "hdmf-common", "VectorData");
  attr_text (&w, EPHYS "/electrodes/location", "description", "where the contact is");
  dataset (&w, EPHYS "/electrodes/group", H5T_STD_REF_OBJ, H5T_STD_REF_OBJ, 1, e_dims, refs);
  typed (&w, EPHYS "/electrodes/group", "hdmf-common", "VectorData");
  attr_text (&w, EPHYS "/electrodes/group", "description", "the ElectrodeGroup (shank) of the contact");
  dataset (&w, EPHYS "/electrodes/group_name", tt, tt, 1, e_dims, names);
  typed (&w, EPHYS "/electrodes/group_name", "hdmf-common", "VectorData");
  attr_text (&w, EPHYS "/electrodes/group_name", "description", "the name of the contact's ElectrodeGroup");
  H5Tclose (tt);

  /* The LFP */
  group (&w, "/processing/ecephys");
  typed (&w, "/processing/ecephys", "core", "ProcessingModule");
  attr_text (&w, "/processing/ecephys", "description", "extracellular potentials computed from the network");
  group (&w, "/processing/ecephys/LFP");
  typed (&w, "/processing/ecephys/LFP", "core", "LFP");
  group (&w, SERIES);
  typed (&w, SERIES, "core", "ElectricalSeries");
  g_autofree char *doc = describe_settings (lfp);
  attr_text (&w, SERIES, "description", doc);
  attr_text (&w, SERIES, "comments", lfp->command ? lfp->command : "no comments");
  g_autofree float *data = g_try_new (float, MAX (T * E, 1));
  if (data == NULL)
    {
      H5Fclose (f);
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_WRITE, "out of memory writing %s", out->path);
      return FALSE;
    }
  for (gsize i = 0; i < T * E; i++)
    data[i] = (float) lfp->uv[i];
  hsize_t d_dims[2] = { T, E };
  dataset (&w, SERIES "/data", H5T_IEEE_F32LE, H5T_NATIVE_FLOAT, 2, d_dims, data);
  attr_float (&w, SERIES "/data", "conversion", 1e-6f);
  attr_float (&w, SERIES "/data", "offset", 0.0f);
  attr_float (&w, SERIES "/data", "resolution", -1.0f);
  attr_text (&w, SERIES "/data", "unit", "volts");
  float rate;
  if (evenly_sampled (lfp, &rate))
    {
      double t0 = lfp->t_ms[0] / 1000.0;
      dataset (&w, SERIES "/starting_time", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 0, NULL, &t0);
      attr_float (&w, SERIES "/starting_time", "rate", rate);
      attr_text (&w, SERIES "/starting_time", "unit", "seconds");
    }
  else
    {
      g_autofree double *t_s = g_new (double, MAX (T, 1));
      for (gsize i = 0; i < T; i++)
        t_s[i] = lfp->t_ms[i] / 1000.0;
      hsize_t t_dims[1] = { T };
      dataset (&w, SERIES "/timestamps", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, 1, t_dims, t_s);
      attr_int (&w, SERIES "/timestamps", "interval", 1);
      attr_text (&w, SERIES "/timestamps", "unit", "seconds");
    }
  dataset (&w, SERIES "/electrodes", H5T_STD_I64LE, H5T_NATIVE_INT64, 1, e_dims, ids);
  typed (&w, SERIES "/electrodes", "hdmf-common", "DynamicTableRegion");
  attr_text (&w, SERIES "/electrodes", "description", "the contacts of this LFP, one per column of data");
  attr_ref (&w, SERIES "/electrodes", "table", table);

  write_specifications (&w);
  if (!w.ok)
    g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_WRITE, "cannot write %s in %s", w.failed, out->path);
  return wslfp_h5_finish_output (out, f, w.ok, error);
}

gboolean
wslfp_nwb_write (const WslfpLfp *lfp, const char *path, GError **error)
{
  WslfpAtomicFile out;
  wslfp_h5_init ();
  if (!wslfp_atomic_begin (&out, path, error))
    return FALSE;
  if (!write_nwb (lfp, &out, error))
    {
      wslfp_atomic_abort (&out);
      return FALSE;
    }
  return wslfp_atomic_commit (&out, error);
}

/* --- reading ------------------------------------------------------------ */

/* The text attribute @name of @obj (in @file), or NULL. */
static char *
read_attr_text (hid_t file, const char *obj, const char *name)
{
  hid_t o = H5Oopen (file, obj, H5P_DEFAULT);
  if (o < 0)
    return NULL;
  g_autofree char *where = g_strdup_printf ("%s", obj);
  GError *ignored = NULL;
  char *v = wslfp_h5_attr_string (o, where, name, &ignored);
  g_clear_error (&ignored);
  H5Oclose (o);
  return v;
}

gboolean
wslfp_nwb_is_nwb (const char *path)
{
  wslfp_h5_init ();
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR) || H5Fis_hdf5 (path) <= 0)
    return FALSE;
  hid_t f = H5Fopen (path, H5F_ACC_RDONLY, H5P_DEFAULT);
  if (f < 0)
    return FALSE;
  g_autofree char *type = read_attr_text (f, "/", "neurodata_type");
  H5Fclose (f);
  return g_strcmp0 (type, "NWBFile") == 0;
}

typedef struct
{
  hid_t file;
  char *found;
  int rank; /* 0: processing …/LFP, 1: acquisition, 2: elsewhere */
} Search;

static herr_t
find_series_cb (hid_t obj, const char *name, const H5O_info_t *info, void *data)
{
  Search *s = data;
  if (info->type != H5O_TYPE_GROUP)
    return 0;
  g_autofree char *path = g_strdup_printf ("/%s", name);
  g_autofree char *type = read_attr_text (s->file, path, "neurodata_type");
  if (g_strcmp0 (type, "ElectricalSeries") != 0)
    return 0;
  int rank = g_str_has_prefix (path, "/processing/") && strstr (path, "/LFP/") != NULL ? 0
             : g_str_has_prefix (path, "/acquisition/")                             ? 1
                                                                                     : 2;
  if (s->found == NULL || rank < s->rank)
    {
      g_free (s->found);
      s->found = g_steal_pointer (&path);
      s->rank = rank;
    }
  return 0;
}

/* A numeric attribute of @obj: TRUE when absent (*@value unchanged) or
 * read, FALSE (naming it) when it is there but not one number. */
static gboolean
attr_number (hid_t file, const char *path, const char *obj, const char *name, double *value, GError **error)
{
  hid_t o = H5Oopen (file, obj, H5P_DEFAULT);
  if (o < 0)
    return TRUE;
  g_autofree char *where = g_strdup_printf ("%s: %s", path, obj);
  gboolean ok = wslfp_h5_attr_number (o, where, name, value, NULL, error);
  H5Oclose (o);
  return ok;
}

/* The path of the object an object-reference attribute points to. */
static char *
attr_ref_target (hid_t file, const char *obj, const char *name)
{
  hid_t o = H5Oopen (file, obj, H5P_DEFAULT);
  if (o < 0)
    return NULL;
  char *path = NULL;
  if (H5Aexists (o, name) > 0)
    {
      hid_t a = H5Aopen (o, name, H5P_DEFAULT);
      hid_t t = H5Aget_type (a);
      hobj_ref_t ref;
      if (H5Tget_class (t) == H5T_REFERENCE && H5Aread (a, H5T_STD_REF_OBJ, &ref) >= 0)
        {
          hid_t target = H5Rdereference2 (o, H5P_DEFAULT, H5R_OBJECT, &ref);
          if (target >= 0)
            {
              ssize_t n = H5Iget_name (target, NULL, 0);
              if (n > 0 && n < 4096)
                {
                  path = g_malloc ((gsize) n + 1);
                  H5Iget_name (target, path, (size_t) n + 1);
                }
              H5Oclose (target);
            }
        }
      H5Tclose (t);
      H5Aclose (a);
    }
  H5Oclose (o);
  return path;
}

/* Reads @series of @f into @lfp. */
static gboolean
read_series (hid_t f, const char *path, const char *series, WslfpLfp *lfp, GError **error)
{
  hsize_t dims[2], tdims[2];
  g_autofree char *data_path = g_strdup_printf ("%s/data", series);
  int rank;
  if (!wslfp_h5_shape (f, path, data_path, &rank, dims, NULL, error))
    return FALSE;
  if (rank == 1)
    dims[1] = 1;
  if ((lfp->uv = wslfp_h5_read_doubles (f, path, data_path, rank == 1 ? 1 : 2, dims, error)) == NULL)
    return FALSE;
  if (rank == 1)
    dims[1] = 1;
  lfp->n_times = dims[0];
  lfp->n_electrodes = dims[1];
  gsize T = lfp->n_times, E = lfp->n_electrodes;
  /* to µV: data · conversion + offset volts, per channel · channel_conversion */
  double conversion = 1.0, offset = 0.0;
  if (!attr_number (f, path, data_path, "conversion", &conversion, error)
      || !attr_number (f, path, data_path, "offset", &offset, error))
    return FALSE;
  g_autofree char *unit = read_attr_text (f, data_path, "unit");
  double to_uv = 1e6;
  if (unit != NULL && (strcmp (unit, "mV") == 0 || strcmp (unit, "millivolts") == 0))
    to_uv = 1e3;
  else if (unit != NULL && (strcmp (unit, "uV") == 0 || strcmp (unit, "microvolts") == 0))
    to_uv = 1.0;
  else if (unit != NULL && strcmp (unit, "volts") != 0 && strcmp (unit, "V") != 0)
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT, "%s: %s has unit \"%s\"; expected volts", path,
                   data_path, unit);
      return FALSE;
    }
  g_autofree char *cc_path = g_strdup_printf ("%s/channel_conversion", series);
  g_autofree double *cc = NULL;
  if (wslfp_h5_exists (f, cc_path))
    {
      hsize_t cd[2];
      if ((cc = wslfp_h5_read_doubles (f, path, cc_path, 1, cd, error)) == NULL)
        return FALSE;
      if (cd[0] != E)
        {
          g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT, "%s: %s has %llu values; expected %zu", path,
                       cc_path, (unsigned long long) cd[0], E);
          return FALSE;
        }
    }
  for (gsize i = 0; i < T; i++)
    for (gsize e = 0; e < E; e++)
      {
        double *v = &lfp->uv[i * E + e];
        *v = (*v * conversion * (cc ? cc[e] : 1.0) + offset) * to_uv;
      }
  /* times in ms */
  g_autofree char *ts_path = g_strdup_printf ("%s/timestamps", series);
  g_autofree char *st_path = g_strdup_printf ("%s/starting_time", series);
  if (wslfp_h5_exists (f, ts_path))
    {
      if ((lfp->t_ms = wslfp_h5_read_doubles (f, path, ts_path, 1, tdims, error)) == NULL)
        return FALSE;
      if (tdims[0] != T)
        {
          g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT, "%s: %s has %llu times for %zu samples", path,
                       ts_path, (unsigned long long) tdims[0], T);
          return FALSE;
        }
      for (gsize i = 0; i < T; i++)
        lfp->t_ms[i] *= 1000.0;
    }
  else
    {
      g_autofree double *t0 = wslfp_h5_read_doubles (f, path, st_path, 0, tdims, error);
      double rate = 0;
      if (t0 == NULL)
        return FALSE;
      if (!attr_number (f, path, st_path, "rate", &rate, error))
        return FALSE;
      if (!(rate > 0) || !isfinite (rate))
        {
          g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT, "%s: %s has no positive rate attribute", path,
                       st_path);
          return FALSE;
        }
      lfp->t_ms = g_new (double, MAX (T, 1));
      for (gsize i = 0; i < T; i++)
        lfp->t_ms[i] = 1000.0 * (t0[0] + (double) i / rate);
    }
  for (gsize i = 1; i < T; i++)
    if (!(lfp->t_ms[i] > lfp->t_ms[i - 1]))
      {
        g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID, "%s: the times of %s are not increasing at %zu",
                     path, series, i);
        return FALSE;
      }
  /* the contacts: the electrodes table's rows this series names */
  lfp->electrodes_um = g_new0 (double, 3 * MAX (E, 1));
  lfp->shank = g_new0 (int, MAX (E, 1));
  lfp->n_shanks = 1;
  g_autofree char *region = g_strdup_printf ("%s/electrodes", series);
  g_autofree char *table = wslfp_h5_exists (f, region) ? attr_ref_target (f, region, "table") : NULL;
  if (table != NULL)
    {
      hsize_t rd[2];
      g_autofree gint64 *rows = wslfp_h5_read_ints (f, path, region, 1, rd, error);
      if (rows == NULL)
        return FALSE;
      if (rd[0] != E)
        {
          g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT, "%s: %s names %llu electrodes for %zu channels",
                       path, region, (unsigned long long) rd[0], E);
          return FALSE;
        }
      const char *axes[] = { "x", "y", "z" };
      for (int k = 0; k < 3; k++)
        {
          g_autofree char *col = g_strdup_printf ("%s/%s", table, axes[k]);
          if (!wslfp_h5_exists (f, col))
            continue;
          hsize_t cd[2];
          g_autofree double *v = wslfp_h5_read_doubles (f, path, col, 1, cd, error);
          if (v == NULL)
            return FALSE;
          for (gsize e = 0; e < E; e++)
            {
              if (rows[e] < 0 || (hsize_t) rows[e] >= cd[0])
                {
                  g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID, "%s: %s[%zu] = %lld is not a row of %s",
                               path, region, e, (long long) rows[e], table);
                  return FALSE;
                }
              lfp->electrodes_um[3 * e + k] = v[rows[e]];
            }
        }
      g_autofree char *gn = g_strdup_printf ("%s/group_name", table);
      gsize n_names = 0;
      g_auto (GStrv) names = wslfp_h5_exists (f, gn) ? wslfp_h5_read_strings (f, path, gn, &n_names, NULL) : NULL;
      if (names != NULL)
        {
          g_autoptr (GPtrArray) seen = g_ptr_array_new ();
          for (gsize e = 0; e < E; e++)
            {
              if (rows[e] < 0 || (gsize) rows[e] >= n_names)
                continue;
              guint k;
              if (!g_ptr_array_find_with_equal_func (seen, names[rows[e]], g_str_equal, &k))
                {
                  g_ptr_array_add (seen, names[rows[e]]);
                  k = seen->len - 1;
                }
              lfp->shank[e] = (int) k;
            }
          lfp->n_shanks = MAX ((int) seen->len, 1);
        }
    }
  g_autofree char *description = read_attr_text (f, series, "description");
  lfp->profile = g_strdup ("recorded (NWB)");
  lfp->probe = g_strdup_printf ("%s, %s", series, description ? description : "");
  lfp->input_path = g_canonicalize_filename (path, NULL);
  lfp->input_size_bytes = -1;
  lfp->command = read_attr_text (f, series, "comments");
  lfp->program = read_attr_text (f, "/general/source_script", "file_name");
  return TRUE;
}

static WslfpLfp *
nwb_read (const char *path, GError **error)
{
  hid_t f = wslfp_h5_open_read (path, error);
  if (f < 0)
    return NULL;
  Search s = { f, NULL, 3 };
  H5Ovisit (f, H5_INDEX_NAME, H5_ITER_INC, find_series_cb, &s);
  g_autofree char *series = s.found;
  g_autoptr (WslfpLfp) lfp = g_new0 (WslfpLfp, 1);
  gboolean ok = series != NULL;
  if (!ok)
    g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT,
                 "%s: no ElectricalSeries (an NWB file without extracellular recordings)", path);
  else
    ok = read_series (f, path, series, lfp, error);
  H5Fclose (f);
  return ok ? g_steal_pointer (&lfp) : NULL;
}

WslfpLfp *
wslfp_nwb_read (const char *path, GError **error)
{
  wslfp_h5_watch ("reading", path);
  WslfpLfp *lfp = nwb_read (path, error);
  wslfp_h5_watch ("read", path);
  return lfp;
}
