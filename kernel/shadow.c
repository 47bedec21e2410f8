// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Shadow variables: data that a patch attaches to an existing object
 * (a struct the original code allocated and knows nothing about), found
 * again by the pair <object address, id>.
 *
 * The engine keeps its own table rather than using the kernel's klp_shadow_*
 * so that it works on kernels built without CONFIG_LIVEPATCH.
 *
 * Lookups are lockless: the table is an RCU hashtable keyed by the object's
 * address, so a patched function on a hot path pays only for a hash walk.
 * Every change to the table is made under klpx_shadow_lock, and entries are
 * freed only after an RCU grace period.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hashtable.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <klpx/livepatch.h>

#include "shadow.h"

#define KLPX_SHADOW_HASH_BITS	12

static DEFINE_HASHTABLE(klpx_shadow_table, KLPX_SHADOW_HASH_BITS);

/*
 * Serializes every insertion and removal.  Taken with interrupts disabled
 * because patched code may attach or free shadow data from any context.
 */
static DEFINE_SPINLOCK(klpx_shadow_lock);

struct klpx_shadow {
	struct hlist_node node;		/* in klpx_shadow_table, keyed by obj */
	struct rcu_head rcu;
	void *obj;
	unsigned long id;
	/* The caller's data; aligned as kmalloc'd memory would be. */
	u8 data[] __aligned(sizeof(unsigned long long));
};

static struct klpx_shadow *klpx_shadow_find(void *obj, unsigned long id)
{
	struct klpx_shadow *shadow;

	hash_for_each_possible_rcu(klpx_shadow_table, shadow, node,
				   (unsigned long)obj) {
		if (shadow->obj == obj && shadow->id == id)
			return shadow;
	}

	return NULL;
}

/**
 * klpx_shadow_get() - find the shadow data attached to an object
 * @obj:	the object the data belongs to
 * @id:		which of the object's shadow variables
 *
 * Return: the shadow data, or NULL if <@obj, @id> has none.
 */
void *klpx_shadow_get(void *obj, unsigned long id)
{
	struct klpx_shadow *shadow;
	void *data = NULL;

	rcu_read_lock();
	shadow = klpx_shadow_find(obj, id);
	if (shadow)
		data = shadow->data;
	rcu_read_unlock();

	return data;
}
EXPORT_SYMBOL_GPL(klpx_shadow_get);

/*
 * The memory is allocated before the lock is taken, so that @gfp_flags may
 * sleep, and thrown away if another CPU attached <@obj, @id> in the meantime.
 * The constructor runs under the lock, only for the copy that is kept, so it
 * sees the final address of the data and must not sleep.
 */
static void *klpx_shadow_attach(void *obj, unsigned long id, size_t size,
				gfp_t gfp_flags, klpx_shadow_ctor_t ctor,
				void *ctor_data, bool must_be_new)
{
	struct klpx_shadow *shadow, *existing;
	unsigned long flags;
	void *data;
	int ret;

	data = klpx_shadow_get(obj, id);
	if (data)
		goto found;

	shadow = kzalloc(struct_size(shadow, data, size), gfp_flags);
	if (!shadow)
		return NULL;
	shadow->obj = obj;
	shadow->id = id;

	spin_lock_irqsave(&klpx_shadow_lock, flags);

	existing = klpx_shadow_find(obj, id);
	if (existing) {
		data = existing->data;
		spin_unlock_irqrestore(&klpx_shadow_lock, flags);
		kfree(shadow);
		goto found;
	}

	if (ctor) {
		ret = ctor(obj, shadow->data, ctor_data);
		if (ret) {
			spin_unlock_irqrestore(&klpx_shadow_lock, flags);
			kfree(shadow);
			pr_err("failed to construct shadow variable <%p, %lx> (%d)\n",
			       obj, id, ret);
			return NULL;
		}
	}

	/* Readers see the data only once the constructor has filled it in. */
	hash_add_rcu(klpx_shadow_table, &shadow->node, (unsigned long)obj);
	spin_unlock_irqrestore(&klpx_shadow_lock, flags);

	return shadow->data;

found:
	/*
	 * A pr_warn and not a WARN: the caller gets NULL and copes, and a
	 * WARN would bring down a machine running with panic_on_warn.
	 */
	if (must_be_new) {
		pr_warn("duplicate shadow variable <%p, %lx>\n", obj, id);
		return NULL;
	}

	return data;
}

/**
 * klpx_shadow_alloc() - attach new shadow data to an object
 * @obj:	the object the data belongs to
 * @id:		which of the object's shadow variables
 * @size:	size of the data
 * @gfp_flags:	how to allocate it
 * @ctor:	fills in the data (called with a spinlock held), or NULL
 * @ctor_data:	passed to @ctor
 *
 * The data is zeroed before @ctor runs.
 *
 * Return: the new shadow data; NULL if <@obj, @id> already has shadow data
 * (logged), if the allocation fails, or if @ctor fails.
 */
void *klpx_shadow_alloc(void *obj, unsigned long id, size_t size,
			gfp_t gfp_flags, klpx_shadow_ctor_t ctor,
			void *ctor_data)
{
	return klpx_shadow_attach(obj, id, size, gfp_flags, ctor, ctor_data,
				  true);
}
EXPORT_SYMBOL_GPL(klpx_shadow_alloc);

/**
 * klpx_shadow_get_or_alloc() - find shadow data, attaching it if absent
 * @obj:	the object the data belongs to
 * @id:		which of the object's shadow variables
 * @size:	size of the data
 * @gfp_flags:	how to allocate it
 * @ctor:	fills in new data (called with a spinlock held), or NULL
 * @ctor_data:	passed to @ctor
 *
 * @ctor runs only when new data is attached, never for data that exists.
 *
 * Return: the existing or new shadow data, or NULL on failure.
 */
void *klpx_shadow_get_or_alloc(void *obj, unsigned long id, size_t size,
			       gfp_t gfp_flags, klpx_shadow_ctor_t ctor,
			       void *ctor_data)
{
	return klpx_shadow_attach(obj, id, size, gfp_flags, ctor, ctor_data,
				  false);
}
EXPORT_SYMBOL_GPL(klpx_shadow_get_or_alloc);

/* Called with klpx_shadow_lock held. */
static void klpx_shadow_detach(struct klpx_shadow *shadow,
			       klpx_shadow_dtor_t dtor)
{
	hash_del_rcu(&shadow->node);
	if (dtor)
		dtor(shadow->obj, shadow->data);
	/* Lockless readers may still hold the data until a grace period. */
	kfree_rcu(shadow, rcu);
}

/**
 * klpx_shadow_free() - detach and free an object's shadow data
 * @obj:	the object the data belongs to
 * @id:		which of the object's shadow variables
 * @dtor:	called on the data before it goes (with a spinlock held), or NULL
 *
 * Does nothing if <@obj, @id> has no shadow data.
 */
void klpx_shadow_free(void *obj, unsigned long id, klpx_shadow_dtor_t dtor)
{
	struct klpx_shadow *shadow;
	unsigned long flags;

	spin_lock_irqsave(&klpx_shadow_lock, flags);
	shadow = klpx_shadow_find(obj, id);
	if (shadow)
		klpx_shadow_detach(shadow, dtor);
	spin_unlock_irqrestore(&klpx_shadow_lock, flags);
}
EXPORT_SYMBOL_GPL(klpx_shadow_free);

/**
 * klpx_shadow_free_all() - detach and free one shadow variable of every object
 * @id:		which shadow variable
 * @dtor:	called on each piece of data before it goes (with a spinlock
 *		held), or NULL
 */
void klpx_shadow_free_all(unsigned long id, klpx_shadow_dtor_t dtor)
{
	struct klpx_shadow *shadow;
	struct hlist_node *next;
	unsigned long flags;
	int bkt;

	spin_lock_irqsave(&klpx_shadow_lock, flags);
	hash_for_each_safe(klpx_shadow_table, bkt, next, shadow, node) {
		if (shadow->id == id)
			klpx_shadow_detach(shadow, dtor);
	}
	spin_unlock_irqrestore(&klpx_shadow_lock, flags);
}
EXPORT_SYMBOL_GPL(klpx_shadow_free_all);

void klpx_shadow_exit(void)
{
	struct klpx_shadow *shadow;
	struct hlist_node *next;
	unsigned int leftover = 0;
	unsigned long flags;
	int bkt;

	/* Let the frees already queued by kfree_rcu() finish first. */
	rcu_barrier();

	/*
	 * No patch module is loaded any more (each one holds a reference to
	 * the engine), so nothing can look these up: free them at once.
	 */
	spin_lock_irqsave(&klpx_shadow_lock, flags);
	hash_for_each_safe(klpx_shadow_table, bkt, next, shadow, node) {
		hash_del(&shadow->node);
		kfree(shadow);
		leftover++;
	}
	spin_unlock_irqrestore(&klpx_shadow_lock, flags);

	if (leftover)
		pr_info("freed %u shadow variables left behind by patches\n",
			leftover);
}
