// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Checks the corners of klpx's shadow-variable API that the klp-API test
 * does not reach, from its init function, logging one line per check:
 * a duplicate alloc returns NULL (and klpx logs it), a failing constructor
 * leaves nothing behind, get_or_alloc runs no constructor for data that
 * exists, free_all runs the destructor once per object and only for its id,
 * and the API works with GFP_ATOMIC under a spinlock.
 *
 * leave=N attaches N shadow variables that are never freed, so that a test
 * can check that removing the engine frees them.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/spinlock.h>
#include <klpx/livepatch.h>

#define ID_MAIN		1
#define ID_OTHER	2
#define ID_LEFT		3
#define NR_OBJS		4

static int leave;
module_param(leave, int, 0444);
MODULE_PARM_DESC(leave, "shadow variables to leave behind (default 0)");

static int objs[NR_OBJS];
static int left_objs[16];
static int ctor_calls, dtor_calls;

static int counting_ctor(void *obj, void *shadow_data, void *ctor_data)
{
	ctor_calls++;
	*(int *)shadow_data = *(int *)ctor_data;
	return 0;
}

static int failing_ctor(void *obj, void *shadow_data, void *ctor_data)
{
	return -ENOSPC;
}

static void counting_dtor(void *obj, void *shadow_data)
{
	dtor_calls++;
}

static void report(const char *check, bool ok)
{
	pr_info("%s: %s\n", check, ok ? "ok" : "FAILED");
}

static void check_api(void)
{
	DEFINE_SPINLOCK(lock);
	int value = 42, other = 7;
	int *sv, *again;
	int i;

	sv = klpx_shadow_alloc(&objs[0], ID_MAIN, sizeof(int), GFP_KERNEL,
			       counting_ctor, &value);
	report("alloc", sv && *sv == 42 && ctor_calls == 1 &&
	       klpx_shadow_get(&objs[0], ID_MAIN) == sv);

	again = klpx_shadow_alloc(&objs[0], ID_MAIN, sizeof(int), GFP_KERNEL,
				  counting_ctor, &other);
	report("duplicate alloc returns NULL", !again && ctor_calls == 1 &&
	       *sv == 42);

	again = klpx_shadow_get_or_alloc(&objs[0], ID_MAIN, sizeof(int),
					 GFP_KERNEL, counting_ctor, &other);
	report("get_or_alloc finds the existing data", again == sv &&
	       ctor_calls == 1 && *sv == 42);

	again = klpx_shadow_alloc(&objs[1], ID_MAIN, sizeof(int), GFP_KERNEL,
				  failing_ctor, NULL);
	report("failing constructor leaves nothing", !again &&
	       !klpx_shadow_get(&objs[1], ID_MAIN));

	/* Data starts zeroed when there is no constructor. */
	sv = klpx_shadow_alloc(&objs[1], ID_OTHER, 64, GFP_KERNEL, NULL, NULL);
	report("no constructor: zeroed data", sv && !memchr_inv(sv, 0, 64));

	spin_lock(&lock);
	for (i = 2; i < NR_OBJS; i++)
		klpx_shadow_get_or_alloc(&objs[i], ID_MAIN, sizeof(int),
					 GFP_ATOMIC, counting_ctor, &value);
	spin_unlock(&lock);
	report("GFP_ATOMIC under a spinlock", ctor_calls == 3 &&
	       klpx_shadow_get(&objs[NR_OBJS - 1], ID_MAIN));

	klpx_shadow_free_all(ID_MAIN, counting_dtor);
	report("free_all: one destructor call per object", dtor_calls == 3 &&
	       !klpx_shadow_get(&objs[0], ID_MAIN) &&
	       !klpx_shadow_get(&objs[2], ID_MAIN));
	report("free_all leaves other ids", klpx_shadow_get(&objs[1], ID_OTHER));

	klpx_shadow_free(&objs[1], ID_OTHER, counting_dtor);
	klpx_shadow_free(&objs[1], ID_OTHER, counting_dtor);
	report("free: destructor once, second free is a no-op",
	       dtor_calls == 4 && !klpx_shadow_get(&objs[1], ID_OTHER));
}

static int __init shadow_api_init(void)
{
	int i;

	check_api();
	for (i = 0; i < min_t(int, leave, ARRAY_SIZE(left_objs)); i++)
		klpx_shadow_alloc(&left_objs[i], ID_LEFT, sizeof(int),
				  GFP_KERNEL, NULL, NULL);
	return 0;
}

static void __exit shadow_api_exit(void)
{
}

module_init(shadow_api_init);
module_exit(shadow_api_exit);
MODULE_DESCRIPTION("Checks of klpx's shadow-variable API");
MODULE_LICENSE("GPL");
