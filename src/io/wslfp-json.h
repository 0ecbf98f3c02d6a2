/* wslfp-json.h: reading the JSON files we take from users (probeinterface
 * probes, SONATA configs) safely: bounded size, a UTF-8 byte-order mark
 * skipped, nesting bounded before json-glib's recursive parser sees it. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Deeper nesting than this is no file of ours (and would overflow the
 * parser's stack at about 100 000 levels). */
#define WSLFP_JSON_MAX_DEPTH 64

/* FALSE, naming @what, when @text nests arrays and objects deeper than
 * @max_depth. */
gboolean wslfp_json_check_depth (const char *text, gsize length, guint max_depth, const char *what, GError **error);

/* Reads @path (at most @max_bytes) into @parser.  Errors name the file: not
 * there, too big, nested too deep, not JSON. */
gboolean wslfp_json_load (JsonParser *parser, const char *path, gsize max_bytes, GError **error);

G_END_DECLS
