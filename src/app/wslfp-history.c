/* wslfp-history.c: undo and redo as two stacks of snapshots of what is
 * computed.  The snapshot of the state as the last step left it is kept;
 * a notification opens a step, and an idle (or the end of a group) closes
 * it with a new snapshot, kept as a step only if something really
 * changed. */
#include "config.h"
#include "wslfp-history.h"

#include <string.h>

/* What is computed: the settings as a session stores them, and the
 * probe's layout (for the kinds whose layout is not parametric). */
typedef struct
{
  WslfpSessionResult result;
  WslfpProbeLayout *layout; /* NULL for "shanks" */
} Snapshot;

static Snapshot *
snapshot_take (WslfpExplorerState *state)
{
  Snapshot *s = g_new0 (Snapshot, 1);
  wslfp_session_result_init (&s->result);
  wslfp_explorer_state_get_result (state, &s->result);
  WslfpProbe *probe = wslfp_explorer_state_get_probe (state);
  if (g_strcmp0 (s->result.probe_kind, "shanks") != 0 && wslfp_probe_get_layout (probe) != NULL)
    s->layout = wslfp_probe_layout_copy (wslfp_probe_get_layout (probe));
  return s;
}

static void
snapshot_free (gpointer data)
{
  Snapshot *s = data;
  wslfp_session_result_clear (&s->result);
  wslfp_probe_layout_free (s->layout);
  g_free (s);
}

static gboolean
same_layout (const WslfpProbeLayout *a, const WslfpProbeLayout *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return a->n_contacts == b->n_contacts && a->needles == b->needles
         && memcmp (a->xyz_um, b->xyz_um, 3 * a->n_contacts * sizeof (double)) == 0
         && memcmp (a->shank, b->shank, a->n_contacts * sizeof (int)) == 0;
}

static gboolean
same (const Snapshot *a, const Snapshot *b)
{
  return wslfp_session_result_equal (&a->result, &b->result) && same_layout (a->layout, b->layout);
}

struct _WslfpHistory
{
  GObject parent_instance;
  WslfpExplorerState *state;  /* weak */
  WslfpProbe *probe;          /* the state's (ours to disconnect from) */
  GPtrArray *undo, *redo;     /* of Snapshot, the newest last */
  Snapshot *current;          /* the state as the last step left it */
  gboolean open;              /* a step has begun and not been recorded */
  guint group_depth;
  guint idle;
  gboolean applying;          /* our own changes are not steps */
};

G_DEFINE_FINAL_TYPE (WslfpHistory, wslfp_history, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_CAN_UNDO,
  PROP_CAN_REDO,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
notify_can (WslfpHistory *self, gboolean could_undo, gboolean could_redo)
{
  if (could_undo != wslfp_history_can_undo (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_UNDO]);
  if (could_redo != wslfp_history_can_redo (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_REDO]);
}

/* Closes the open step: kept when the state differs from before it (a
 * value typed back to what it was is no step). */
static void
close_step (WslfpHistory *self)
{
  g_clear_handle_id (&self->idle, g_source_remove);
  if (!self->open || self->state == NULL)
    return;
  self->open = FALSE;
  gboolean could_undo = wslfp_history_can_undo (self), could_redo = wslfp_history_can_redo (self);
  Snapshot *after = snapshot_take (self->state);
  if (same (self->current, after))
    {
      snapshot_free (after);
      return;
    }
  g_ptr_array_add (self->undo, g_steal_pointer (&self->current));
  self->current = after;
  g_ptr_array_set_size (self->redo, 0);
  notify_can (self, could_undo, could_redo);
}

static gboolean
close_step_cb (gpointer data)
{
  WslfpHistory *self = data;
  self->idle = 0;
  close_step (self);
  return G_SOURCE_REMOVE;
}

static void
state_changed_cb (GObject *object, GParamSpec *pspec, WslfpHistory *self)
{
  if (self->applying || self->state == NULL || !wslfp_explorer_state_is_computed (pspec))
    return;
  self->open = TRUE;
  if (self->group_depth == 0 && self->idle == 0)
    /* (at a high priority: before the redraws and computations that the
     * change itself schedules, so that the next change is a step of its
     * own however busy the loop is) */
    self->idle = g_idle_add_full (G_PRIORITY_HIGH, close_step_cb, self, NULL);
}

/* Sets the state to @s (the step's own notifications are not steps). */
static void
apply (WslfpHistory *self, const Snapshot *s)
{
  WslfpProbe *probe = wslfp_explorer_state_get_probe (self->state);
  self->applying = TRUE;
  if (s->layout != NULL && (g_strcmp0 (wslfp_probe_get_kind (probe), s->result.probe_kind) != 0
                            || !same_layout (wslfp_probe_get_layout (probe), s->layout)))
    wslfp_probe_set_layout (probe, s->result.probe_kind, wslfp_probe_layout_copy (s->layout), FALSE);
  wslfp_explorer_state_set_result (self->state, &s->result);
  self->applying = FALSE;
}

/* Moves one snapshot from @from to @to, through the state. */
static gboolean
step (WslfpHistory *self, GPtrArray *from, GPtrArray *to)
{
  close_step (self);
  if (from->len == 0 || self->state == NULL)
    return FALSE;
  gboolean could_undo = wslfp_history_can_undo (self), could_redo = wslfp_history_can_redo (self);
  g_ptr_array_add (to, g_steal_pointer (&self->current));
  self->current = g_ptr_array_steal_index (from, from->len - 1);
  apply (self, self->current);
  notify_can (self, could_undo, could_redo);
  return TRUE;
}

gboolean
wslfp_history_undo (WslfpHistory *self)
{
  return step (self, self->undo, self->redo);
}

gboolean
wslfp_history_redo (WslfpHistory *self)
{
  return step (self, self->redo, self->undo);
}

gboolean
wslfp_history_can_undo (WslfpHistory *self)
{
  return self->undo->len > 0 || (self->open && self->group_depth == 0);
}

gboolean
wslfp_history_can_redo (WslfpHistory *self)
{
  return self->redo->len > 0 && !self->open;
}

void
wslfp_history_begin_group (WslfpHistory *self)
{
  if (self->group_depth++ == 0)
    close_step (self); /* (what came before is a step of its own) */
}

void
wslfp_history_end_group (WslfpHistory *self)
{
  g_return_if_fail (self->group_depth > 0);
  if (--self->group_depth == 0)
    close_step (self);
}

void
wslfp_history_clear (WslfpHistory *self)
{
  gboolean could_undo = wslfp_history_can_undo (self), could_redo = wslfp_history_can_redo (self);
  g_clear_handle_id (&self->idle, g_source_remove);
  self->open = FALSE;
  g_ptr_array_set_size (self->undo, 0);
  g_ptr_array_set_size (self->redo, 0);
  if (self->state != NULL)
    {
      snapshot_free (self->current);
      self->current = snapshot_take (self->state);
    }
  notify_can (self, could_undo, could_redo);
}

static void
wslfp_history_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  WslfpHistory *self = WSLFP_HISTORY (object);
  if (prop_id == PROP_CAN_UNDO)
    g_value_set_boolean (value, wslfp_history_can_undo (self));
  else if (prop_id == PROP_CAN_REDO)
    g_value_set_boolean (value, wslfp_history_can_redo (self));
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
wslfp_history_dispose (GObject *object)
{
  WslfpHistory *self = WSLFP_HISTORY (object);
  g_clear_handle_id (&self->idle, g_source_remove);
  if (self->state != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->state, self);
      g_object_remove_weak_pointer (G_OBJECT (self->state), (gpointer *) &self->state);
      self->state = NULL;
    }
  if (self->probe != NULL)
    g_signal_handlers_disconnect_by_data (self->probe, self);
  g_clear_object (&self->probe);
  G_OBJECT_CLASS (wslfp_history_parent_class)->dispose (object);
}

static void
wslfp_history_finalize (GObject *object)
{
  WslfpHistory *self = WSLFP_HISTORY (object);
  g_ptr_array_unref (self->undo);
  g_ptr_array_unref (self->redo);
  g_clear_pointer (&self->current, snapshot_free);
  G_OBJECT_CLASS (wslfp_history_parent_class)->finalize (object);
}

static void
wslfp_history_class_init (WslfpHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  object_class->get_property = wslfp_history_get_property;
  object_class->dispose = wslfp_history_dispose;
  object_class->finalize = wslfp_history_finalize;
  properties[PROP_CAN_UNDO] = g_param_spec_boolean ("can-undo", NULL, NULL, FALSE,
                                                    G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAN_REDO] = g_param_spec_boolean ("can-redo", NULL, NULL, FALSE,
                                                    G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
wslfp_history_init (WslfpHistory *self)
{
  self->undo = g_ptr_array_new_with_free_func (snapshot_free);
  self->redo = g_ptr_array_new_with_free_func (snapshot_free);
}

WslfpHistory *
wslfp_history_new (WslfpExplorerState *state)
{
  WslfpHistory *self = g_object_new (WSLFP_TYPE_HISTORY, NULL);
  self->state = state;
  g_object_add_weak_pointer (G_OBJECT (state), (gpointer *) &self->state);
  self->current = snapshot_take (state);
  g_signal_connect (state, "notify", G_CALLBACK (state_changed_cb), self);
  self->probe = g_object_ref (wslfp_explorer_state_get_probe (state));
  g_signal_connect (self->probe, "notify", G_CALLBACK (state_changed_cb), self);
  return self;
}
