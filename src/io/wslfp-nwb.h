/* wslfp-nwb.h: LFP as NWB 2.7.0 (Neurodata Without Borders), the container
 * that SpikeInterface, NWB Widgets, DANDI and pynwb read; and an NWB
 * file's ElectricalSeries read back as an LFP. */
#pragma once

#include <glib.h>

#include "wslfp-lfp.h"

G_BEGIN_DECLS

/* One cached specification source (generated: wslfp-nwb-spec.c). */
typedef struct
{
  const char *namespace_name;
  const char *version;
  const char *source;  /* "nwb.base", … or "namespace" */
  const char *json;
} WslfpNwbSpec;

extern const WslfpNwbSpec wslfp_nwb_specs[];

/* Writes @lfp atomically to @path as an NWB 2.7.0 file: a Device for the
 * probe, an ElectrodeGroup per shank, the electrodes table (x, y, z in
 * µm), and processing/ecephys/LFP/ElectricalSeries (data T × E float32 in
 * µV, conversion 1e-6 to volts; starting_time and rate when evenly
 * sampled, else timestamps), with the settings and the command in its
 * description and comments, and the specifications cached. */
gboolean  wslfp_nwb_write   (const WslfpLfp *lfp, const char *path, GError **error);

/* Whether @path is an NWB file (an HDF5 file whose root says
 * neurodata_type NWBFile). */
gboolean  wslfp_nwb_is_nwb  (const char *path);

/* The first ElectricalSeries of an NWB file (processing/…/LFP first, then
 * acquisition, then any), from this program or another, as an LFP in µV
 * (data × conversion (+ offset) × channel_conversion, in volts → µV) with
 * its electrodes' x, y, z as the probe (0 where the table has none) and
 * their groups as shanks.  Errors name the file and the object. */
WslfpLfp *wslfp_nwb_read    (const char *path, GError **error);

G_END_DECLS
