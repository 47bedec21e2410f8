/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef _KLPX_MODULE_NOTIFIER_H
#define _KLPX_MODULE_NOTIFIER_H

#include <linux/module.h>

bool klpx_module_seen_coming(struct module *mod);
bool klpx_module_coming_unsure(struct module *mod);
int klpx_module_notifier_init(void);
void klpx_module_notifier_exit(void);

#endif /* _KLPX_MODULE_NOTIFIER_H */
