// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * loader revert PATCH: disable the patch through sysfs, follow the
 * transition back, detach BPF, and remove the module once the engine has
 * let go of it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bpf_tracing.h"
#include "commands.h"
#include "kernel_log.h"
#include "module_load.h"
#include "output.h"
#include "summary.h"
#include "sysfs.h"
#include "transition_view.h"

static const char revert_help[] =
"usage: loader revert [options] PATCH\n"
"\n"
"Disables the klpx patch PATCH (its name, as 'loader list' shows it, or its\n"
"module file), follows the transition back to the original code, and\n"
"removes the patch module.  A patch that is no longer enabled (replaced by\n"
"a cumulative patch, or disabled through sysfs) only has its module removed.\n"
"\n"
"  -t, --timeout SECONDS      stop waiting after SECONDS (default 60, 0: never)\n"
"      --on-timeout ACTION    fail (default: exit 1, the transition keeps\n"
"                             running), wait, or force\n"
"      --stall-report SECONDS name the tasks holding the transition after\n"
"                             SECONDS (default 3)\n"
"      --trace                also print every transition event, and each\n"
"                             task as it switches (one BPF run per task)\n"
COMMON_OPTIONS_HELP
"\n"
"Exit status: 0 reverted, 1 failed (including a revert that stalls), 3\n"
"completed only by force, 64 usage error, 130 interrupted.\n";

struct revert_options {
	const char *patch_arg;
	struct follow_options follow;
};

static int parse_options(int argc, char **argv, struct revert_options *o)
{
	static const struct option long_options[] = {
		COMMON_LONG_OPTIONS,
		FOLLOW_LONG_OPTIONS,
		{ 0 }
	};
	int c;

	memset(o, 0, sizeof(*o));
	follow_options_init(&o->follow, ON_TIMEOUT_FAIL, ON_TIMEOUT_REVERT);
	while ((c = getopt_long(argc, argv, COMMON_SHORT_OPTIONS FOLLOW_SHORT_OPTIONS,
				long_options, NULL)) != -1) {
		int ret = follow_option(c, "revert", revert_help, argv, &o->follow);

		if (ret >= 0)
			return ret;
	}
	if (optind >= argc)
		return usage_error("revert", "no patch given");
	if (optind + 1 < argc)
		return usage_error("revert", "unexpected argument '%s'", argv[optind + 1]);
	o->patch_arg = argv[optind];
	follow_options_done(&o->follow);
	return -1;
}

/* A module file stands for the patch its .modinfo names. */
static int resolve_patch_name(const char *arg, char *name, size_t len)
{
	struct modinfo mi;
	char why[256];
	size_t n = strlen(arg);

	if (strchr(arg, '/') || (n > 3 && !strcmp(arg + n - 3, ".ko"))) {
		if (modinfo_read(arg, &mi, why, sizeof(why))) {
			report_error("cannot take the patch name from %s: %s; give a loaded "
				     "patch's name (see 'loader list') or its module file", arg, why);
			return EXIT_FAILED;
		}
		snprintf(name, len, "%s", mi.name);
	} else {
		snprintf(name, len, "%s", arg);
	}
	return -1;
}

static void remove_module(struct summary *s, double timeout_s, bool forced)
{
	int err = module_remove(s->patch, timeout_s);

	s->module_removed = !err;
	if (!err || err == -ENOENT)
		return;
	if (forced)
		note("module %s stays loaded: a forced transition pins it until reboot", s->patch);
	else
		note("module %s stays loaded: %s (reference count %d); try "
		     "'loader revert %s' again later", s->patch, strerror(-err),
		     module_refcount(s->patch), s->patch);
}

/* The patch is gone from sysfs: only its module may be left. */
static int remove_leftover_module(struct summary *s, const struct revert_options *o)
{
	if (!module_is_loaded(s->patch)) {
		report_error("no klpx patch or module named '%s' is loaded (see 'loader list')",
			     s->patch);
		return EXIT_FAILED;
	}
	say("%s: not enabled (replaced or disabled already); removing its module", s->patch);
	remove_module(s, follow_removal_timeout(&o->follow), false);
	s->result = s->module_removed ? "module_removed" : "failed";
	s->exit_code = s->module_removed ? EXIT_OK : EXIT_FAILED;
	snprintf(s->message, sizeof(s->message), "%s: module %s", s->patch,
		 s->module_removed ? "removed" : "could not be removed");
	summary_print(s);
	return s->exit_code;
}

int cmd_revert(int argc, char **argv)
{
	struct patch_list before = { 0 }, after;
	struct transition_view view;
	struct revert_options o;
	struct kernel_log klog = { .fd = -1 };
	struct tracer tracer = { 0 };
	struct summary s = { 0 };
	const struct patch_info *busy;
	char name[KLPX_NAME_LEN];
	bool forced = false, already_disabling = false;
	int enabled = 1, transition = 0;
	int ret, err;

	ret = parse_options(argc, argv, &o);
	if (ret >= 0)
		return ret;
	ret = resolve_patch_name(o.patch_arg, name, sizeof(name));
	if (ret >= 0)
		return ret;
	s.command = "revert";
	s.patch = name;
	if (strcmp(o.patch_arg, name))
		s.module_path = o.patch_arg;

	if (!patch_exists(name))
		return remove_leftover_module(&s, &o);
	/*
	 * A replaced or disabled patch stays in sysfs, disabled and out of
	 * transition, until the engine frees it: only its module is left to
	 * remove.  A disabled one in transition is being unpatched already.
	 */
	if (!patch_read_attr(name, "enabled", &enabled) && !enabled) {
		if (patch_read_attr(name, "transition", &transition) || !transition) {
			patch_wait_gone(name, follow_removal_timeout(&o.follow));
			return remove_leftover_module(&s, &o);
		}
		already_disabling = true;
	}

	err = patch_list_read(&before);
	if (err) {
		report_error("cannot read /sys/kernel/klpx: %s", strerror(-err));
		return EXIT_FAILED;
	}
	busy = patch_list_in_transition(&before);
	if (busy && strcmp(busy->name, name) != 0) {
		report_error("patch '%s' is in transition; wait for it to finish ('loader trace'), "
			     "then retry", busy->name);
		patch_list_free(&before);
		return EXIT_FAILED;
	}

	transition_view_init(&view, name);
	view.target = KLPX_TARGET_UNPATCHED;
	view.timeout_s = o.follow.timeout_s;
	view.stall_report_s = o.follow.stall_report_s;
	view.print_events = o.follow.trace;
	s.view = &view;
	if (bpf_disabled_by_user) {
		snprintf(s.bpf_error, sizeof(s.bpf_error), "disabled by --no-bpf or KLPX_NO_BPF");
	} else if (!tracer_load(&tracer, name,
				   o.follow.trace ? TRACER_EVENTS_PER_TASK : TRACER_EVENTS,
				   s.bpf_error, sizeof(s.bpf_error))) {
		if (!tracer_attach_events(&tracer, transition_view_on_event, &view,
					  s.bpf_error, sizeof(s.bpf_error))) {
			view.tracer = &tracer;
			s.bpf = true;
		} else {
			tracer_close(&tracer);
		}
	}
	if (!s.bpf)
		note("no BPF tracing (%s): progress and stalled tasks come from sysfs and "
		     "debugfs, without switch points", s.bpf_error);

	kernel_log_mark(&klog);
	if (already_disabling)
		say("%s: being disabled already; following its transition", name);
	else if (busy)
		say("%s: reversing its running transition", name);
	else
		say("%s: disabling", name);
	view.started = monotonic_seconds();
	err = already_disabling ? 0 : patch_write_attr(name, "enabled", "0");
	if (err == -ENOENT) {
		/* Freed since we looked: it had been replaced or disabled. */
		s.view = NULL;
		tracer_close(&tracer);
		patch_list_free(&before);
		kernel_log_close(&klog);
		return remove_leftover_module(&s, &o);
	}
	if (err) {
		const char *needles[] = { "klpx", name, NULL };

		s.nr_kernel_log = kernel_log_new_lines(&klog, needles, s.kernel_log,
						       SUMMARY_MAX_KERNEL_LINES);
		s.view = NULL;
		s.result = "failed";
		s.exit_code = EXIT_FAILED;
		snprintf(s.message, sizeof(s.message),
			 "disabling %s failed: writing 0 to /sys/kernel/klpx/%s/enabled: %s",
			 name, name, strerror(-err));
		goto out;
	}

	switch (transition_view_follow(&view)) {
	case VIEW_INTERRUPTED:
		s.result = "interrupted";
		s.exit_code = EXIT_INTERRUPTED;
		snprintf(s.message, sizeof(s.message),
			 "interrupted: the transition of '%s' keeps running; follow it with "
			 "'loader trace', then remove the module with 'loader revert %s'",
			 name, name);
		goto out;
	case VIEW_TIMED_OUT:
		transition_view_report_timeout(&view);
		if (o.follow.on_timeout != ON_TIMEOUT_FORCE) {
			s.result = "timed_out";
			s.exit_code = EXIT_FAILED;
			snprintf(s.message, sizeof(s.message),
				 "the revert of '%s' timed out after %.1f s; it keeps running: "
				 "force it with 'echo 1 > /sys/kernel/klpx/%s/force' or follow "
				 "it with 'loader trace'", name, view.elapsed, name);
			goto out;
		}
		say("%s: timed out after %.1f s; forcing the transition (the module "
		    "will stay loaded until reboot)", name, view.elapsed);
		err = patch_write_attr(name, "force", "1");
		if (err) {
			s.result = "failed";
			s.exit_code = EXIT_FAILED;
			snprintf(s.message, sizeof(s.message),
				 "forcing failed: writing 1 to /sys/kernel/klpx/%s/force: %s",
				 name, strerror(-err));
			goto out;
		}
		forced = true;
		view.forced = true;
		view.timeout_s = 0;
		if (transition_view_follow(&view) == VIEW_INTERRUPTED) {
			s.result = "interrupted";
			s.exit_code = EXIT_INTERRUPTED;
			snprintf(s.message, sizeof(s.message),
				 "interrupted: the forced transition of '%s' keeps running", name);
			goto out;
		}
		break;
	case VIEW_DONE:
		break;
	}

	/* Enabled again means someone reversed our disable. */
	if (patch_exists(name)) {
		int enabled = 0;

		if (!patch_read_attr(name, "enabled", &enabled) && enabled == 1) {
			s.result = "reversed_by_other";
			s.exit_code = EXIT_FAILED;
			snprintf(s.message, sizeof(s.message),
				 "the transition of '%s' was reversed (the patch was enabled "
				 "again while it ran); the patch stays enabled", name);
			goto out;
		}
	}
	patch_wait_gone(name, follow_removal_timeout(&o.follow));
	if (!patch_list_read(&after)) {
		summary_compare(&s, &before, &after);
		patch_list_free(&after);
	}
	transition_view_collect_counters(&view);
	/* BPF holds a reference on the engine, not on the patch; detach first anyway. */
	tracer_close(&tracer);
	view.tracer = NULL;
	remove_module(&s, follow_removal_timeout(&o.follow), forced || view.forced);
	if (forced || view.forced) {
		s.result = "forced";
		s.exit_code = EXIT_FORCED;
		snprintf(s.message, sizeof(s.message),
			 "%s: unpatched by force after %.1f s: tasks that had not switched "
			 "may still run the patched code", name, view.elapsed);
	} else {
		s.result = "unpatched";
		s.exit_code = s.module_removed ? EXIT_OK : EXIT_FAILED;
		snprintf(s.message, sizeof(s.message), "%s: unpatched in %.3f s; module %s",
			 name, view.elapsed, s.module_removed ? "removed" : "could not be removed");
	}

out:
	summary_print(&s);
	summary_free(&s);
	stall_report_free(&view.stall);
	kernel_log_close(&klog);
	tracer_close(&tracer);
	patch_list_free(&before);
	return s.exit_code;
}
