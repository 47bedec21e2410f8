// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * States: what a patch changed in the system, with a version, so that a
 * cumulative patch can take over from the patches it replaces.
 */
#include "core.h"
#include "state.h"
#include "transition.h"

#define klpx_for_each_state(patch, state) \
	for (state = (patch)->states; state && state->id; state++)

/**
 * klpx_get_state() - a state of a patch
 * @patch:	the patch, usually the caller's own
 * @id:		the state's id
 *
 * Return: the state, or NULL when @patch does not have it.
 */
struct klpx_state *klpx_get_state(struct klpx_patch *patch, unsigned long id)
{
	struct klpx_state *state;

	klpx_for_each_state(patch, state)
		if (state->id == id)
			return state;
	return NULL;
}
EXPORT_SYMBOL_GPL(klpx_get_state);

/**
 * klpx_get_prev_state() - the state as the patches before this one left it
 * @id:		the state's id
 *
 * Meant for callbacks of the patch being enabled: it looks at the patches
 * registered before the one in transition.
 *
 * Return: the newest older patch's state with @id, or NULL.
 */
struct klpx_state *klpx_get_prev_state(unsigned long id)
{
	struct klpx_state *state, *last = NULL;
	struct klpx_patch *patch;

	/* Outside a transition there is no "before": a caller's mistake. */
	if (!klpx_transition_patch)
		return NULL;

	klpx_for_each_patch(patch) {
		if (patch == klpx_transition_patch)
			break;
		state = klpx_get_state(patch, id);
		if (state)
			last = state;
	}
	return last;
}
EXPORT_SYMBOL_GPL(klpx_get_prev_state);

/*
 * A state's version never goes down, and a replace patch must carry every
 * state an installed patch has, since it takes over all of them.
 */
static bool klpx_is_state_compatible(struct klpx_patch *patch,
				     struct klpx_state *old_state)
{
	struct klpx_state *state = klpx_get_state(patch, old_state->id);

	if (!state)
		return !patch->replace;
	return state->version >= old_state->version;
}

bool klpx_is_patch_compatible(struct klpx_patch *patch)
{
	struct klpx_patch *old_patch;
	struct klpx_state *old_state;

	klpx_for_each_patch(old_patch)
		klpx_for_each_state(old_patch, old_state)
			if (!klpx_is_state_compatible(patch, old_state))
				return false;
	return true;
}
