/* wslfp-csv.h: reading small numeric CSV files (probes, profile grids). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The largest CSV file read (probes, grids). */
#define WSLFP_CSV_MAX_BYTES (64 << 20)

/* Reads the rows of numbers in @path: separated by commas, semicolons or
 * blanks, in the C locale; blank lines and lines starting with # are
 * skipped, and so is a first line that does not start with a number (a
 * header).  Every row must hold @min_cols to @max_cols finite numbers.
 * Returns the values, @max_cols per row (missing ones NaN), and for each
 * row its line number in @lines and its count of numbers in @n_cols
 * (either may be NULL).  Errors name the file and the line; @expect says
 * what a row should hold ("x_um,y_um,z_um[,shank]"). */
double *wslfp_csv_read (const char *path, guint min_cols, guint max_cols, const char *expect, gsize *n_rows,
                        guint **lines, guint **n_cols, GError **error);

/* @text after a UTF-8 byte-order mark, if it starts with one (spreadsheets'
 * "CSV UTF-8" and some editors write it); *@length, when given, shrinks
 * to match.  Every text reader skips it, or its first line would not
 * parse as it reads. */
const char *wslfp_skip_bom (const char *text, gsize *length);

/* @text for a message: at most 60 characters (a file's 1 MB attribute was
 * copied whole into one), cut at a UTF-8 boundary with "…". */
char  *wslfp_shorten (const char *text);

/* Splits @line into its fields separated by any of @separators (runs of
 * them count as one; none at either end), as a NULL-terminated array. */
char  **wslfp_split_fields (const char *line, const char *separators);

/* Room for any double written by wslfp_format_number(). */
#define WSLFP_NUMBER_LEN 32

/* @v with the fewest significant digits that read back (g_ascii_strtod)
 * as the same double, in the C locale: "1.65", not "1.6499999999999999"
 * (%.17g), and not "1.6" for 1.6000000000000001 (%g).  Written into @out;
 * returns it. */
const char *wslfp_format_number (double v, char out[WSLFP_NUMBER_LEN]);
/* @n numbers so, joined by @separator, as a new string. */
char       *wslfp_format_numbers (const double *v, gsize n, const char *separator);

G_END_DECLS
