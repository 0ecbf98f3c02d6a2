/* wslfp-csv.c: reading small numeric CSV files. */
#include "wslfp-csv.h"

#include <math.h>
#include <string.h>
#include <glib/gstdio.h>

#include "wslfp-dataset.h"

/* Whether [s, e) is a number in plain decimal or exponent notation:
 * [sign] digits [. digits] [e [sign] digits], at least one digit before
 * the exponent.  strtod also takes hexadecimal ("0x1p3"), "inf" and "nan",
 * which no probe or grid file means. */
static gboolean
plain_number (const char *s, const char *e)
{
  gsize digits = 0;
  if (s < e && (*s == '+' || *s == '-'))
    s++;
  for (; s < e && g_ascii_isdigit (*s); s++)
    digits++;
  if (s < e && *s == '.')
    for (s++; s < e && g_ascii_isdigit (*s); s++)
      digits++;
  if (digits == 0)
    return FALSE;
  if (s < e && (*s == 'e' || *s == 'E'))
    {
      s++;
      if (s < e && (*s == '+' || *s == '-'))
        s++;
      if (!(s < e && g_ascii_isdigit (*s)))
        return FALSE;
      while (s < e && g_ascii_isdigit (*s))
        s++;
    }
  return s == e;
}

double *
wslfp_csv_read (const char *path, guint min_cols, guint max_cols, const char *expect, gsize *n_rows, guint **lines,
                guint **n_cols, GError **error)
{
  g_autofree char *text = NULL;
  gsize length = 0;
  GError *local = NULL;
  /* Probes and grids are small; 20 M rows took 20 s to run out of memory. */
  GStatBuf st;
  if (g_stat (path, &st) == 0 && st.st_size > WSLFP_CSV_MAX_BYTES)
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT, "%s is %lld bytes: too big for a probe or grid (at "
                   "most %d MB)", path, (long long) st.st_size, WSLFP_CSV_MAX_BYTES >> 20);
      return NULL;
    }
  if (!g_file_get_contents (path, &text, &length, &local))
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_OPEN, "%s", local->message);
      g_error_free (local);
      return NULL;
    }
  /* A NUL byte would end a line early and hide what follows it. */
  const char *nul = memchr (text, '\0', length);
  if (nul != NULL)
    {
      guint line = 1;
      for (const char *c = text; c < nul; c++)
        line += *c == '\n';
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT, "%s: line %u: a NUL byte: not a text file", path,
                   line);
      return NULL;
    }
  g_auto (GStrv) split = g_strsplit (wslfp_skip_bom (text, NULL), "\n", -1);
  g_autoptr (GArray) values = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) line_of = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr (GArray) cols_of = g_array_new (FALSE, FALSE, sizeof (guint));
  gboolean first = TRUE;
  double *v = g_newa (double, max_cols);
  for (guint i = 0; split[i] != NULL; i++)
    {
      char *line = g_strstrip (split[i]);
      if (line[0] == '\0' || line[0] == '#')
        continue;
      char *end = line;
      guint k;
      for (k = 0; k < max_cols; k++)
        v[k] = NAN;
      for (k = 0; k < max_cols && *end != '\0'; k++)
        {
          char *next;
          v[k] = g_ascii_strtod (end, &next);
          if (next == end || !plain_number (end, next))
            break;
          end = next;
          while (*end == ' ' || *end == '\t')
            end++;
          if (*end == ',' || *end == ';')
            end++;
          while (*end == ' ' || *end == '\t')
            end++;
        }
      gboolean was_first = first;
      first = FALSE;
      if (k == 0 && was_first)
        continue; /* a header line */
      gboolean finite = TRUE;
      for (guint j = 0; j < k; j++)
        finite = finite && isfinite (v[j]);
      if (k < min_cols || *end != '\0' || !finite)
        {
          /* Quote the line short and as valid UTF-8: it may be binary. */
          g_autofree char *valid = g_utf8_make_valid (line, MIN (strlen (line), 60));
          for (char *c = valid; *c != '\0'; c++)
            if ((guchar) *c < 0x20 || *c == 0x7f)
              *c = '?';
          g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT, "%s: line %u: expected %s, found \"%s%s\"", path,
                       i + 1, expect, valid, strlen (line) > 60 ? "…" : "");
          return NULL;
        }
      guint line_no = i + 1;
      g_array_append_vals (values, v, max_cols);
      g_array_append_val (line_of, line_no);
      g_array_append_val (cols_of, k);
    }
  if (line_of->len == 0)
    {
      g_set_error (error, WSLFP_IO_ERROR, WSLFP_IO_ERROR_FORMAT, "%s: no rows of %s", path, expect);
      return NULL;
    }
  *n_rows = line_of->len;
  if (lines != NULL)
    *lines = (guint *) g_array_free (g_steal_pointer (&line_of), FALSE);
  if (n_cols != NULL)
    *n_cols = (guint *) g_array_free (g_steal_pointer (&cols_of), FALSE);
  return (double *) g_array_free (g_steal_pointer (&values), FALSE);
}

char **
wslfp_split_fields (const char *line, const char *separators)
{
  GPtrArray *fields = g_ptr_array_new ();
  const char *p = line;
  for (;;)
    {
      while (*p != '\0' && strchr (separators, *p) != NULL)
        p++;
      if (*p == '\0')
        break;
      const char *end = p;
      while (*end != '\0' && strchr (separators, *end) == NULL)
        end++;
      g_ptr_array_add (fields, g_strndup (p, (gsize) (end - p)));
      p = end;
    }
  g_ptr_array_add (fields, NULL);
  return (char **) g_ptr_array_free (fields, FALSE);
}

const char *
wslfp_skip_bom (const char *text, gsize *length)
{
  gsize n = length != NULL ? *length : strlen (text);
  if (n >= 3 && memcmp (text, "\xEF\xBB\xBF", 3) == 0)
    {
      if (length != NULL)
        *length -= 3;
      return text + 3;
    }
  return text;
}

char *
wslfp_shorten (const char *text)
{
  if (!g_utf8_validate (text, -1, NULL))
    return g_strdup ("(not UTF-8 text)");
  if (g_utf8_strlen (text, 61) <= 60)
    return g_strdup (text);
  g_autofree char *head = g_utf8_substring (text, 0, 60);
  return g_strdup_printf ("%s…", head);
}

static const char *
format_digits (double v, int digits, char out[WSLFP_NUMBER_LEN])
{
  char format[8];
  g_snprintf (format, sizeof format, "%%.%dg", digits);
  return g_ascii_formatd (out, WSLFP_NUMBER_LEN, format, v);
}

const char *
wslfp_format_number (double v, char out[WSLFP_NUMBER_LEN])
{
  /* (17 significant digits always read back.  A number that reads back
   * from k <= 15 digits prints as those k digits under %.15g, which rounds
   * to 15 and drops the trailing zeros: starting there gives the shortest
   * text in one to three tries, not up to seventeen — an LFP written as
   * CSV has millions of numbers.) */
  int digits = 15;
  for (; digits < 17; digits++)
    {
      format_digits (v, digits, out);
      if (!isfinite (v) || g_ascii_strtod (out, NULL) == v)
        break;
    }
  /* Whole numbers up to 17 digits in full: 200, not 2e+02. */
  int exponent = isfinite (v) && v != 0 ? (int) floor (log10 (fabs (v))) : 0;
  if (exponent >= digits && exponent < 17)
    digits = exponent + 1;
  return format_digits (v, digits, out);
}

char *
wslfp_format_numbers (const double *v, gsize n, const char *separator)
{
  GString *s = g_string_new (NULL);
  for (gsize i = 0; i < n; i++)
    {
      char buf[WSLFP_NUMBER_LEN];
      if (i > 0)
        g_string_append (s, separator);
      g_string_append (s, wslfp_format_number (v[i], buf));
    }
  return g_string_free (s, FALSE);
}
