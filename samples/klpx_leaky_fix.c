// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * klpx_leaky_fix: fixes klpx_leaky's leak with a shadow variable.
 *
 * The fix needs to keep each session's scratch buffer until the session
 * ends, but struct klpx_leaky_session has no field for it and a live patch
 * cannot change its layout.  So the new session_start attaches the buffer
 * to the session as a shadow variable, and the new session_end frees it
 * through the shadow variable's destructor.  Sessions started before the
 * fix have no shadow variable: their buffers stay leaked.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include <klpx/livepatch.h>
#include "klpx_leaky.h"

/* Shadow variable id: a session's scratch buffer. */
#define SHADOW_SESSION_SCRATCH	0x6c65616b

struct session_scratch {
	char *buffer;
	struct klpx_leaky_stats *stats;
};

static int session_scratch_ctor(void *obj, void *shadow_data, void *ctor_data)
{
	*(struct session_scratch *)shadow_data = *(struct session_scratch *)ctor_data;
	return 0;
}

static void session_scratch_dtor(void *obj, void *shadow_data)
{
	struct session_scratch *scratch = shadow_data;

	kfree(scratch->buffer);
	atomic_long_inc(&scratch->stats->scratch_freed);
}

static struct klpx_leaky_session *fixed_session_start(struct klpx_leaky_stats *st)
{
	struct klpx_leaky_session *session;
	struct session_scratch scratch = { .stats = st };

	session = kzalloc(sizeof(*session), GFP_KERNEL);
	if (!session)
		return NULL;
	session->id = atomic_long_inc_return(&st->sessions_started);
	session->stats = st;
	atomic_long_inc(&st->sessions_open);

	scratch.buffer = kmalloc(KLPX_LEAKY_SCRATCH_SIZE, GFP_KERNEL);
	if (!scratch.buffer)
		return session;
	atomic_long_inc(&st->scratch_allocated);
	snprintf(scratch.buffer, KLPX_LEAKY_SCRATCH_SIZE, "session %lu", session->id);
	if (!klpx_shadow_alloc(session, SHADOW_SESSION_SCRATCH, sizeof(scratch),
			       GFP_KERNEL, session_scratch_ctor, &scratch)) {
		/* No shadow variable: free the buffer now rather than leak it. */
		kfree(scratch.buffer);
		atomic_long_inc(&st->scratch_freed);
	}
	return session;
}

static void fixed_session_end(struct klpx_leaky_session *session)
{
	klpx_shadow_free(session, SHADOW_SESSION_SCRATCH, session_scratch_dtor);
	atomic_long_dec(&session->stats->sessions_open);
	kfree(session);
}

static struct klpx_func funcs[] = {
	{
		.old_name = "klpx_leaky_session_start",
		.new_func = fixed_session_start,
	}, {
		.old_name = "klpx_leaky_session_end",
		.new_func = fixed_session_end,
	}, { }
};

static struct klpx_object objs[] = {
	{
		.name = "klpx_leaky",
		.funcs = funcs,
	}, { }
};

static struct klpx_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init klpx_leaky_fix_init(void)
{
	return klpx_enable_patch(&patch);
}

/*
 * The patch is disabled by now, so the original session_end, which knows
 * nothing of the buffers, runs from here on: free them all while the
 * destructor still exists.
 */
static void __exit klpx_leaky_fix_exit(void)
{
	klpx_shadow_free_all(SHADOW_SESSION_SCRATCH, session_scratch_dtor);
}

module_init(klpx_leaky_fix_init);
module_exit(klpx_leaky_fix_exit);
MODULE_DESCRIPTION("klpx demo: fixes klpx_leaky's leak with a shadow variable");
MODULE_LICENSE("GPL");
KLPX_PATCH_MODULE_INFO();
