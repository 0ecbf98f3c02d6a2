/* wslfp-demo-file.h: writing the demo network in the dataset layout. */
#pragma once

#include <glib.h>

#include "wslfp-dataset.h"
#include "wslfp-demo-network.h"

G_BEGIN_DECLS

/* Writes @net (currents, spikes with CSR weights and kernel attributes,
 * somata, the default probe) to @path, atomically. */
gboolean wslfp_demo_file_write (const WslfpDemoNetwork *net, const char *path, GError **error);

/* The network as an in-memory dataset (no file), named @name. */
WslfpDataset *wslfp_demo_dataset_new (const WslfpDemoNetwork *net, const char *name);

G_END_DECLS
