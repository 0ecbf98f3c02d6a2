/* wslfp-sonata-spikes.c: the spikes: SONATA spike files (and the legacy
 * layout), the inputs, NEST spike-recorder files. */
#include "wslfp-sonata-private.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>

#include "wslfp-h5.h"

#include "wslfp-nest-spikes.h"

/* The factor from a spike file's time unit to ms. */
static gboolean
time_unit (hid_t f, const char *file, const char *dataset, const char *group, double *scale, GError **error)
{
  *scale = 1.0;
  const char *owners[] = { dataset, group };
  for (int k = 0; k < 2; k++)
    {
      hid_t o = H5Oopen (f, owners[k], H5P_DEFAULT);
      if (o < 0)
        continue;
      g_autofree char *where = g_strdup_printf ("%s: %s", file, owners[k]);
      g_autofree char *units = wslfp_h5_attr_string (o, where, "units", error);
      H5Oclose (o);
      if (error != NULL && *error != NULL)
        return FALSE;
      if (units == NULL)
        continue;
      if (strcmp (units, "ms") == 0)
        *scale = 1.0;
      else if (strcmp (units, "s") == 0)
        *scale = 1000.0;
      else
        {
          g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID,
                       "%s attribute units is \"%s\"; spike times must be in ms or s", where, units);
          return FALSE;
        }
      return TRUE;
    }
  return TRUE;
}

/* The spikes of one population in a SONATA spike file (@group holds
 * timestamps and node_ids, or the legacy gids). */
static gboolean
read_spike_group (Reader *r, hid_t f, const char *file, const char *group, const char *population, GError **error)
{
  Population *p = sonata_find_population (r, population);
  if (p == NULL)
    {
      g_autofree char *names = sonata_population_names (r);
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID,
                   "%s: %s holds spikes of population %s, which the network lacks (%s has %s)", file, group,
                   population, r->config->path, names);
      return FALSE;
    }
  g_autofree char *t_path = g_strdup_printf ("%s/timestamps", group);
  g_autofree char *id_path = g_strdup_printf ("%s/node_ids", group);
  if (!wslfp_h5_exists (f, id_path))
    {
      g_free (id_path);
      id_path = g_strdup_printf ("%s/gids", group);
    }
  hsize_t td[2], id_dims[2];
  g_autofree double *t = wslfp_h5_read_doubles (f, file, t_path, 1, td, error);
  if (t == NULL)
    return FALSE;
  g_autofree gint64 *ids = wslfp_h5_read_ints (f, file, id_path, 1, id_dims, error);
  if (ids == NULL)
    return FALSE;
  if (id_dims[0] != td[0])
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT, "%s: %s has %llu values but %s has %llu", file,
                   id_path, (unsigned long long) id_dims[0], t_path, (unsigned long long) td[0]);
      return FALSE;
    }
  double scale;
  if (!time_unit (f, file, t_path, group, &scale, error))
    return FALSE;
  for (gsize k = 0; k < td[0]; k++)
    {
      gint64 row = sonata_population_row (p, ids[k]);
      if (row < 0)
        {
          g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID,
                       "%s: %s[%zu] = %lld is not a node of population %s (%zu nodes)", file, id_path, k,
                       (long long) ids[k], population, p->n);
          return FALSE;
        }
      double ms = t[k] * scale;
      gint64 node = (gint64) p->offset + row;
      g_array_append_val (r->spike_t, ms);
      g_array_append_val (r->spike_node, node);
    }
  return TRUE;
}

static gboolean
read_spike_file (Reader *r, const char *file, const char *default_population, const char *origin, GError **error)
{
  if (!g_file_test (file, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_OPEN, "%s (%s) does not exist", file, origin);
      return FALSE;
    }
  sonata_note_file (r, file);
  hid_t f = wslfp_h5_open_read (file, error);
  if (f < 0)
    return FALSE;
  gboolean ok = TRUE;
  if (wslfp_h5_exists (f, "/spikes/timestamps"))
    {
      /* The legacy layout: one population, named by the input's node set. */
      if (default_population == NULL && r->populations->len == 1)
        default_population = ((Population *) r->populations->pdata[0])->name;
      if (default_population == NULL)
        {
          g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT,
                       "%s: /spikes/timestamps has no population (SONATA's /spikes/<population>/ layout); name it in "
                       "the input's node_set ({\"population\": …})", file);
          ok = FALSE;
        }
      else
        ok = read_spike_group (r, f, file, "/spikes", default_population, error);
    }
  else
    {
      g_autoptr (GPtrArray) names = sonata_child_groups (f, "/spikes");
      if (names->len == 0)
        {
          g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT,
                       "%s: no spikes (neither /spikes/<population>/timestamps nor /spikes/timestamps)", file);
          ok = FALSE;
        }
      for (guint k = 0; k < names->len && ok; k++)
        {
          g_autofree char *group = g_strdup_printf ("/spikes/%s", (char *) names->pdata[k]);
          ok = read_spike_group (r, f, file, group, names->pdata[k], error);
        }
    }
  H5Fclose (f);
  return ok;
}

static gboolean
read_nest_file (Reader *r, const char *file, GError **error)
{
  g_autofree gint64 *ids = NULL;
  g_autofree double *t = NULL;
  gsize n = 0;
  double resolution = r->config->has_run ? r->config->dt_ms : 0.0;
  sonata_note_file (r, file);
  if (!wslfp_nest_spikes_read (file, resolution, &ids, &t, &n, error))
    return FALSE;
  for (gsize k = 0; k < n; k++)
    {
      gint64 node = ids[k] - 1 - r->options->nest_id_offset;
      if (node < 0 || (guint64) node >= r->n_nodes)
        {
          g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID,
                       "%s: spike %zu is of NEST id %lld, outside the network's ids %lld … %lld (NEST id = node + 1 + "
                       "%lld, nodes in the config's order; --nest-id-offset changes the offset)",
                       file, k, (long long) ids[k], (long long) (1 + r->options->nest_id_offset),
                       (long long) (r->n_nodes + (gsize) r->options->nest_id_offset), (long long) r->options->nest_id_offset);
          return FALSE;
        }
      g_array_append_val (r->spike_t, t[k]);
      g_array_append_val (r->spike_node, node);
    }
  return TRUE;
}

/* The spikes: the given files, or the config's output and its inputs. */
gboolean
sonata_read_spikes (Reader *r, char **problem)
{
  GError *error = NULL;
  gboolean ok = TRUE;
  const char *const *files = r->options->spike_files;
  if (files != NULL && files[0] != NULL)
    {
      for (gsize i = 0; files[i] != NULL && ok; i++)
        {
          if (wslfp_nest_spikes_is_nest (files[i]))
            ok = read_nest_file (r, files[i], &error);
          else
            ok = read_spike_file (r, files[i], NULL, "--spikes", &error);
        }
    }
  else if (r->config->spikes_file != NULL && g_file_test (r->config->spikes_file, G_FILE_TEST_EXISTS))
    ok = read_spike_file (r, r->config->spikes_file, NULL, r->config->spikes_origin, &error);
  else if (r->config->inputs->len == 0)
    {
      *problem = r->config->spikes_file != NULL
                   ? g_strdup_printf ("%s: no spikes: %s (%s) does not exist (run the simulation, or give spike "
                                      "files with --spikes)", r->config->path, r->config->spikes_file,
                                      r->config->spikes_origin)
                   : g_strdup_printf ("%s: no spikes: the config names no output.spikes_file and no spike inputs "
                                      "(give spike files with --spikes)", r->config->path);
      return TRUE;
    }
  /* The inputs' spikes come with either. */
  for (guint i = 0; i < r->config->inputs->len && ok; i++)
    {
      WslfpSonataInput *in = r->config->inputs->pdata[i];
      ok = read_spike_file (r, in->file, in->population, in->origin, &error);
    }
  if (!ok)
    {
      *problem = g_strdup (error->message);
      g_error_free (error);
    }
  return TRUE;
}

