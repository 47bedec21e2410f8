/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What klpx_sleeper shares with the patch that changes its nap function.
 * A patch module cannot link to the target's static data, so the nap
 * function gets everything it touches through this argument.
 */
#ifndef KLPX_SLEEPER_H
#define KLPX_SLEEPER_H

#include <linux/types.h>
#include <linux/wait.h>

struct klpx_sleeper {
	wait_queue_head_t wake;
	bool held;		/* a nap lasts until this drops */
	bool napping;		/* the kthread is inside the nap function */
	unsigned long naps;
	const char *last_nap_by; /* which code ran the last nap */
};

/* Sleeps while s->held; the function klpx_sleeper_fix replaces. */
void klpx_sleeper_nap(struct klpx_sleeper *s);

#endif
