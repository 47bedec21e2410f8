/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What klpx_leaky shares with klpx_leaky_fix, the patch that fixes its leak. */
#ifndef KLPX_LEAKY_H
#define KLPX_LEAKY_H

#include <linux/atomic.h>

#define KLPX_LEAKY_SCRATCH_SIZE	4096

struct klpx_leaky_stats {
	atomic_long_t sessions_started;
	atomic_long_t sessions_open;
	atomic_long_t scratch_allocated;
	atomic_long_t scratch_freed;
};

/* One per open of /proc/klpx_leaky.  It has no field for the scratch buffer. */
struct klpx_leaky_session {
	unsigned long id;
	struct klpx_leaky_stats *stats;
};

struct klpx_leaky_session *klpx_leaky_session_start(struct klpx_leaky_stats *stats);
void klpx_leaky_session_end(struct klpx_leaky_session *session);

#endif
