// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * loader apply PATCH.ko: check the file, load the engine if needed, attach
 * BPF, load the patch module, follow its transition, and report.
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

static const char apply_help[] =
"usage: loader apply [options] PATCH.ko [PARAM=VALUE...]\n"
"\n"
"Checks that PATCH.ko is a klpx patch module, loads the klpx engine if it is\n"
"not loaded, attaches the BPF tracing programs, loads the module (with the\n"
"given module parameters) and follows the patch's transition to its end.\n"
"\n"
"  -t, --timeout SECONDS      stop waiting after SECONDS (default 60, 0: never)\n"
"      --on-timeout ACTION    revert (default), wait, or force\n"
"      --stall-report SECONDS name the tasks holding the transition after\n"
"                             SECONDS (default 3)\n"
"      --engine PATH          load the engine from PATH if it is not loaded\n"
"                             (default: kernel/klpx.ko next to the loader,\n"
"                             then 'modprobe klpx')\n"
"      --trace                also print every transition event, and each\n"
"                             task as it switches (one BPF run per task)\n"
COMMON_OPTIONS_HELP
"\n"
"Exit status: 0 patched, 1 failed, 2 timed out and reverted, 3 completed only\n"
"by force, 64 usage error, 130 interrupted (the transition keeps running).\n";

struct apply_options {
	const char *path;
	char params[1024];
	const char *engine;
	struct follow_options follow;
};

static int parse_options(int argc, char **argv, struct apply_options *o)
{
	static const struct option long_options[] = {
		COMMON_LONG_OPTIONS,
		FOLLOW_LONG_OPTIONS,
		{ "engine", required_argument, NULL, OPT_ENGINE },
		{ 0 }
	};
	size_t used = 0;
	int c, i;

	memset(o, 0, sizeof(*o));
	follow_options_init(&o->follow, ON_TIMEOUT_REVERT, ON_TIMEOUT_FAIL);
	while ((c = getopt_long(argc, argv, COMMON_SHORT_OPTIONS FOLLOW_SHORT_OPTIONS,
				long_options, NULL)) != -1) {
		int ret;

		if (c == OPT_ENGINE) {
			o->engine = optarg;
			continue;
		}
		ret = follow_option(c, "apply", apply_help, argv, &o->follow);
		if (ret >= 0)
			return ret;
	}
	if (optind >= argc)
		return usage_error("apply", "no patch module given");
	o->path = argv[optind++];
	for (i = optind; i < argc; i++) {
		if (!strchr(argv[i], '='))
			return usage_error("apply", "unexpected argument '%s' (module parameters are PARAM=VALUE)", argv[i]);
		used += snprintf(o->params + used, sizeof(o->params) - used, "%s%s",
				 used ? " " : "", argv[i]);
		if (used >= sizeof(o->params))
			return usage_error("apply", "module parameters too long");
	}
	follow_options_done(&o->follow);
	return -1;
}

/* Refuses, before loading anything, a file that is not a klpx patch. */
static int check_patch_file(const char *path, struct modinfo *mi)
{
	char why[256];
	int err;

	err = modinfo_read(path, mi, why, sizeof(why));
	if (err == -ENOEXEC || err == -EINVAL) {
		report_error("%s is not a kernel module (%s); nothing was loaded", path, why);
		return EXIT_FAILED;
	}
	if (err) {
		report_error("cannot read %s: %s; apply takes the path of a patch module (.ko)",
			     path, why);
		return EXIT_FAILED;
	}
	if (mi->kind == MODULE_NATIVE_LIVEPATCH) {
		report_error("%s (%s) is a patch for the kernel's own livepatch, not for klpx; "
			     "nothing was loaded: load it with insmod, or rebuild its source "
			     "against klpx with -include klpx/compat.h", path, mi->name);
		return EXIT_FAILED;
	}
	if (mi->kind == MODULE_PLAIN && !strcmp(mi->name, "klpx")) {
		report_error("%s is the klpx engine, not a patch; nothing was loaded: "
			     "apply loads the engine itself (--engine PATH names it)", path);
		return EXIT_FAILED;
	}
	if (mi->kind == MODULE_PLAIN) {
		report_error("%s (%s) is a kernel module but not a klpx patch (it does not "
			     "depend on klpx); nothing was loaded: build patches with klpx's "
			     "API, as README says", path, mi->name);
		return EXIT_FAILED;
	}
	/* A kernel with its own livepatch makes klpx require the marker too. */
	if (!mi->livepatch && access("/sys/kernel/livepatch", F_OK) == 0) {
		report_error("%s (%s) is not marked as a live patch; nothing was loaded: "
			     "add KLPX_PATCH_MODULE_INFO(); to its source and rebuild it",
			     path, mi->name);
		return EXIT_FAILED;
	}
	return -1;
}

static void start_tracing(struct tracer *tracer, struct transition_view *view,
			  struct summary *s)
{
	if (bpf_disabled_by_user) {
		snprintf(s->bpf_error, sizeof(s->bpf_error), "disabled by --no-bpf or KLPX_NO_BPF");
	} else if (!tracer_load(tracer, s->patch,
				   view->print_events ? TRACER_EVENTS_PER_TASK : TRACER_EVENTS,
				   s->bpf_error, sizeof(s->bpf_error))) {
		if (!tracer_attach_events(tracer, transition_view_on_event, view,
					  s->bpf_error, sizeof(s->bpf_error))) {
			view->tracer = tracer;
			s->bpf = true;
			return;
		}
		tracer_close(tracer);
	}
	note("no BPF tracing (%s): progress and stalled tasks come from sysfs and "
	     "debugfs, without switch points", s->bpf_error);
}

static void collect_kernel_log(struct kernel_log *klog, struct summary *s)
{
	const char *needles[] = { "klpx", s->patch, NULL };

	s->nr_kernel_log = kernel_log_new_lines(klog, needles, s->kernel_log,
						SUMMARY_MAX_KERNEL_LINES);
}

/* What to do about a failed module load, from the errno and the kernel's words. */
static const char *load_failure_advice(int err, const struct summary *s)
{
	int i;

	if (err == -EPERM)
		return "; loading modules needs root";
	if (err == -EEXIST)
		return "; a module of that name is loaded";
	for (i = 0; i < s->nr_kernel_log; i++)
		if (strstr(s->kernel_log[i], KLPX_LOG_INCOMPATIBLE))
			return "; a loaded patch changed a system state that this patch does not "
			       "handle, or handles at an older version: revert that patch, or apply "
			       "one that handles the state";
	return s->nr_kernel_log ? "" : "; the kernel logged nothing about it (see dmesg)";
}

/* The patch disabled itself or was disabled: free its module. */
static void remove_module_after_revert(struct summary *s, double timeout_s)
{
	int err;

	patch_wait_gone(s->patch, timeout_s);
	err = module_remove(s->patch, timeout_s);
	s->module_removed = !err;
	if (err)
		note("module %s stays loaded: %s; remove it with 'loader revert %s'",
		     s->patch, strerror(-err), s->patch);
}

/* After a replace: the older patches leave sysfs once the engine frees them. */
static void wait_replaced_gone(struct summary *s, double timeout_s)
{
	double deadline = monotonic_seconds() + timeout_s;
	int i;

	for (i = 0; i < s->nr_replaced; i++) {
		double left = deadline - monotonic_seconds();

		patch_wait_gone(s->replaced[i], left > 0 ? left : 0);
	}
}

static void set_interrupted(struct summary *s)
{
	s->result = "interrupted";
	s->exit_code = EXIT_INTERRUPTED;
	snprintf(s->message, sizeof(s->message),
		 "interrupted: the transition of '%s' keeps running; follow it with "
		 "'loader trace', see what holds it with 'loader stalled', undo it "
		 "with 'loader revert %s'", s->patch, s->patch);
}

static void on_timeout_revert(struct summary *s, struct transition_view *view,
			      const struct apply_options *o)
{
	double timed_out_after = view->elapsed;
	int err;

	say("%s: timed out after %.1f s; reverting (--on-timeout revert)", s->patch,
	    timed_out_after);
	err = patch_write_attr(s->patch, "enabled", "0");
	if (err) {
		s->result = "failed";
		s->exit_code = EXIT_FAILED;
		snprintf(s->message, sizeof(s->message),
			 "timed out after %.1f s and could not revert: writing 0 to %s/%s/enabled: %s",
			 timed_out_after, "/sys/kernel/klpx", s->patch, strerror(-err));
		return;
	}
	view->target = KLPX_TARGET_UNPATCHED;
	switch (transition_view_follow(view)) {
	case VIEW_INTERRUPTED:
		set_interrupted(s);
		return;
	case VIEW_TIMED_OUT:
		transition_view_report_timeout(view);
		s->result = "revert_timed_out";
		s->exit_code = EXIT_FAILED;
		snprintf(s->message, sizeof(s->message),
			 "the revert of '%s' timed out too, after %.1f s; it keeps running: "
			 "force it with 'echo 1 > /sys/kernel/klpx/%s/force' or follow it "
			 "with 'loader trace'", s->patch, o->follow.timeout_s, s->patch);
		return;
	case VIEW_DONE:
		break;
	}
	remove_module_after_revert(s, follow_removal_timeout(&o->follow));
	s->result = "reverted";
	s->exit_code = EXIT_TIMED_OUT;
	snprintf(s->message, sizeof(s->message),
		 "%s: timed out after %.1f s and was reverted%s", s->patch,
		 timed_out_after, s->module_removed ? "; module removed" : "");
}

static bool on_timeout_force(struct summary *s, struct transition_view *view)
{
	int err;

	say("%s: timed out after %.1f s; forcing the transition (consistency is "
	    "not guaranteed)", s->patch, view->elapsed);
	err = patch_write_attr(s->patch, "force", "1");
	if (err) {
		s->result = "failed";
		s->exit_code = EXIT_FAILED;
		snprintf(s->message, sizeof(s->message),
			 "timed out and could not force: writing 1 to /sys/kernel/klpx/%s/force: %s",
			 s->patch, strerror(-err));
		return false;
	}
	view->forced = true;
	view->timeout_s = 0;
	if (transition_view_follow(view) == VIEW_INTERRUPTED) {
		set_interrupted(s);
		return false;
	}
	return true;
}

static void finish(struct summary *s, struct transition_view *view,
		   const struct patch_list *before, const struct apply_options *o)
{
	struct patch_list after;
	int enabled = 0, replace = 0, i;

	if (!patch_exists(s->patch) || patch_read_attr(s->patch, "enabled", &enabled) ||
	    enabled != 1) {
		remove_module_after_revert(s, follow_removal_timeout(&o->follow));
		s->result = "reverted_by_other";
		s->exit_code = EXIT_FAILED;
		snprintf(s->message, sizeof(s->message),
			 "the transition of '%s' was reversed (the patch was disabled while "
			 "it ran)%s", s->patch, s->module_removed ? "; module removed" : "");
		return;
	}

	if (!patch_read_attr(s->patch, "replace", &replace) && replace == 1) {
		for (i = 0; i < before->nr; i++)
			if (before->patches[i].enabled == 1 && strcmp(before->patches[i].name, s->patch))
				summary_add_replaced(s, before->patches[i].name);
		wait_replaced_gone(s, 10);
	}
	if (!patch_list_read(&after)) {
		summary_compare(s, before, &after);
		patch_list_free(&after);
	}
	if (view->forced) {
		s->result = "forced";
		s->exit_code = EXIT_FORCED;
		snprintf(s->message, sizeof(s->message),
			 "%s: patched by force after %.1f s: tasks that had not switched "
			 "may still run the old code%s", s->patch, view->elapsed,
			 s->nr_replaced ? "; the replaced patches' modules can no longer be removed" : "");
	} else {
		s->result = "patched";
		s->exit_code = EXIT_OK;
		snprintf(s->message, sizeof(s->message), "%s: patched in %.3f s",
			 s->patch, view->elapsed);
	}
}

int cmd_apply(int argc, char **argv)
{
	struct patch_list before = { 0 };
	struct transition_view view;
	struct apply_options o;
	struct kernel_log klog = { .fd = -1 };
	struct tracer tracer = { 0 };
	struct summary s = { 0 };
	const struct patch_info *busy;
	struct modinfo mi;
	char why[512];
	int ret, err;

	ret = parse_options(argc, argv, &o);
	if (ret >= 0)
		return ret;
	ret = check_patch_file(o.path, &mi);
	if (ret >= 0)
		return ret;
	s.command = "apply";
	s.patch = mi.name;
	s.module_path = o.path;

	if (module_is_loaded(mi.name)) {
		report_error("module %s is already loaded; revert it first with 'loader revert %s'",
			     mi.name, mi.name);
		return EXIT_FAILED;
	}
	if (engine_ensure_loaded(o.engine, s.engine, sizeof(s.engine), why, sizeof(why))) {
		report_error("%s", why);
		return EXIT_FAILED;
	}
	if (s.engine[0])
		say("%s", s.engine);
	err = patch_list_read(&before);
	if (err) {
		report_error("cannot read /sys/kernel/klpx: %s", strerror(-err));
		return EXIT_FAILED;
	}
	busy = patch_list_in_transition(&before);
	if (busy) {
		report_error("patch '%s' is in transition; wait for it to finish ('loader trace') "
			     "or revert it, then retry; nothing was loaded", busy->name);
		patch_list_free(&before);
		return EXIT_FAILED;
	}

	transition_view_init(&view, mi.name);
	view.timeout_s = o.follow.timeout_s;
	view.stall_report_s = o.follow.stall_report_s;
	view.print_events = o.follow.trace;
	s.view = &view;
	start_tracing(&tracer, &view, &s);

	kernel_log_mark(&klog);
	say("%s: loading %s", mi.name, o.path);
	view.started = monotonic_seconds();
	err = module_load_file(o.path, o.params);
	if (err) {
		collect_kernel_log(&klog, &s);
		s.view = NULL;
		s.result = "failed";
		s.exit_code = EXIT_FAILED;
		snprintf(s.message, sizeof(s.message), "loading %s failed: %s%s", mi.name,
			 strerror(-err), load_failure_advice(err, &s));
		goto out;
	}
	if (!patch_exists(mi.name)) {
		collect_kernel_log(&klog, &s);
		s.module_removed = !module_remove(mi.name, 5);
		s.view = NULL;
		s.result = "failed";
		s.exit_code = EXIT_FAILED;
		snprintf(s.message, sizeof(s.message),
			 "%s loaded but enabled no klpx patch; the module was %s",
			 mi.name, s.module_removed ? "removed again" : "left loaded");
		goto out;
	}

	switch (transition_view_follow(&view)) {
	case VIEW_INTERRUPTED:
		set_interrupted(&s);
		break;
	case VIEW_TIMED_OUT:
		transition_view_report_timeout(&view);
		if (o.follow.on_timeout == ON_TIMEOUT_FORCE) {
			if (on_timeout_force(&s, &view))
				finish(&s, &view, &before, &o);
		} else {
			on_timeout_revert(&s, &view, &o);
		}
		break;
	case VIEW_DONE:
		finish(&s, &view, &before, &o);
		break;
	}
	transition_view_collect_counters(&view);
	if (s.exit_code != EXIT_OK && s.exit_code != EXIT_FORCED)
		collect_kernel_log(&klog, &s);

out:
	summary_print(&s);
	summary_free(&s);
	stall_report_free(&view.stall);
	kernel_log_close(&klog);
	tracer_close(&tracer);
	patch_list_free(&before);
	return s.exit_code;
}
