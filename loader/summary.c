// SPDX-License-Identifier: GPL-2.0-or-later
/* The end-of-transition summary of apply and revert. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "summary.h"
#include "transition_view.h"

int summary_add_replaced(struct summary *s, const char *patch)
{
	char **grown = realloc(s->replaced, (s->nr_replaced + 1) * sizeof(*grown));

	if (!grown)
		return -ENOMEM;
	s->replaced = grown;
	s->replaced[s->nr_replaced] = strdup(patch);
	if (!s->replaced[s->nr_replaced])
		return -ENOMEM;
	s->nr_replaced++;
	return 0;
}

static bool is_replaced(const struct summary *s, const char *patch)
{
	int i;

	for (i = 0; i < s->nr_replaced; i++)
		if (!strcmp(s->replaced[i], patch))
			return true;
	return false;
}

static bool same_func(const struct func_info *a, const struct func_info *b)
{
	return !strcmp(a->object, b->object) && !strcmp(a->name, b->name) &&
	       a->sympos == b->sympos;
}

/* Is f changed by a patch of the list that is (still) in effect? */
static bool func_patched_in(const struct summary *s, const struct patch_list *list,
			    const struct func_info *f)
{
	int i, k, m;

	for (i = 0; i < list->nr; i++) {
		const struct patch_info *p = &list->patches[i];

		if (p->enabled != 1 || is_replaced(s, p->name))
			continue;
		for (k = 0; k < p->nr_objects; k++)
			for (m = 0; m < p->objects[k].nr_funcs; m++)
				if (same_func(&p->objects[k].funcs[m], f))
					return true;
	}
	return false;
}

static bool already_reverted(const struct summary *s, const struct func_info *f)
{
	int i;

	for (i = 0; i < s->nr_reverted; i++)
		if (same_func(&s->reverted[i], f))
			return true;
	return false;
}

int summary_compare(struct summary *s, const struct patch_list *before,
		    const struct patch_list *after)
{
	int i, k, m;

	for (i = 0; i < before->nr; i++) {
		const struct patch_info *p = &before->patches[i];

		/* A patch caught mid-transition was not in effect before. */
		if (p->enabled != 1 || p->transition == 1)
			continue;
		for (k = 0; k < p->nr_objects; k++) {
			for (m = 0; m < p->objects[k].nr_funcs; m++) {
				const struct func_info *f = &p->objects[k].funcs[m];
				struct func_info *grown;

				if (func_patched_in(s, after, f) || already_reverted(s, f))
					continue;
				grown = realloc(s->reverted, (s->nr_reverted + 1) * sizeof(*grown));
				if (!grown)
					return -ENOMEM;
				s->reverted = grown;
				s->reverted[s->nr_reverted++] = *f;
			}
		}
	}
	return 0;
}

static void summary_print_text(const struct summary *s)
{
	const struct transition_view *v = s->view;
	char points[200];
	int i;

	if (s->exit_code == EXIT_FAILED) {
		report_error("%s%s", s->message, s->nr_kernel_log ? "; the kernel said:" : "");
		for (i = 0; i < s->nr_kernel_log; i++)
			fprintf(stderr, "  %s\n", s->kernel_log[i]);
	} else if (s->message[0]) {
		say("%s", s->message);
	}
	if (v) {
		switch_points_text(v->switched, points, sizeof(points));
		if (s->bpf && points[0]) {
			unsigned long sum = 0;

			for (i = 0; i < KLPX_SWITCH_NR; i++)
				sum += v->switched[i];
			say("  tasks switched: %lu (%s)", sum, points);
		}
		else if (!s->bpf && v->total)
			say("  tasks switched: %u of %u (switch points unknown without BPF)",
			    v->migrated, v->total);
		if (s->bpf && v->signals)
			say("  fake signals or wakeups sent: %lu", v->signals);
	}
	if (s->nr_replaced) {
		char line[1024];
		size_t used = 0;

		for (i = 0; i < s->nr_replaced && used < sizeof(line); i++)
			used += snprintf(line + used, sizeof(line) - used, "%s%s",
					 i ? ", " : "", s->replaced[i]);
		say("  replaced patches: %s", line);
	}
	if (s->nr_reverted) {
		say("  functions back to the original code:");
		for (i = 0; i < s->nr_reverted; i++)
			say("    %s %s%s", s->reverted[i].object, s->reverted[i].name,
			    s->reverted[i].sympos > 1 ? " (sympos > 1)" : "");
	}
}

static void summary_print_json(const struct summary *s)
{
	const struct transition_view *v = s->view;
	struct json j;
	int i;

	json_begin(&j, stdout);
	json_object_open(&j, NULL);
	json_string(&j, "command", s->command);
	json_string(&j, "patch", s->patch);
	json_string(&j, "module", s->module_path);
	json_string(&j, "result", s->result);
	json_int(&j, "exit_code", s->exit_code);
	json_string(&j, "message", s->message[0] ? s->message : NULL);
	if (s->exit_code == EXIT_FAILED)
		json_string(&j, "error", s->message);
	json_string(&j, "engine", s->engine[0] ? s->engine : NULL);
	json_bool(&j, "bpf", s->bpf);
	json_string(&j, "bpf_error", s->bpf_error[0] ? s->bpf_error : NULL);
	if (v) {
		json_double(&j, "elapsed", v->elapsed);
		json_object_open(&j, "tasks");
		if (v->total) {
			json_int(&j, "migrated", v->migrated);
			json_int(&j, "total", v->total);
		} else {
			json_null(&j, "migrated");
			json_null(&j, "total");
		}
		json_object_close(&j);
		if (s->bpf) {
			switch_points_json(&j, "switch_points", v->switched);
			json_int(&j, "signals", v->signals);
		} else {
			json_null(&j, "switch_points");
			json_null(&j, "signals");
		}
		json_bool(&j, "forced", v->forced);
		json_bool(&j, "reversed", v->reversed);
		stall_report_json(&j, "stalled_tasks", &v->stall);
	} else {
		json_null(&j, "elapsed");
		json_null(&j, "tasks");
		json_null(&j, "switch_points");
		json_null(&j, "signals");
		json_bool(&j, "forced", false);
		json_bool(&j, "reversed", false);
		json_array_open(&j, "stalled_tasks");
		json_array_close(&j);
	}
	json_array_open(&j, "replaced_patches");
	for (i = 0; i < s->nr_replaced; i++)
		json_string(&j, NULL, s->replaced[i]);
	json_array_close(&j);
	json_array_open(&j, "reverted_functions");
	for (i = 0; i < s->nr_reverted; i++) {
		json_object_open(&j, NULL);
		json_string(&j, "object", s->reverted[i].object);
		json_string(&j, "function", s->reverted[i].name);
		json_int(&j, "sympos", s->reverted[i].sympos);
		json_object_close(&j);
	}
	json_array_close(&j);
	json_bool(&j, "module_removed", s->module_removed);
	json_array_open(&j, "kernel_log");
	for (i = 0; i < s->nr_kernel_log; i++)
		json_string(&j, NULL, s->kernel_log[i]);
	json_array_close(&j);
	json_object_close(&j);
	json_end(&j);
}

void summary_print(const struct summary *s)
{
	if (output.json)
		summary_print_json(s);
	else
		summary_print_text(s);
}

void summary_free(struct summary *s)
{
	int i;

	for (i = 0; i < s->nr_replaced; i++)
		free(s->replaced[i]);
	free(s->replaced);
	free(s->reverted);
	for (i = 0; i < s->nr_kernel_log; i++)
		free(s->kernel_log[i]);
	s->replaced = NULL;
	s->reverted = NULL;
	s->nr_replaced = s->nr_reverted = s->nr_kernel_log = 0;
}
