/* wslfp-dataset.h: the HDF5 dataset layout (see docs/file-format.md):
 * reading and validating it, and reading currents in blocks of rows. */
#pragma once

#include <glib.h>
#include <wslfp.h>

G_BEGIN_DECLS

#define WSLFP_IO_ERROR (wslfp_io_error_quark ())

typedef enum
{
  WSLFP_IO_ERROR_OPEN,    /* not there, not HDF5, truncated, unreadable */
  WSLFP_IO_ERROR_FORMAT,  /* a missing dataset or a wrong shape or type */
  WSLFP_IO_ERROR_INVALID, /* bad values: NaN, unsorted times, bad indices */
  WSLFP_IO_ERROR_WRITE,   /* cannot write the output */
  WSLFP_IO_ERROR_ENGINE,  /* the engine refused (message says why) */
} WslfpIoError;

GQuark wslfp_io_error_quark (void);

typedef enum
{
  WSLFP_CURRENT_AMPA,
  WSLFP_CURRENT_GABA,
  WSLFP_N_CURRENTS
} WslfpCurrentKind;

typedef enum
{
  WSLFP_SPIKES_EXC,
  WSLFP_SPIKES_INH,
  WSLFP_N_SPIKE_GROUPS
} WslfpSpikeGroup;

/* One current type: the times are loaded, the values read on demand. */
typedef struct
{
  gboolean present;
  char *problem;   /* why it cannot be used, or NULL */
  gsize n_times;
  double *t_ms;
  gsize n_sources;
  gint64 dataset;  /* hid_t of /currents/<kind>/I while the file is open */
  double *values;  /* n_times × n_sources once loaded into memory, or NULL */
} WslfpDatasetCurrents;

typedef struct
{
  gboolean present;
  char *problem;
  gsize n_spikes;
  double *t_ms;
  gint64 *neuron;
  gsize n_pre;
  WslfpWeightsKind weights_kind;
  gint64 *indptr;
  gint64 *indices;
  double *data;    /* CSR data or the dense matrix */
  double *delays_ms; /* CSR only: per-connection delays added to delay_ms, or NULL */
  double scalar;
  double tau_rise_ms, tau_decay_ms, delay_ms;
  WslfpKernelScale scale;
  /* For TKLFP, the spiking cells themselves: n_cells rows (every spike's
   * index below it), a row of NaN for a cell without a position (left out:
   * an external input), and their apical axes (1 or n_cells rows; NULL:
   * (0, 0, 1)).  NULL when the group has none; cells_problem says why they
   * cannot be used (a problem of the spikes themselves is in problem). */
  gsize n_cells;
  double *cells_um;
  double *cells_orientation;
  gsize n_cells_orientations;
  char *cells_problem;
} WslfpDatasetSpikes;

typedef struct
{
  char *path;
  gint64 file;                 /* hid_t */
  gsize n_electrodes;
  double *electrodes_um;       /* E × 3 */
  int *shank;                  /* E, from /electrodes/shank or inferred */
  int n_shanks;
  gsize n_sources;
  double *sources_um;          /* S × 3 */
  WslfpCoords coords;
  double *orientation;         /* NULL, or n_orientations × 3 */
  gsize n_orientations;
  double *dendrite_length_um;  /* NULL, or n_lengths */
  gsize n_lengths;
  WslfpDatasetCurrents currents[WSLFP_N_CURRENTS];
  WslfpDatasetSpikes spikes[WSLFP_N_SPIKE_GROUPS];
  gint64 identity[4];          /* device, inode, size, mtime (ns) when opened */
  /* Evaluation times when none are asked for (a SONATA run's 0:tstop:dt),
   * stop exclusive. */
  gboolean t_default_set;
  double t_default_ms[3];      /* start, stop, step */
  /* A network read from another format (SONATA): computed from spikes
   * without being asked; what it holds, for `info`. */
  gboolean spikes_only;
  gboolean counted_only;       /* read to be described only (CSR indptr, no connections) */
  char *summary;
  char *brief;                 /* one line: the populations and their sources (SONATA), or NULL */
  char **input_files;          /* every file read (SONATA), NULL-terminated, or NULL */
} WslfpDataset;

/* Opens @path as this project's layout, or as a SONATA network when it is
 * a .json config (wslfp_sonata_open() with default options). */
WslfpDataset *wslfp_dataset_open_any (const char *path, GError **error);
/* Opens and validates @path (read-only; the file is never modified).
 * Geometry must be valid; a current or spike group that is present but
 * unusable gets a `problem` instead of failing the whole file. */
WslfpDataset *wslfp_dataset_open  (const char *path, GError **error);
void          wslfp_dataset_free  (WslfpDataset *dataset);
/* Closes the HDF5 file but keeps what was loaded (currents that were not
 * loaded cannot be read any more). */
void          wslfp_dataset_close_file (WslfpDataset *dataset);
/* Reads every usable current into memory and closes the file: afterwards
 * the dataset needs no HDF5 calls (which are not thread-safe) and can be
 * shared read-only between threads. */
gboolean      wslfp_dataset_load_all   (WslfpDataset *dataset, GError **error);

/* Writes @dataset (spikes and geometry; not currents) in this project's
 * layout, atomically: what `wslfp convert` makes of a SONATA network.  A
 * run's default evaluation times go to the root attributes
 * t_eval_start_ms, t_eval_stop_ms and t_eval_step_ms. */
gboolean      wslfp_dataset_write      (const WslfpDataset *dataset, const char *path, GError **error);

/* FALSE (and why) if the file was replaced, removed or modified since it
 * was opened: a computation that read it may have mixed old and new data. */
gboolean wslfp_dataset_check_unchanged (const WslfpDataset *dataset, GError **error);

/* Fills @geometry with borrowed pointers into @dataset. */
void     wslfp_dataset_get_geometry (const WslfpDataset *dataset, WslfpGeometry *geometry);
/* Fills @spikes with borrowed pointers. */
void     wslfp_dataset_get_spikes   (const WslfpDataset *dataset, WslfpSpikeGroup group, WslfpSpikes *spikes);

/* Whether the dataset can be computed from currents / from spikes; if not,
 * FALSE with the reason in @error. */
gboolean wslfp_dataset_check_currents (const WslfpDataset *dataset, GError **error);
gboolean wslfp_dataset_check_spikes   (const WslfpDataset *dataset, GError **error);
/* Whether the dataset's spiking cells have what TKLFP needs (spikes and
 * positions of at least one group); if not, FALSE with the reason. */
gboolean wslfp_dataset_check_tklfp    (const WslfpDataset *dataset, GError **error);
/* How many cells of @group TKLFP can use (those with a position). */
gsize    wslfp_dataset_tklfp_cells    (const WslfpDataset *dataset, WslfpSpikeGroup group);
/* Where @n_contacts contacts (@xyz_um, n × 3) sit for TKLFP: each one's
 * (r, d) from the spiking cells' centre (those with a position, both
 * groups), d along their mean apical axis (+z for cells without one) and r
 * away from it: a new array of *@n pairs; NULL and 0 without such cells. */
double  *wslfp_dataset_tklfp_marks    (const WslfpDataset *dataset, const double *xyz_um, gsize n_contacts, gsize *n);

/* Reads rows [first_row, first_row + n_rows) of /currents/<kind>/I as
 * doubles into @out (n_rows × n_sources), whatever the stored type. */
gboolean wslfp_dataset_read_rows (const WslfpDataset *dataset, WslfpCurrentKind kind, gsize first_row,
                                  gsize n_rows, double *out, GError **error);

const char *wslfp_current_kind_name (WslfpCurrentKind kind);   /* "ampa" */
const char *wslfp_spike_group_name  (WslfpSpikeGroup group);   /* "exc" */

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WslfpDataset, wslfp_dataset_free)

G_END_DECLS
