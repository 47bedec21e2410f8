// SPDX-License-Identifier: GPL-2.0-or-later
/* Kernel modules: reading .modinfo, loading, removing, and the engine. */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <klpx/abi.h>
#include "module_load.h"
#include "sysfs.h"

static bool depends_on_klpx(const char *depends)
{
	const char *p = depends;
	size_t len = strlen("klpx");

	while (*p) {
		size_t n = strcspn(p, ",");

		if (n == len && !strncmp(p, "klpx", len))
			return true;
		p += n;
		if (*p == ',')
			p++;
	}
	return false;
}

static void modinfo_take(struct modinfo *mi, const char *entry)
{
	const char *value = strchr(entry, '=');
	size_t key_len;

	if (!value)
		return;
	key_len = value - entry;
	value++;
	if (key_len == 4 && !strncmp(entry, "name", 4))
		snprintf(mi->name, sizeof(mi->name), "%s", value);
	else if (key_len == 7 && !strncmp(entry, "depends", 7))
		snprintf(mi->depends, sizeof(mi->depends), "%s", value);
	else if (key_len == 8 && !strncmp(entry, "vermagic", 8))
		snprintf(mi->vermagic, sizeof(mi->vermagic), "%s", value);
	else if (key_len == 9 && !strncmp(entry, "livepatch", 9))
		mi->livepatch = !strcmp(value, "Y");
}

/* The module name the kernel would use when .modinfo carries no name=. */
static void name_from_path(const char *path, char *name, size_t len)
{
	const char *base = strrchr(path, '/');
	char *p;

	snprintf(name, len, "%s", base ? base + 1 : path);
	p = strstr(name, ".ko");
	if (p)
		*p = '\0';
	for (p = name; *p; p++)
		if (*p == '-')
			*p = '_';
}

static int modinfo_from_elf(Elf *elf, struct modinfo *mi, char *why, size_t why_len)
{
	bool has_this_module = false;
	Elf_Scn *scn = NULL, *modinfo = NULL;
	size_t shstrndx;
	GElf_Ehdr ehdr;
	Elf_Data *data;
	const char *p, *end;

	if (elf_kind(elf) != ELF_K_ELF) {
		snprintf(why, why_len, "not an ELF file");
		return -ENOEXEC;
	}
	if (!gelf_getehdr(elf, &ehdr) || ehdr.e_type != ET_REL) {
		snprintf(why, why_len, "an ELF file but not a relocatable object");
		return -ENOEXEC;
	}
	if (elf_getshdrstrndx(elf, &shstrndx)) {
		snprintf(why, why_len, "unreadable ELF section table: %s",
			 elf_errmsg(-1));
		return -ENOEXEC;
	}
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr shdr;
		const char *name;

		if (!gelf_getshdr(scn, &shdr))
			continue;
		name = elf_strptr(elf, shstrndx, shdr.sh_name);
		if (!name)
			continue;
		if (!strcmp(name, ".modinfo"))
			modinfo = scn;
		else if (!strcmp(name, ".gnu.linkonce.this_module"))
			has_this_module = true;
	}
	if (!modinfo || !has_this_module) {
		snprintf(why, why_len, "an object file without the sections of a kernel module");
		return -ENOEXEC;
	}
	data = elf_getdata(modinfo, NULL);
	if (!data || !data->d_buf) {
		snprintf(why, why_len, "unreadable .modinfo section");
		return -ENOEXEC;
	}
	/* NUL-separated "key=value" strings, with padding NULs between. */
	p = data->d_buf;
	end = p + data->d_size;
	while (p < end) {
		size_t n = strnlen(p, end - p);

		if (n && n < (size_t)(end - p))
			modinfo_take(mi, p);
		p += n + 1;
	}
	return 0;
}

int modinfo_read(const char *path, struct modinfo *mi, char *why, size_t why_len)
{
	struct stat st;
	Elf *elf;
	int fd, err;

	memset(mi, 0, sizeof(*mi));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		snprintf(why, why_len, "%s", strerror(errno));
		return err;
	}
	if (fstat(fd, &st) == 0 && !S_ISREG(st.st_mode)) {
		close(fd);
		snprintf(why, why_len, "not a regular file");
		return -EINVAL;
	}
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!elf) {
		close(fd);
		snprintf(why, why_len, "not an ELF file");
		return -ENOEXEC;
	}
	err = modinfo_from_elf(elf, mi, why, why_len);
	elf_end(elf);
	close(fd);
	if (err)
		return err;

	if (!mi->name[0])
		name_from_path(path, mi->name, sizeof(mi->name));
	if (depends_on_klpx(mi->depends))
		mi->kind = MODULE_KLPX_PATCH;
	else if (mi->livepatch)
		mi->kind = MODULE_NATIVE_LIVEPATCH;
	else
		mi->kind = MODULE_PLAIN;
	return 0;
}

static int init_module_from_memory(const char *path, const char *params)
{
	struct stat st;
	void *image;
	ssize_t n;
	int fd, err = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st)) {
		err = -errno;
		close(fd);
		return err;
	}
	image = malloc(st.st_size);
	if (!image) {
		close(fd);
		return -ENOMEM;
	}
	n = read(fd, image, st.st_size);
	if (n != st.st_size)
		err = n < 0 ? -errno : -EIO;
	close(fd);
	if (!err && syscall(SYS_init_module, image, (unsigned long)st.st_size, params))
		err = -errno;
	free(image);
	return err;
}

int module_load_file(const char *path, const char *params)
{
	int fd, err = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (syscall(SYS_finit_module, fd, params, 0))
		err = -errno;
	close(fd);
	if (err == -ENOSYS)
		err = init_module_from_memory(path, params);
	return err;
}

bool module_is_loaded(const char *name)
{
	char path[PATH_MAX];

	/* Built-in modules have /sys/module/<name> too, but no initstate. */
	snprintf(path, sizeof(path), "/sys/module/%s/initstate", name);
	return access(path, F_OK) == 0;
}

int module_refcount(const char *name)
{
	char path[PATH_MAX];
	int count = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/module/%s/refcnt", name);
	f = fopen(path, "re");
	if (!f)
		return -1;
	if (fscanf(f, "%d", &count) != 1)
		count = -1;
	fclose(f);
	return count;
}

int module_remove(const char *name, double timeout_s)
{
	double waited = 0;
	const double step = 0.05;

	for (;;) {
		int err;

		if (!syscall(SYS_delete_module, name, O_NONBLOCK))
			return 0;
		err = -errno;
		if (err != -EWOULDBLOCK && err != -EBUSY && err != -EAGAIN)
			return err;
		if (waited >= timeout_s)
			return err;
		usleep(step * 1e6);
		waited += step;
	}
}

int loader_directory(char *dir, size_t len)
{
	char exe[PATH_MAX];
	ssize_t n;
	char *slash;

	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n < 0)
		return -errno;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (slash)
		*slash = '\0';
	snprintf(dir, len, "%s", exe);
	return 0;
}

static int run_modprobe(void)
{
	int status;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		if (null >= 0) {
			dup2(null, STDOUT_FILENO);
			dup2(null, STDERR_FILENO);
		}
		execlp("modprobe", "modprobe", "-q", "klpx", (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -ENOENT;
}

/*
 * The engine next to the loader: kernel/klpx.ko beside the binary (the
 * guest's /klpx) or beside its folder (loader/loader in the source tree).
 */
static bool find_engine_near_loader(char *path, size_t len)
{
	static const char *const candidates[] = { "%s/kernel/klpx.ko", "%s/../kernel/klpx.ko" };
	char dir[PATH_MAX];
	size_t i;

	path[0] = '\0';
	if (loader_directory(dir, sizeof(dir)))
		return false;
	for (i = 0; i < sizeof(candidates) / sizeof(candidates[0]); i++) {
		char candidate[PATH_MAX + 32], resolved[PATH_MAX];

		snprintf(candidate, sizeof(candidate), candidates[i], dir);
		if (!realpath(candidate, resolved))
			continue;
		snprintf(path, len, "%s", resolved);
		return true;
	}
	snprintf(path, len, "%s/kernel/klpx.ko", dir);
	return false;
}

int engine_ensure_loaded(const char *override, char *how, size_t how_len,
			 char *why, size_t why_len)
{
	char path[PATH_MAX + 32];
	int err;

	how[0] = '\0';
	if (engine_is_loaded())
		return 0;

	if (override) {
		err = module_load_file(override, "");
		if (err && err != -EEXIST) {
			snprintf(why, why_len, "cannot load the klpx engine from %s: %s",
				 override, strerror(-err));
			return err;
		}
		snprintf(how, how_len, "loaded the klpx engine from %s", override);
		return 0;
	}

	if (find_engine_near_loader(path, sizeof(path))) {
		err = module_load_file(path, "");
		if (err && err != -EEXIST) {
			snprintf(why, why_len,
				 "cannot load the klpx engine from %s: %s; pass --engine PATH",
				 path, strerror(-err));
			return err;
		}
		snprintf(how, how_len, "loaded the klpx engine from %s", path);
		return 0;
	}

	if (!run_modprobe() && engine_is_loaded()) {
		snprintf(how, how_len, "loaded the klpx engine with modprobe");
		return 0;
	}
	snprintf(why, why_len,
		 "the klpx engine is not loaded and cannot be found (no %s, and "
		 "'modprobe klpx' failed); pass --engine PATH", path);
	return -ENOENT;
}
