/* fuzz-session.c: the Explorer's session files (.wslfp-session key files).
 * A session that loads describes itself, gives its command lines, and
 * saves and loads again to the same values: what was accepted once is
 * never refused (or changed) on the way back. */
#include <string.h>

#include "fuzz-scratch.h"
#include "wslfp-session.h"

static void
assert_same_result (const WslfpSessionResult *a, const WslfpSessionResult *b)
{
  g_assert (g_strcmp0 (a->profile, b->profile) == 0);
  g_assert (g_strcmp0 (a->custom_grid, b->custom_grid) == 0);
  g_assert (a->population == b->population && a->normalize == b->normalize && a->from_spikes == b->from_spikes);
  g_assert (g_strcmp0 (a->kernel, b->kernel) == 0);
  g_assert (a->alpha == b->alpha && a->tau_ampa_ms == b->tau_ampa_ms && a->tau_gaba_ms == b->tau_gaba_ms);
  g_assert (a->length_from_dataset == b->length_from_dataset && a->dendrite_length_um == b->dendrite_length_um);
  g_assert (g_strcmp0 (a->probe_kind, b->probe_kind) == 0);
  g_assert (g_strcmp0 (a->probe_file, b->probe_file) == 0);
  if (g_strcmp0 (a->probe_kind, "shanks") == 0)
    g_assert (a->n_shanks == b->n_shanks && a->n_contacts == b->n_contacts && a->spacing_um == b->spacing_um
              && a->pitch_um == b->pitch_um);
  g_assert (a->placement_set == b->placement_set);
  if (a->placement_set)
    g_assert (memcmp (&a->placement, &b->placement, sizeof a->placement) == 0);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static char *path, *again;
  if (path == NULL)
    {
      path = fuzz_scratch ("input" WSLFP_SESSION_SUFFIX);
      again = g_build_filename (fuzz_scratch_dir (), "again" WSLFP_SESSION_SUFFIX, NULL);
    }
  if (!fuzz_put (data, size))
    return 0;
  g_autoptr (GError) error = NULL;
  g_autoptr (WslfpSession) s = wslfp_session_load (path, &error);
  if (s == NULL)
    {
      g_assert (error != NULL && strstr (error->message, path) != NULL);
      return 0;
    }
  g_free (wslfp_session_result_describe (&s->current));
  g_free (wslfp_session_command (s, NULL, "lfp.h5", "figure.png"));
  g_assert (wslfp_session_save (s, again, &error));
  g_autoptr (WslfpSession) back = wslfp_session_load (again, &error);
  if (back == NULL)
    g_error ("a session that loaded does not load again once saved: %s", error->message);
  g_assert (g_strcmp0 (s->dataset, back->dataset) == 0 && g_strcmp0 (s->sources, back->sources) == 0);
  assert_same_result (&s->current, &back->current);
  g_assert (g_strcmp0 (s->page, back->page) == 0 && g_strcmp0 (s->trace_mode, back->trace_mode) == 0
            && g_strcmp0 (s->figure_kind, back->figure_kind) == 0);
  g_assert (s->t_start_ms == back->t_start_ms && s->t_end_ms == back->t_end_ms);
  g_assert (s->show_terms == back->show_terms && s->terms_contact == back->terms_contact);
  g_assert (s->pinned == back->pinned);
  if (s->pinned)
    assert_same_result (&s->pin, &back->pin);
  return 0;
}
