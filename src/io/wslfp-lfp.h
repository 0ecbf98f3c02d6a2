/* wslfp-lfp.h: a computed LFP (times × electrodes) with the settings that
 * made it, its HDF5 and CSV files, and the job that computes it from a
 * dataset. */
#pragma once

#include <glib.h>
#include <wslfp.h>

#include "wslfp-dataset.h"

G_BEGIN_DECLS

/* The LFP proxies: the weighted sum of currents (Mazzoni, Lindén et al.
 * 2015) and the kernel LFP of spikes (Teleńczuk et al. 2020). */
typedef enum
{
  WSLFP_PROXY_WSLFP,
  WSLFP_PROXY_TKLFP,
} WslfpProxy;

const char *wslfp_proxy_name        (WslfpProxy proxy);  /* "wslfp", "tklfp" */
gboolean    wslfp_proxy_from_string (const char *name, WslfpProxy *proxy);

typedef struct
{
  gsize n_times;
  gsize n_electrodes;
  double *t_ms;          /* n_times */
  double *uv;            /* n_times × n_electrodes */
  double *electrodes_um; /* n_electrodes × 3 */
  int *shank;            /* n_electrodes */
  int n_shanks;
  char *profile;         /* "mazzoni15", ...; with TKLFP its depth profiles */
  double alpha, tau_ampa_ms, tau_gaba_ms;
  gboolean normalized;
  gboolean population;
  gboolean from_spikes;
  /* Where it came from, so that a figure can be made again (attributes of
   * /lfp; NULL, 0 or −1 when not known, as in older files). */
  double dendrite_length_um;   /* the length used: the override, or the
                                  dataset's (their mean if per source) */
  gboolean dendrite_length_from_dataset;
  char *kernel;                /* from spikes: peak, ode, unit, or "dataset" */
  char *t_eval;                /* START:STOP:STEP, or NULL: the input's times */
  char *probe;                 /* how the contacts were chosen and placed */
  char *input_path;            /* absolute; a name for a dataset built in
                                  memory (then no size) */
  gint64 input_size_bytes;
  char *program;               /* "wslfp VERSION" */
  char *command;               /* the command line that made it */
  WslfpProxy proxy;            /* (files without the attribute: WSLFP) */
  WslfpTklfpParams tklfp;      /* with TKLFP: its parameters */
} WslfpLfp;

void      wslfp_lfp_free  (WslfpLfp *lfp);
/* The proxy and its settings in one line (for `info`, NWB's description,
 * the app): "WSLFP, profile mazzoni15, per neuron, from currents, α = 1.65,
 * …" or "TKLFP, …". */
char     *wslfp_lfp_describe_proxy (const WslfpLfp *lfp);
/* Writes @lfp atomically as HDF5 (/lfp/t_ms, /lfp/uV with attributes, and
 * /electrodes), or as CSV when @path ends in .csv. */
gboolean  wslfp_lfp_write (const WslfpLfp *lfp, const char *path, GError **error);
/* @arg as a shell word, quoted only when it needs to be, so that a command
 * recorded in an LFP file (or copied from the app) reads as typed. */
char     *wslfp_shell_word (const char *arg);

/* Whether @path is an HDF5 file with an LFP (/lfp/uV) rather than a
 * dataset; FALSE for anything else, including unreadable files. */
gboolean  wslfp_lfp_file_is_lfp (const char *path);
/* Reads an LFP HDF5 file written by wslfp_lfp_write(). */
WslfpLfp *wslfp_lfp_read  (const char *path, GError **error);

typedef struct
{
  WslfpProxy proxy;           /* WSLFP (all below) or TKLFP (from spikes,
                                 with @tklfp, the probe, the times and
                                 n_threads only) */
  WslfpTklfpParams tklfp;
  WslfpProfileKind profile;
  const WslfpProfile *custom_profile; /* borrowed; when set, used instead of @profile */
  gboolean population;
  WslfpOptions options;       /* alpha, delays, normalize, strict */
  gboolean from_spikes;
  gboolean kernel_set;        /* override the groups' kernel attribute */
  WslfpKernelScale kernel;
  gboolean tau_set[WSLFP_N_SPIKE_GROUPS]; /* override a group's kernel time constants */
  double tau_rise_ms[WSLFP_N_SPIKE_GROUPS], tau_decay_ms[WSLFP_N_SPIKE_GROUPS];
  gboolean t_eval_set;        /* else the AMPA (or GABA) sample times */
  double t_start_ms, t_stop_ms, t_step_ms; /* arange: stop exclusive */
  const double *electrodes_um; /* optional probe override, n × 3 */
  const int *shank;
  gsize n_electrodes;
  const char *probe_description; /* with a probe override: what it is and
                                    where it was placed, recorded in the file */
  double dendrite_length_um;  /* > 0 overrides the file's lengths */
  gsize block_bytes;          /* current rows read at once; 0: 32 MiB (and a pool's scratch
                                 currents in blocks of about this, 0: 16 MiB) */
  gsize panel_bytes;          /* an amplitude matrix bigger than this is made in panels of sources
                                 (0: 32 MiB from spikes, 256 MiB from currents), or by blocks of
                                 sources in wslfp_job_run_combined() (0: 64 MiB) */
  WslfpPrecision precision;   /* float32 currents: single-precision products
                                 (auto) or double */
  guint n_threads;            /* workers for blocks of rows and for the amplitude matrix; 0: one per core */
  /* Only the sources [source_first, source_first + source_count) (count 0:
   * all): the raw partial sum Σ over them, for splitting a run across
   * processes (MPI), which add the parts up.  Not normalised.  A run that
   * cannot be split (interpolated currents) is computed whole by the part
   * that holds source 0, the others giving 0, so the parts still add up. */
  gsize source_first, source_count;
} WslfpJobSettings;

void wslfp_job_settings_init (WslfpJobSettings *settings);

/* Progress from 0 to 1; return TRUE to cancel. */
typedef gboolean (*WslfpJobProgress) (double fraction, gpointer user_data);

/* Computes the LFP of @dataset.  From currents, reads them in blocks of
 * rows so that memory is the output plus a bounded block.  Errors name the
 * file, dataset, or argument at fault. */
WslfpLfp *wslfp_job_run (WslfpDataset *dataset, const WslfpJobSettings *settings, WslfpJobProgress progress,
                         gpointer user_data, GError **error);

/* Normalises the raw sum of a run's parts (see source_count) as
 * wslfp_job_run() would have normalised the whole. */
gboolean  wslfp_job_normalize (WslfpDataset *dataset, const WslfpJobSettings *settings, WslfpLfp *lfp,
                               GError **error);

/* The two terms of the sum at contact @e (of the settings' probe, or the
 * dataset's): the AMPA term Σ_s A(e, s) I_ampa(t − τ_ampa), as a one-contact
 * LFP in *@ampa, and the GABA term −α Σ_s A(e, s) I_gaba(t − τ_gaba) in
 * *@gaba (same times), µV.  With normalisation each term has its mean
 * removed and the sum's scale, so that they add up to the normalised LFP
 * at that contact.  With TKLFP, the excitatory cells' spikes' part in
 * *@ampa (its proxy says so) and the inhibitory cells' in *@gaba. */
gboolean       wslfp_job_parts          (WslfpDataset *dataset, const WslfpJobSettings *settings, gsize e,
                                         WslfpLfp **ampa, double **gaba, GError **error);

/* For moving the probe: the combined currents of @dataset for the proxy
 * settings in @settings (everything but the electrodes), read or built in
 * blocks like wslfp_job_run(), in double or (@single) single precision.
 * wslfp_job_combined_bytes() says how much memory they take. */
guint64        wslfp_job_combined_bytes (const WslfpDataset *dataset, const WslfpJobSettings *settings,
                                         gboolean single);
WslfpCombined *wslfp_job_combine        (WslfpDataset *dataset, const WslfpJobSettings *settings, gboolean single,
                                         WslfpJobProgress progress, gpointer user_data, GError **error);
/* The LFP of the electrodes in @settings from @combined (made with the same
 * proxy settings), at every @stride-th time: 1 (or 0) gives the same
 * numbers as wslfp_job_run(); more is a cheaper preview.  The product is shared
 * between @n_threads threads (call BLAS single-threaded then); with
 * @progress, it is done in a few chunks, and @progress returning TRUE
 * between them cancels.  Needs no HDF5 calls. */
WslfpLfp      *wslfp_job_run_combined   (const WslfpDataset *dataset, const WslfpJobSettings *settings,
                                         const WslfpCombined *combined, gsize stride, guint n_threads,
                                         WslfpJobProgress progress, gpointer user_data, GError **error);

/* For previews on large networks: @combined (the dataset's, any proxy
 * settings; borrowed: it must outlive the pool) pooled by place, the
 * sources in each cube of side @voxel_um (by their given positions)
 * summed into one at their centroid.  Needs one orientation for all
 * sources (else NULL, with an error naming the file).
 * wslfp_job_pool_voxel_um() is the side that cuts the sources' bounding
 * box into about @n_groups cubes. */
typedef struct _WslfpJobPool WslfpJobPool;
double         wslfp_job_pool_voxel_um  (const WslfpDataset *dataset, gsize n_groups);
WslfpJobPool  *wslfp_job_pool           (const WslfpDataset *dataset, const WslfpCombined *combined,
                                         double voxel_um, GError **error);
void           wslfp_job_pool_free      (WslfpJobPool *pool);
gsize          wslfp_job_pool_get_n     (const WslfpJobPool *pool);
gsize          wslfp_job_pool_get_n_times (const WslfpJobPool *pool);   /* evaluation times */
gsize          wslfp_job_pool_get_n_sources (const WslfpJobPool *pool); /* the cells pooled */
double         wslfp_job_pool_get_voxel_um (const WslfpJobPool *pool);
/* wslfp_job_run()'s LFP of every cell's own currents (WSLFP, not a
 * population) and, in the same pass over the currents, its cells pooled in
 * cubes of @voxel_um into *@pool: for networks whose combined currents do
 * not fit in memory.  That pool has no cells' own currents in memory: its
 * previews take every cube as one source, near contacts too (its exact
 * moves: wslfp_job_run_spilled()). */
WslfpLfp      *wslfp_job_run_pooling    (WslfpDataset *dataset, const WslfpJobSettings *settings, double voxel_um,
                                         WslfpJobPool **pool, WslfpJobProgress progress, gpointer user_data,
                                         GError **error);
/* Whether @pool (from wslfp_job_run_pooling()) also kept the combined
 * currents in a scratch file, for wslfp_job_run_spilled(): with float32
 * currents on the samples, in auto precision, where the disk had room. */
gboolean       wslfp_job_pool_has_currents (const WslfpJobPool *pool);
/* wslfp_job_run()'s exact LFP (the pass's α, delays and times; any
 * electrodes, profile and dendrite length) from the combined currents
 * @pool spilled, on @n_threads (0: every core): one float32 product, read
 * from the page cache rather than inflated.  An error if the pool has
 * none. */
WslfpLfp      *wslfp_job_run_spilled    (const WslfpDataset *dataset, const WslfpJobSettings *settings,
                                         const WslfpJobPool *pool, guint n_threads, WslfpJobProgress progress,
                                         gpointer user_data, GError **error);
/* The LFP of the electrodes in @settings from @pool, at every @stride-th
 * time: the cells of cubes whose centroid lies within @near_um of a
 * contact each at its own place (where the amplitude changes fast), the
 * other cubes as one source; normalised (when the settings ask) by its
 * own rows' statistics.  A preview costing E × (cubes + near cells) ×
 * rows, not E × sources × rows. */
WslfpLfp      *wslfp_job_run_pooled     (const WslfpDataset *dataset, const WslfpJobSettings *settings,
                                         const WslfpJobPool *pool, gsize stride, double near_um, GError **error);

/* TKLFP: the dataset's spiking cells with a position (both groups; E/I
 * from the group), their spikes and the evaluation times of @settings:
 * what moving the probe needs (the amplitudes and delays are the probe's).
 * Spikes of cells without a position are left out. */
typedef struct _WslfpTklfpCells WslfpTklfpCells;
WslfpTklfpCells *wslfp_job_tklfp_cells       (WslfpDataset *dataset, const WslfpJobSettings *settings,
                                              GError **error);
void             wslfp_tklfp_cells_free      (WslfpTklfpCells *cells);
gsize            wslfp_tklfp_cells_get_n     (const WslfpTklfpCells *cells);
gsize            wslfp_tklfp_cells_get_n_spikes (const WslfpTklfpCells *cells);
gsize            wslfp_tklfp_cells_get_n_times  (const WslfpTklfpCells *cells);  /* of the evaluation */
const double    *wslfp_tklfp_cells_get_times    (const WslfpTklfpCells *cells);
/* Only the cells of one type and their spikes (a new set). */
WslfpTklfpCells *wslfp_tklfp_cells_of_type   (const WslfpTklfpCells *cells, gboolean excitatory);
/* The TKLFP of the electrodes in @settings (or the dataset's) at every
 * @stride-th evaluation time, the contacts shared between @n_threads
 * threads in pieces (each a model of its contacts only, ≤ 32 MB); with
 * @progress, which may cancel between pieces.  Needs no HDF5 calls. */
WslfpLfp        *wslfp_job_run_tklfp         (const WslfpDataset *dataset, const WslfpJobSettings *settings,
                                              const WslfpTklfpCells *cells, gsize stride, guint n_threads,
                                              WslfpJobProgress progress, gpointer user_data, GError **error);

/* The evaluation times of START:STOP:STEP (as NumPy's arange). */
double   *wslfp_arange (double start, double stop, double step, gsize *n, GError **error);

/* Reads a probe from CSV: columns x_um,y_um,z_um[,shank], an optional
 * header line. */
gboolean  wslfp_probe_read_csv (const char *path, double **xyz_um, int **shank, gsize *n, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WslfpLfp, wslfp_lfp_free)

G_END_DECLS
