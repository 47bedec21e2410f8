// SPDX-License-Identifier: GPL-2.0-or-later
/* The engine's sysfs, debugfs and module-parameter files. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <klpx/abi.h>
#include "sysfs.h"

static const char *const switch_point_names[] = KLPX_SWITCH_NAMES;
static const char *const block_reason_names[] = KLPX_BLOCK_NAMES;

const char *switch_point_name(unsigned int point)
{
	if (point < sizeof(switch_point_names) / sizeof(switch_point_names[0]))
		return switch_point_names[point];
	return "unknown";
}

const char *block_reason_name(unsigned int reason)
{
	if (reason < sizeof(block_reason_names) / sizeof(block_reason_names[0]))
		return block_reason_names[reason];
	return "unknown";
}

const char *target_name(int target)
{
	return target == KLPX_TARGET_PATCHED ? "patched" : "unpatched";
}

/* Paths here are short; a truncated one simply fails to open. */
static void build_path(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void build_path(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, len, fmt, ap);
	va_end(ap);
}

static int read_small_file(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	if (n < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	close(fd);
	buf[n] = '\0';
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	return 0;
}

static int read_int_file(const char *path, int *value)
{
	char buf[64], *end;
	long v;
	int err;

	err = read_small_file(path, buf, sizeof(buf));
	if (err)
		return err;
	errno = 0;
	v = strtol(buf, &end, 10);
	if (errno || end == buf)
		return -EINVAL;
	*value = (int)v;
	return 0;
}

bool engine_is_loaded(void)
{
	return access(KLPX_SYSFS_ROOT, F_OK) == 0;
}

bool patch_exists(const char *patch)
{
	char path[PATH_MAX];

	build_path(path, sizeof(path), "%s/%s", KLPX_SYSFS_ROOT, patch);
	return access(path, F_OK) == 0;
}

int patch_read_attr(const char *patch, const char *attr, int *value)
{
	char path[PATH_MAX];

	build_path(path, sizeof(path), "%s/%s/%s", KLPX_SYSFS_ROOT, patch, attr);
	return read_int_file(path, value);
}

int patch_write_attr(const char *patch, const char *attr, const char *value)
{
	char path[PATH_MAX];
	size_t len = strlen(value);
	ssize_t n;
	int fd;

	build_path(path, sizeof(path), "%s/%s/%s", KLPX_SYSFS_ROOT, patch, attr);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, value, len);
	if (n < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	close(fd);
	return (size_t)n == len ? 0 : -EIO;
}

bool patch_wait_gone(const char *patch, double timeout_s)
{
	double waited = 0;

	while (patch_exists(patch)) {
		if (waited >= timeout_s)
			return false;
		usleep(50 * 1000);
		waited += 0.05;
	}
	return true;
}

int engine_param_read(const char *param, long *value)
{
	char path[PATH_MAX], buf[64], *end;
	int err;

	build_path(path, sizeof(path), "%s/%s", KLPX_PARAMS_DIR, param);
	err = read_small_file(path, buf, sizeof(buf));
	if (err)
		return err;
	*value = strtol(buf, &end, 10);
	return end == buf ? -EINVAL : 0;
}

static bool is_directory(const char *dir, const char *name)
{
	char path[PATH_MAX];
	struct stat st;

	build_path(path, sizeof(path), "%s/%s", dir, name);
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Objects and patches start with their name. */
static int compare_names(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);
}

static int compare_funcs(const void *a, const void *b)
{
	const struct func_info *fa = a, *fb = b;
	int diff = strcmp(fa->name, fb->name);

	if (diff)
		return diff;
	return (fa->sympos > fb->sympos) - (fa->sympos < fb->sympos);
}

/* Function directories are named "<function>,<sympos>". */
static int object_read(const char *patch_dir, const char *name,
		       struct object_info *obj)
{
	char dir[PATH_MAX], path[PATH_MAX];
	struct dirent *de;
	DIR *d;

	memset(obj, 0, sizeof(*obj));
	snprintf(obj->name, sizeof(obj->name), "%s", name);
	build_path(dir, sizeof(dir), "%s/%s", patch_dir, name);
	build_path(path, sizeof(path), "%s/patched", dir);
	if (read_int_file(path, &obj->patched))
		obj->patched = -1;

	d = opendir(dir);
	if (!d)
		return 0;	/* removed while we read: an empty object */
	while ((de = readdir(d))) {
		struct func_info *f, *grown;
		char *comma;

		if (de->d_name[0] == '.' || !strchr(de->d_name, ','))
			continue;
		if (!is_directory(dir, de->d_name))
			continue;
		grown = realloc(obj->funcs, (obj->nr_funcs + 1) * sizeof(*f));
		if (!grown) {
			closedir(d);
			return -ENOMEM;
		}
		obj->funcs = grown;
		f = &obj->funcs[obj->nr_funcs++];
		memset(f, 0, sizeof(*f));
		snprintf(f->object, sizeof(f->object), "%s", name);
		snprintf(f->name, sizeof(f->name), "%s", de->d_name);
		comma = strrchr(f->name, ',');
		if (comma) {
			*comma = '\0';
			f->sympos = strtoul(comma + 1, NULL, 10);
		}
	}
	closedir(d);
	qsort(obj->funcs, obj->nr_funcs, sizeof(*obj->funcs), compare_funcs);
	return 0;
}

static int patch_read(const char *name, struct patch_info *p)
{
	char dir[PATH_MAX], path[PATH_MAX];
	struct dirent *de;
	DIR *d;
	int err = 0;

	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "%s", name);
	build_path(dir, sizeof(dir), "%s/%s", KLPX_SYSFS_ROOT, name);

	build_path(path, sizeof(path), "%s/enabled", dir);
	if (read_int_file(path, &p->enabled))
		p->enabled = -1;
	build_path(path, sizeof(path), "%s/transition", dir);
	if (read_int_file(path, &p->transition))
		p->transition = -1;
	build_path(path, sizeof(path), "%s/replace", dir);
	if (read_int_file(path, &p->replace))
		p->replace = -1;

	d = opendir(dir);
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		struct object_info *grown;

		if (de->d_name[0] == '.' || !is_directory(dir, de->d_name))
			continue;
		grown = realloc(p->objects, (p->nr_objects + 1) * sizeof(*grown));
		if (!grown) {
			err = -ENOMEM;
			break;
		}
		p->objects = grown;
		err = object_read(dir, de->d_name, &p->objects[p->nr_objects]);
		p->nr_objects++;
		if (err)
			break;
	}
	closedir(d);
	qsort(p->objects, p->nr_objects, sizeof(*p->objects), compare_names);
	return err;
}

int patch_list_read(struct patch_list *list)
{
	struct dirent *de;
	int err = 0;
	DIR *d;

	memset(list, 0, sizeof(*list));
	d = opendir(KLPX_SYSFS_ROOT);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(d))) {
		struct patch_info *grown;

		if (de->d_name[0] == '.' || !is_directory(KLPX_SYSFS_ROOT, de->d_name))
			continue;
		grown = realloc(list->patches, (list->nr + 1) * sizeof(*grown));
		if (!grown) {
			err = -ENOMEM;
			break;
		}
		list->patches = grown;
		err = patch_read(de->d_name, &list->patches[list->nr]);
		list->nr++;
		if (err)
			break;
	}
	closedir(d);
	qsort(list->patches, list->nr, sizeof(*list->patches), compare_names);
	if (err)
		patch_list_free(list);
	return err;
}

void patch_list_free(struct patch_list *list)
{
	int i, k;

	for (i = 0; i < list->nr; i++) {
		for (k = 0; k < list->patches[i].nr_objects; k++)
			free(list->patches[i].objects[k].funcs);
		free(list->patches[i].objects);
	}
	free(list->patches);
	memset(list, 0, sizeof(*list));
}

const struct patch_info *patch_list_find(const struct patch_list *list,
					 const char *name)
{
	int i;

	for (i = 0; i < list->nr; i++)
		if (!strcmp(list->patches[i].name, name))
			return &list->patches[i];
	return NULL;
}

const struct patch_info *patch_list_in_transition(const struct patch_list *list)
{
	int i;

	for (i = 0; i < list->nr; i++)
		if (list->patches[i].transition == 1)
			return &list->patches[i];
	return NULL;
}

/* debugfs */

static void mount_debugfs_if_needed(void)
{
	const char *dir = "/sys/kernel/debug";
	struct stat st;

	if (access("/sys/kernel/debug/klpx", F_OK) == 0)
		return;
	if (stat(dir, &st) || !S_ISDIR(st.st_mode))
		return;
	/* Fails harmlessly if it is mounted already or we lack the right. */
	mount("debugfs", dir, "debugfs", 0, NULL);
}

static int parse_header(const char *line, struct transition_tasks *tt)
{
	char target[16] = "";

	if (sscanf(line, "# patch=%55s target=%15s migrated=%u total=%u",
		   tt->patch, target, &tt->migrated, &tt->total) != 4)
		return -EINVAL;
	tt->target = strcmp(target, "unpatched") ? KLPX_TARGET_PATCHED :
						   KLPX_TARGET_UNPATCHED;
	tt->active = true;
	return 0;
}

static int parse_task_line(char *line, struct pending_task *t)
{
	char *fields[4];
	char *save = NULL, *tok;
	int n = 0;

	for (tok = strtok_r(line, "\t", &save); tok && n < 4;
	     tok = strtok_r(NULL, "\t", &save))
		fields[n++] = tok;
	if (n < 3)
		return -EINVAL;
	memset(t, 0, sizeof(*t));
	t->pid = atoi(fields[0]);
	snprintf(t->comm, sizeof(t->comm), "%s", fields[1]);
	snprintf(t->reason, sizeof(t->reason), "%s", fields[2]);
	snprintf(t->function, sizeof(t->function), "%s", n > 3 ? fields[3] : "-");
	return 0;
}

int transition_tasks_read(struct transition_tasks *tt)
{
	char line[512];
	FILE *f;
	int err = 0;

	memset(tt, 0, sizeof(*tt));
	mount_debugfs_if_needed();
	f = fopen(KLPX_DEBUGFS_TASKS, "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		struct pending_task *grown;

		line[strcspn(line, "\n")] = '\0';
		if (!line[0])
			continue;
		if (line[0] == '#') {
			err = parse_header(line, tt);
			if (err)
				break;
			continue;
		}
		grown = realloc(tt->tasks, (tt->nr + 1) * sizeof(*grown));
		if (!grown) {
			err = -ENOMEM;
			break;
		}
		tt->tasks = grown;
		if (!parse_task_line(line, &tt->tasks[tt->nr]))
			tt->nr++;
	}
	fclose(f);
	if (err)
		transition_tasks_free(tt);
	return err;
}

void transition_tasks_free(struct transition_tasks *tt)
{
	free(tt->tasks);
	memset(tt, 0, sizeof(*tt));
}

void task_comm(int pid, char *comm, size_t len)
{
	char path[64];

	build_path(path, sizeof(path), "/proc/%d/comm", pid);
	if (read_small_file(path, comm, len))
		snprintf(comm, len, "?");
}
