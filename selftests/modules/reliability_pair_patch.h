/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The body of the consistency checker's patches: the including file sets
 * PAIR_VERSION (the format version, > 0) and PAIR_REPLACE, and is the
 * patch module.  The patch changes the format pair of klpx_target_pair and
 * the cycle that uses it; its cycle calls f and g through the target's
 * entry points, as the original does, so that each call goes to the
 * version of the caller's universe.
 */
#include <linux/module.h>
#include <klpx/livepatch.h>
#include "reliability_pair.h"

static void pair_write(struct klpx_pair_rec *rec)
{
	rec->writer = PAIR_VERSION;
	rec->payload = klpx_pair_encode(PAIR_VERSION, rec->seq);
}

static bool pair_read(struct klpx_pair_rec *rec)
{
	rec->reader = PAIR_VERSION;
	return rec->payload == klpx_pair_encode(PAIR_VERSION, rec->seq);
}

static int pair_cycle(struct klpx_pair_rec *rec, const struct klpx_pair_sleep *how)
{
	klpx_pair_write(rec);
	klpx_pair_sleep(how, rec);
	return klpx_pair_read(rec) ? 0 : 1;
}

static struct klpx_func funcs[] = {
	{
		.old_name = "klpx_pair_write",
		.new_func = pair_write,
	}, {
		.old_name = "klpx_pair_read",
		.new_func = pair_read,
	}, {
		.old_name = "klpx_pair_cycle",
		.new_func = pair_cycle,
	}, { }
};

static struct klpx_object objs[] = {
	{
		.name = "klpx_target_pair",
		.funcs = funcs,
	}, { }
};

static struct klpx_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
	.replace = PAIR_REPLACE,
};

static int __init pair_patch_init(void)
{
	return klpx_enable_patch(&patch);
}

static void __exit pair_patch_exit(void)
{
}

module_init(pair_patch_init);
module_exit(pair_patch_exit);
MODULE_LICENSE("GPL");
KLPX_PATCH_MODULE_INFO();
