/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The engine's files: /sys/kernel/klpx (patches, objects, functions),
 * /sys/kernel/debug/klpx/tasks (the tasks a transition waits for) and the
 * module parameters.
 */
#ifndef LOADER_SYSFS_H
#define LOADER_SYSFS_H

#include <stdbool.h>
#include <stddef.h>
#include <klpx/events.h>

#define OBJECT_NAME_LEN		256
#define FUNC_NAME_LEN		256

struct func_info {
	char object[OBJECT_NAME_LEN];
	char name[FUNC_NAME_LEN];
	unsigned long sympos;
};

struct object_info {
	char name[OBJECT_NAME_LEN];
	int patched;			/* -1 if unreadable */
	int nr_funcs;
	struct func_info *funcs;
};

struct patch_info {
	char name[KLPX_NAME_LEN];
	int enabled;			/* -1 if unreadable (being freed) */
	int transition;
	int replace;
	int nr_objects;
	struct object_info *objects;
};

struct patch_list {
	int nr;
	struct patch_info *patches;
};

/* Reads every patch under /sys/kernel/klpx; an absent root gives no patch. */
int patch_list_read(struct patch_list *list);
void patch_list_free(struct patch_list *list);
const struct patch_info *patch_list_find(const struct patch_list *list,
					 const char *name);
/* The patch whose transition is running, NULL if none. */
const struct patch_info *patch_list_in_transition(const struct patch_list *list);

bool engine_is_loaded(void);
bool patch_exists(const char *patch);
/* Reads /sys/kernel/klpx/<patch>/<attr> as an integer; -errno on failure. */
int patch_read_attr(const char *patch, const char *attr, int *value);
int patch_write_attr(const char *patch, const char *attr, const char *value);
/*
 * Waits until the patch has left sysfs (the engine frees a disabled or
 * replaced patch asynchronously).  Returns false after timeout_s.
 */
bool patch_wait_gone(const char *patch, double timeout_s);

/* Reads an engine module parameter as an integer; -errno on failure. */
int engine_param_read(const char *param, long *value);

/* A task the running transition still waits for, as debugfs lists it. */
struct pending_task {
	int pid;
	char comm[KLPX_COMM_LEN];
	char reason[24];
	char function[160];		/* "sym+off/size [mod]" or "-" */
};

struct transition_tasks {
	bool active;
	char patch[KLPX_NAME_LEN];
	int target;			/* KLPX_TARGET_* */
	unsigned int migrated;
	unsigned int total;
	int nr;
	struct pending_task *tasks;
};

/*
 * Reads /sys/kernel/debug/klpx/tasks (mounting debugfs first if it is not
 * mounted).  Returns -errno when the file cannot be read; an idle engine
 * gives active == false.
 */
int transition_tasks_read(struct transition_tasks *tt);
void transition_tasks_free(struct transition_tasks *tt);

const char *target_name(int target);		/* "patched" / "unpatched" */
const char *switch_point_name(unsigned int point);
const char *block_reason_name(unsigned int reason);

/* /proc/<pid>/comm, or "?" if the task is gone. */
void task_comm(int pid, char *comm, size_t len);

#endif
