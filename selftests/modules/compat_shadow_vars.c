// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Exercises the klp shadow-variable API (mapped onto klpx's by compat.h)
 * from its init function and logs every call.  Pointers are logged as
 * PTR<n>, numbered in order of first appearance (PTR0 is NULL), so the log
 * is the same on every run and matches upstream's shadow-variable selftest.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/livepatch.h>
#include <linux/slab.h>

#define NR_OBJS		3
#define SV_ID1		0x1234	/* a char * per object */
#define SV_ID2		0x1235	/* an int * per object */

/* Pointer numbering for the log; a fixed table is enough for this test. */
#define MAX_PTRS	32
static const void *seen_ptrs[MAX_PTRS];
static int nr_seen_ptrs;

static int ptr_id(const void *ptr)
{
	int i;

	for (i = 0; i < nr_seen_ptrs; i++)
		if (seen_ptrs[i] == ptr)
			return i;
	if (nr_seen_ptrs == MAX_PTRS)
		return -1;
	seen_ptrs[nr_seen_ptrs] = ptr;
	return nr_seen_ptrs++;
}

static void *logged_get(void *obj, unsigned long id)
{
	void *sv = klp_shadow_get(obj, id);

	pr_info("klp_shadow_get(obj=PTR%d, id=0x%lx) = PTR%d\n",
		ptr_id(obj), id, ptr_id(sv));
	return sv;
}

static void *logged_alloc(void *obj, unsigned long id, size_t size,
			  gfp_t gfp_flags, klp_shadow_ctor_t ctor,
			  void *ctor_data, bool or_get)
{
	void **var = ctor_data;
	void *sv;

	if (or_get)
		sv = klp_shadow_get_or_alloc(obj, id, size, gfp_flags, ctor,
					     ctor_data);
	else
		sv = klp_shadow_alloc(obj, id, size, gfp_flags, ctor,
				      ctor_data);
	pr_info("klp_shadow_%s(obj=PTR%d, id=0x%lx, size=%zx, gfp_flags=%pGg), ctor=PTR%d, ctor_data=PTR%d = PTR%d\n",
		or_get ? "get_or_alloc" : "alloc", ptr_id(obj), id, size,
		&gfp_flags, ptr_id(ctor), ptr_id(*var), ptr_id(sv));
	return sv;
}

static void logged_free(void *obj, unsigned long id, klp_shadow_dtor_t dtor)
{
	klp_shadow_free(obj, id, dtor);
	pr_info("klp_shadow_free(obj=PTR%d, id=0x%lx, dtor=PTR%d)\n",
		ptr_id(obj), id, ptr_id(dtor));
}

static void logged_free_all(unsigned long id, klp_shadow_dtor_t dtor)
{
	klp_shadow_free_all(id, dtor);
	pr_info("klp_shadow_free_all(id=0x%lx, dtor=PTR%d)\n", id,
		ptr_id(dtor));
}

/* The shadow data is a pointer; the constructor copies it from ctor_data. */
static int shadow_ctor(void *obj, void *shadow_data, void *ctor_data)
{
	void **sv = shadow_data;
	void **var = ctor_data;

	if (!var)
		return -EINVAL;
	*sv = *var;
	pr_info("%s: PTR%d -> PTR%d\n", __func__, ptr_id(sv), ptr_id(*var));
	return 0;
}

static void shadow_dtor(void *obj, void *shadow_data)
{
	pr_info("%s(obj=PTR%d, shadow_data=PTR%d)\n", __func__, ptr_id(obj),
		ptr_id(shadow_data));
}

/* Logs the expected line when shadow data @sv holds @expected. */
static int check_shadow(void *sv, void *want_sv, void *expected)
{
	if (!sv)
		return -EINVAL;
	if (sv == want_sv && *(void **)sv == expected)
		pr_info("  got expected PTR%d -> PTR%d result\n", ptr_id(sv),
			ptr_id(expected));
	return 0;
}

struct test_object {
	int payload;		/* shadow variables attach to its address */
};

static int __init compat_shadow_vars_init(void)
{
	struct test_object objs[NR_OBJS];
	char chars[NR_OBJS], *char_ptrs[NR_OBJS], *dup_ptrs[NR_OBJS];
	int ints[NR_OBJS], *int_ptrs[NR_OBJS];
	void *sv1[NR_OBJS], *sv2[NR_OBJS];
	int ret = 0;
	int i;

	ptr_id(NULL);

	/* An empty table finds nothing. */
	if (!logged_get(&objs[0], SV_ID1))
		pr_info("  got expected NULL result\n");

	/* Attach both variables to each object, the first one two ways. */
	for (i = 0; i < NR_OBJS; i++) {
		char_ptrs[i] = &chars[i];
		ptr_id(char_ptrs[i]);
		sv1[i] = logged_alloc(&objs[i], SV_ID1, sizeof(char *),
				      GFP_KERNEL, shadow_ctor, &char_ptrs[i],
				      !(i % 2));
		if (!sv1[i]) {
			ret = -ENOMEM;
			goto out;
		}

		int_ptrs[i] = &ints[i];
		ptr_id(int_ptrs[i]);
		sv2[i] = logged_alloc(&objs[i], SV_ID2, sizeof(int *),
				      GFP_KERNEL, shadow_ctor, &int_ptrs[i],
				      false);
		if (!sv2[i]) {
			ret = -ENOMEM;
			goto out;
		}
	}

	/* Each lookup finds what was attached, holding what ctor stored. */
	for (i = 0; i < NR_OBJS; i++) {
		ret = check_shadow(logged_get(&objs[i], SV_ID1), sv1[i],
				   char_ptrs[i]);
		if (!ret)
			ret = check_shadow(logged_get(&objs[i], SV_ID2),
					   sv2[i], int_ptrs[i]);
		if (ret)
			goto out;
	}

	/* get_or_alloc returns the existing data and runs no constructor. */
	for (i = 0; i < NR_OBJS; i++) {
		dup_ptrs[i] = &chars[i];
		ptr_id(dup_ptrs[i]);
		ret = check_shadow(logged_alloc(&objs[i], SV_ID1,
						sizeof(char *), GFP_KERNEL,
						shadow_ctor, &dup_ptrs[i],
						true),
				   sv1[i], char_ptrs[i]);
		if (ret)
			goto out;
	}

	/* Freeing one variable runs the destructor and leaves the other. */
	for (i = 0; i < NR_OBJS; i++) {
		logged_free(&objs[i], SV_ID1, shadow_dtor);
		if (!logged_get(&objs[i], SV_ID1))
			pr_info("  got expected NULL result\n");
	}
	for (i = 0; i < NR_OBJS; i++) {
		ret = check_shadow(logged_get(&objs[i], SV_ID2), sv2[i],
				   int_ptrs[i]);
		if (ret)
			goto out;
	}

	/* free_all drops that variable from every object. */
	logged_free_all(SV_ID2, NULL);
	for (i = 0; i < NR_OBJS; i++) {
		if (!logged_get(&objs[i], SV_ID2))
			pr_info("  got expected NULL result\n");
	}
	return 0;

out:
	/* Nothing may outlive objs[], which is on this stack. */
	klp_shadow_free_all(SV_ID1, NULL);
	klp_shadow_free_all(SV_ID2, NULL);
	return ret;
}

static void __exit compat_shadow_vars_exit(void)
{
}

module_init(compat_shadow_vars_init);
module_exit(compat_shadow_vars_exit);
MODULE_DESCRIPTION("klp shadow-variable API test, built against klpx");
MODULE_LICENSE("GPL");
