/* fuzz-scratch.h: the input of a libFuzzer run as a file that the readers
 * open by name (see fuzz-scratch.c). */
#pragma once

#include <glib.h>
#include <stdint.h>

/* A new private folder for this process's scratch files (in /dev/shm when
 * there is one): "DIR/" + @name, created empty and kept open. */
char    *fuzz_scratch (const char *name);
/* Rewrites the scratch file in place with @size bytes of @data. */
gboolean fuzz_put     (const uint8_t *data, size_t size);
/* The folder fuzz_scratch() made (NULL before). */
const char *fuzz_scratch_dir (void);

/* Takes values from the input in order; past its end, zeros. */
typedef struct
{
  const uint8_t *data;
  size_t size, at;
} FuzzBytes;

guint8 fuzz_byte   (FuzzBytes *b);
double fuzz_double (FuzzBytes *b);
