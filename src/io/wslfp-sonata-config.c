/* wslfp-sonata-config.c: SONATA configs.  A config is JSON with a
 * "manifest" of path variables ("$NETWORK_DIR": "$BASE_DIR/network", any
 * nesting) used in the other strings; relative paths are relative to the
 * config's own folder.  A simulation config names its circuit in
 * "network" (or holds "networks" itself); BMTK also writes a config.json
 * that only names the two. */
#include "wslfp-sonata-config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "wslfp-dataset.h"
#include "wslfp-json.h"

/* Configs are small; a bigger file is not one. */
#define MAX_CONFIG_BYTES (16 << 20)
/* How deep variables may refer to variables (a cycle goes on forever). */
#define MAX_EXPANSION_DEPTH 32

static void
nodes_entry_free (gpointer p)
{
  WslfpSonataNodesEntry *e = p;
  g_free (e->nodes_file);
  g_free (e->node_types_file);
  g_free (e->origin);
  g_free (e);
}

static void
edges_entry_free (gpointer p)
{
  WslfpSonataEdgesEntry *e = p;
  g_free (e->edges_file);
  g_free (e->edge_types_file);
  g_free (e->origin);
  g_free (e);
}

static void
input_free (gpointer p)
{
  WslfpSonataInput *in = p;
  g_free (in->name);
  g_free (in->file);
  g_free (in->population);
  g_free (in->origin);
  g_free (in);
}

void
wslfp_sonata_config_free (WslfpSonataConfig *c)
{
  if (c == NULL)
    return;
  g_free (c->path);
  g_clear_pointer (&c->nodes, g_ptr_array_unref);
  g_clear_pointer (&c->edges, g_ptr_array_unref);
  g_clear_pointer (&c->inputs, g_ptr_array_unref);
  g_free (c->spikes_file);
  g_free (c->spikes_origin);
  g_free (c);
}

gboolean
wslfp_sonata_config_is_config (const char *path)
{
  return path != NULL && g_str_has_suffix (path, ".json");
}

/* One parsed config file: its folder and manifest. */
typedef struct
{
  char *path;
  char *dir;
  JsonParser *parser;
  JsonObject *root;
  JsonObject *manifest; /* or NULL */
} Config;

static void
config_clear (Config *c)
{
  g_free (c->path);
  g_free (c->dir);
  g_clear_object (&c->parser);
}

static gboolean
config_load (Config *c, const char *path, GError **error)
{
  memset (c, 0, sizeof *c);
  c->path = g_canonicalize_filename (path, NULL);
  c->dir = g_path_get_dirname (c->path);
  c->parser = json_parser_new ();
  if (!wslfp_json_load (c->parser, c->path, MAX_CONFIG_BYTES, error))
    return FALSE;
  JsonNode *root = json_parser_get_root (c->parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT,
                   "%s: a SONATA config is a JSON object ({…}), not this", c->path);
      return FALSE;
    }
  c->root = json_node_get_object (root);
  JsonNode *m = json_object_get_member (c->root, "manifest");
  if (m != NULL && !JSON_NODE_HOLDS_NULL (m))
    {
      if (!JSON_NODE_HOLDS_OBJECT (m))
        {
          g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT, "%s: \"manifest\" must be an object", c->path);
          return FALSE;
        }
      c->manifest = json_node_get_object (m);
    }
  return TRUE;
}

/* @value with every $NAME (or ${NAME}) replaced by the manifest's value,
 * itself expanded. */
static char *
expand (const Config *c, const char *value, const char *key, guint depth, GError **error)
{
  if (depth > MAX_EXPANSION_DEPTH)
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT,
                   "%s: the manifest's variables in \"%s\" (%s) refer to each other in a cycle", c->path, value, key);
      return NULL;
    }
  g_autoptr (GString) out = g_string_new (NULL);
  for (const char *p = value; *p != '\0';)
    {
      if (*p != '$')
        {
          g_string_append_c (out, *p++);
          continue;
        }
      gboolean braced = p[1] == '{';
      const char *start = p + (braced ? 2 : 1), *end = start;
      while (g_ascii_isalnum (*end) || *end == '_')
        end++;
      if (end == start || (braced && *end != '}'))
        {
          g_string_append_c (out, *p++); /* a lone $ stays */
          continue;
        }
      g_autofree char *name = g_strdup_printf ("$%.*s", (int) (end - start), start);
      JsonNode *v = c->manifest != NULL ? json_object_get_member (c->manifest, name) : NULL;
      if (v == NULL || json_node_get_value_type (v) != G_TYPE_STRING)
        {
          g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT,
                       "%s: %s in \"%s\" (%s) is not a string in the config's \"manifest\"", c->path, name, value,
                       key);
          return NULL;
        }
      g_autofree char *inner = expand (c, json_node_get_string (v), name, depth + 1, error);
      if (inner == NULL)
        return NULL;
      g_string_append (out, inner);
      p = end + (braced ? 1 : 0);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* The path in member @key of @obj (expanded, relative to the config's
 * folder), NULL with no error when absent and !@required. */
static char *
get_path (const Config *c, JsonObject *obj, const char *key, const char *where, gboolean required, GError **error)
{
  JsonNode *v = obj != NULL ? json_object_get_member (obj, key) : NULL;
  if (v == NULL || JSON_NODE_HOLDS_NULL (v))
    {
      if (required)
        g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT, "%s: %s has no \"%s\"", c->path, where, key);
      return NULL;
    }
  if (json_node_get_value_type (v) != G_TYPE_STRING)
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT, "%s: %s.%s must be a string (a path)", c->path,
                   where, key);
      return NULL;
    }
  g_autofree char *full_key = g_strdup_printf ("%s.%s", where, key);
  g_autofree char *expanded = expand (c, json_node_get_string (v), full_key, 0, error);
  if (expanded == NULL)
    return NULL;
  return g_canonicalize_filename (expanded, c->dir);
}

static JsonObject *
get_object (const Config *c, JsonObject *obj, const char *key, GError **error)
{
  JsonNode *v = json_object_get_member (obj, key);
  if (v == NULL || JSON_NODE_HOLDS_NULL (v))
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (v))
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT, "%s: \"%s\" must be an object", c->path, key);
      return NULL;
    }
  return json_node_get_object (v);
}

static gboolean
get_number (const Config *c, JsonObject *obj, const char *key, const char *where, double *out, gboolean *found,
            GError **error)
{
  JsonNode *v = obj != NULL ? json_object_get_member (obj, key) : NULL;
  *found = FALSE;
  if (v == NULL || JSON_NODE_HOLDS_NULL (v))
    return TRUE;
  GType type = json_node_get_value_type (v);
  if (type != G_TYPE_DOUBLE && type != G_TYPE_INT64)
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT, "%s: %s.%s must be a number", c->path, where, key);
      return FALSE;
    }
  *out = type == G_TYPE_DOUBLE ? json_node_get_double (v) : (double) json_node_get_int (v);
  *found = TRUE;
  return TRUE;
}

/* networks.nodes[] and networks.edges[] of @c into @out. */
static gboolean
read_networks (const Config *c, JsonObject *networks, WslfpSonataConfig *out, GError **error)
{
  const char *kinds[] = { "nodes", "edges" };
  for (int k = 0; k < 2; k++)
    {
      JsonNode *list = json_object_get_member (networks, kinds[k]);
      if (list == NULL || JSON_NODE_HOLDS_NULL (list))
        continue;
      if (!JSON_NODE_HOLDS_ARRAY (list))
        {
          g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT, "%s: networks.%s must be a list", c->path,
                       kinds[k]);
          return FALSE;
        }
      JsonArray *a = json_node_get_array (list);
      for (guint i = 0; i < json_array_get_length (a); i++)
        {
          JsonNode *item = json_array_get_element (a, i);
          g_autofree char *where = g_strdup_printf ("networks.%s[%u]", kinds[k], i);
          if (!JSON_NODE_HOLDS_OBJECT (item))
            {
              g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT, "%s: %s must be an object", c->path, where);
              return FALSE;
            }
          JsonObject *o = json_node_get_object (item);
          GError *local = NULL;
          if (k == 0)
            {
              WslfpSonataNodesEntry *e = g_new0 (WslfpSonataNodesEntry, 1);
              g_ptr_array_add (out->nodes, e);
              e->origin = g_strdup_printf ("%s in %s", where, c->path);
              if ((e->nodes_file = get_path (c, o, "nodes_file", where, TRUE, error)) == NULL)
                return FALSE;
              e->node_types_file = get_path (c, o, "node_types_file", where, FALSE, &local);
            }
          else
            {
              JsonNode *enabled = json_object_get_member (o, "enabled");
              if (enabled != NULL && json_node_get_value_type (enabled) == G_TYPE_BOOLEAN
                  && !json_node_get_boolean (enabled))
                continue;
              WslfpSonataEdgesEntry *e = g_new0 (WslfpSonataEdgesEntry, 1);
              g_ptr_array_add (out->edges, e);
              e->origin = g_strdup_printf ("%s in %s", where, c->path);
              if ((e->edges_file = get_path (c, o, "edges_file", where, TRUE, error)) == NULL)
                return FALSE;
              e->edge_types_file = get_path (c, o, "edge_types_file", where, FALSE, &local);
            }
          if (local != NULL)
            {
              g_propagate_error (error, local);
              return FALSE;
            }
        }
    }
  return TRUE;
}

/* The population a node set names ({"population": "external", …}), from
 * the simulation config's "node_sets" or its node_sets_file; NULL when
 * the set does not say. */
static char *
node_set_population (const Config *c, const char *set, GError **error)
{
  JsonObject *sets = NULL;
  Config file = { 0 };
  JsonNode *inline_sets = json_object_get_member (c->root, "node_sets");
  if (inline_sets != NULL && JSON_NODE_HOLDS_OBJECT (inline_sets))
    sets = json_node_get_object (inline_sets);
  else
    {
      g_autofree char *path = get_path (c, c->root, "node_sets_file", "the config", FALSE, error);
      if (path == NULL)
        return NULL;
      if (!config_load (&file, path, error))
        {
          config_clear (&file);
          return NULL;
        }
      sets = file.root;
    }
  char *population = NULL;
  JsonNode *s = json_object_get_member (sets, set);
  if (s != NULL && JSON_NODE_HOLDS_OBJECT (s))
    {
      JsonNode *p = json_object_get_member (json_node_get_object (s), "population");
      if (p != NULL && json_node_get_value_type (p) == G_TYPE_STRING)
        population = g_strdup (json_node_get_string (p));
    }
  config_clear (&file);
  return population;
}

/* The string in member @key of @obj, or @fallback when it is absent or
 * not a string (json-glib's own getter warns and returns NULL then). */
static const char *
string_member (JsonObject *obj, const char *key, const char *fallback)
{
  JsonNode *v = json_object_get_member (obj, key);
  if (v == NULL || json_node_get_value_type (v) != G_TYPE_STRING)
    return fallback;
  return json_node_get_string (v);
}

static gboolean
read_simulation (const Config *c, WslfpSonataConfig *out, GError **error)
{
  GError *local = NULL;
  JsonObject *run = get_object (c, c->root, "run", &local);
  JsonObject *output = local == NULL ? get_object (c, c->root, "output", &local) : NULL;
  JsonObject *inputs = local == NULL ? get_object (c, c->root, "inputs", &local) : NULL;
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  if (run != NULL)
    {
      gboolean has_tstop, has_dt;
      if (!get_number (c, run, "tstop", "run", &out->tstop_ms, &has_tstop, error)
          || !get_number (c, run, "dt", "run", &out->dt_ms, &has_dt, error))
        return FALSE;
      if (has_tstop && has_dt)
        {
          if (!(isfinite (out->tstop_ms) && isfinite (out->dt_ms) && out->dt_ms > 0 && out->tstop_ms > 0))
            {
              g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_INVALID,
                           "%s: run.tstop = %g and run.dt = %g must be positive numbers", c->path, out->tstop_ms,
                           out->dt_ms);
              return FALSE;
            }
          out->has_run = TRUE;
        }
    }
  if (output != NULL && json_object_has_member (output, "spikes_file"))
    {
      JsonNode *sf = json_object_get_member (output, "spikes_file");
      if (json_node_get_value_type (sf) != G_TYPE_STRING)
        {
          g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT, "%s: output.spikes_file must be a string",
                       c->path);
          return FALSE;
        }
      g_autofree char *dir = get_path (c, output, "output_dir", "output", FALSE, &local);
      g_autofree char *name = expand (c, json_node_get_string (sf), "output.spikes_file", 0, &local);
      if (local != NULL)
        {
          g_propagate_error (error, local);
          return FALSE;
        }
      out->spikes_file = g_canonicalize_filename (name, dir != NULL ? dir : c->dir);
      out->spikes_origin = g_strdup_printf ("output.spikes_file in %s", c->path);
    }
  if (inputs != NULL)
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *node;
      json_object_iter_init (&iter, inputs);
      while (json_object_iter_next (&iter, &name, &node))
        {
          if (!JSON_NODE_HOLDS_OBJECT (node))
            continue;
          JsonObject *o = json_node_get_object (node);
          const char *type = string_member (o, "input_type", "");
          const char *module = string_member (o, "module", "");
          if (strcmp (type, "spikes") != 0)
            continue; /* current clamps and the like do not make synaptic currents */
          g_autofree char *where = g_strdup_printf ("inputs.%s", name);
          if (strcmp (module, "h5") != 0 && strcmp (module, "sonata") != 0 && strcmp (module, "hdf5") != 0)
            {
              g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT,
                           "%s: %s has module \"%s\"; spike inputs are read from SONATA spike files (module h5)",
                           c->path, where, module);
              return FALSE;
            }
          WslfpSonataInput *in = g_new0 (WslfpSonataInput, 1);
          g_ptr_array_add (out->inputs, in);
          in->name = g_strdup (name);
          in->origin = g_strdup_printf ("%s.input_file in %s", where, c->path);
          if ((in->file = get_path (c, o, "input_file", where, TRUE, error)) == NULL)
            return FALSE;
          const char *set = string_member (o, "node_set", NULL);
          if (set != NULL && (in->population = node_set_population (c, set, &local)) == NULL && local != NULL)
            {
              g_propagate_error (error, local);
              return FALSE;
            }
        }
    }
  return TRUE;
}

/* A config: its networks (here or in the circuit config it names) and,
 * for a simulation config, the run, outputs and inputs. */
static gboolean
read_config (const char *path, WslfpSonataConfig *out, guint depth, GError **error)
{
  Config c;
  gboolean ok = config_load (&c, path, error);
  if (ok && depth > 4)
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT,
                   "%s: configs naming configs more than 4 deep (a config naming itself?)", c.path);
      ok = FALSE;
    }
  GError *local = NULL;
  JsonObject *networks = ok ? get_object (&c, c.root, "networks", &local) : NULL;
  if (local != NULL)
    {
      g_propagate_error (error, local);
      ok = FALSE;
    }
  if (ok && networks != NULL)
    ok = read_networks (&c, networks, out, error);
  /* "network": the circuit config of a simulation config; BMTK's
   * config.json also names the simulation config in "simulation". */
  const char *links[] = { "network", "simulation" };
  for (int k = 0; k < 2 && ok; k++)
    {
      g_autofree char *linked = get_path (&c, c.root, links[k], "the config", FALSE, &local);
      if (local != NULL)
        {
          g_propagate_error (error, local);
          ok = FALSE;
        }
      else if (linked != NULL)
        {
          if (strcmp (linked, c.path) == 0)
            {
              g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT, "%s: \"%s\" names this config itself",
                           c.path, links[k]);
              ok = FALSE;
            }
          else
            ok = read_config (linked, out, depth + 1, error);
        }
    }
  if (ok && (json_object_has_member (c.root, "run") || json_object_has_member (c.root, "output")
             || json_object_has_member (c.root, "inputs")))
    ok = read_simulation (&c, out, error);
  config_clear (&c);
  return ok;
}

WslfpSonataConfig *
wslfp_sonata_config_read (const char *path, GError **error)
{
  g_autoptr (WslfpSonataConfig) c = g_new0 (WslfpSonataConfig, 1);
  c->path = g_canonicalize_filename (path, NULL);
  c->nodes = g_ptr_array_new_with_free_func (nodes_entry_free);
  c->edges = g_ptr_array_new_with_free_func (edges_entry_free);
  c->inputs = g_ptr_array_new_with_free_func (input_free);
  if (!read_config (path, c, 0, error))
    return NULL;
  if (c->nodes->len == 0)
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT,
                   "%s: no networks.nodes (neither here nor in a circuit config it names in \"network\")", c->path);
      return NULL;
    }
  return g_steal_pointer (&c);
}

gboolean
wslfp_sonata_config_sniff (const char *path)
{
  if (!wslfp_sonata_config_is_config (path) && !g_str_has_suffix (path, ".JSON"))
    return FALSE;
  Config c;
  gboolean ok = config_load (&c, path, NULL);
  gboolean network = ok && !json_object_has_member (c.root, "probes")
                     && (json_object_has_member (c.root, "networks") || json_object_has_member (c.root, "network")
                         || json_object_has_member (c.root, "simulation") || json_object_has_member (c.root, "run")
                         || json_object_has_member (c.root, "manifest"));
  config_clear (&c);
  return network;
}
