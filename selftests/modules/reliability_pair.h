/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The consistency checker's format pair, shared by klpx_target_pair and
 * the patches reliability_pair_v*.
 *
 * klpx_pair_write() (f) stores a record in the format of its version and
 * klpx_pair_read() (g) can only read the format of its own version.  Each
 * version of klpx_pair_cycle() writes, sleeps and reads, calling f and g
 * through the target's entry points, so the engine picks their versions
 * by the universe of the calling task.  As long as no task changes universe
 * while a klpx_pair_cycle() is on its stack (the consistency model), every
 * read finds the format its version expects.  A read that does not is a
 * violation, which the target counts.
 */
#ifndef _RELIABILITY_PAIR_H
#define _RELIABILITY_PAIR_H

#include <linux/types.h>

struct klpx_pair_rec {
	unsigned long seq;
	unsigned long payload;		/* written in the writer's format */
	int writer;			/* version of f that wrote it */
	int reader;			/* version of g that read it */
};

enum klpx_pair_sleep_kind {
	KLPX_PAIR_MSLEEP,		/* uninterruptible */
	KLPX_PAIR_INTERRUPTIBLE,	/* a fake signal or wakeup ends it early */
	KLPX_PAIR_SPIN,			/* never sleeps: cond_resched() only */
};

struct klpx_pair_sleep {
	enum klpx_pair_sleep_kind kind;
	int holder;			/* bit in hold_mask, or -1 */
};

/* The format of version v: only a reader of version v decodes it. */
static inline unsigned long klpx_pair_encode(int version, unsigned long seq)
{
	return seq * 2654435761UL ^ (0x9e3779b97f4a7c15UL * (version + 1));
}

void klpx_pair_write(struct klpx_pair_rec *rec);
bool klpx_pair_read(struct klpx_pair_rec *rec);
void klpx_pair_sleep(const struct klpx_pair_sleep *how,
		     const struct klpx_pair_rec *rec);
int klpx_pair_cycle(struct klpx_pair_rec *rec, const struct klpx_pair_sleep *how);

#endif /* _RELIABILITY_PAIR_H */
