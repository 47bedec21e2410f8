/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef _KLPX_TRANSITION_H
#define _KLPX_TRANSITION_H

#include <linux/seq_file.h>
#include <klpx/livepatch.h>

extern struct klpx_patch *klpx_transition_patch;

int klpx_init_transition(struct klpx_patch *patch, int state);
void klpx_start_transition(void);
void klpx_cancel_transition(void);
void klpx_try_complete_transition(void);
void klpx_reverse_transition(void);
void klpx_force_transition(void);
void klpx_transition_funcs_changed(void);
void klpx_release_probes(void);
int klpx_transition_report(struct seq_file *m);
int klpx_transition_init(void);
void klpx_transition_exit(void);

#endif /* _KLPX_TRANSITION_H */
