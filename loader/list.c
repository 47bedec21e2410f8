// SPDX-License-Identifier: GPL-2.0-or-later
/* loader list: one line per patch. */
#include <string.h>

#include "commands.h"
#include "output.h"
#include "sysfs.h"

static const char list_help[] =
"usage: loader list [options]\n"
"\n"
"Prints one line per klpx patch: its name, whether it is enabled, whether it\n"
"is in transition, and whether it replaces the patches before it.\n"
"\n"
COMMON_OPTIONS_HELP;

static void json_flag(struct json *j, const char *key, int value)
{
	if (value < 0)
		json_null(j, key);
	else
		json_bool(j, key, value);
}

static const char *flag_text(int value)
{
	return value < 0 ? "-" : value ? "yes" : "no";
}

int cmd_list(int argc, char **argv)
{
	static const struct option long_options[] = { COMMON_LONG_OPTIONS, { 0 } };
	struct patch_list list;
	int c, i, err;

	while ((c = getopt_long(argc, argv, COMMON_SHORT_OPTIONS, long_options, NULL)) != -1) {
		int ret = common_option(c, "list", list_help, argv);

		if (ret >= 0)
			return ret;
	}
	if (optind < argc)
		return usage_error("list", "unexpected argument '%s'", argv[optind]);

	err = patch_list_read(&list);
	if (err) {
		report_error("cannot read /sys/kernel/klpx: %s", strerror(-err));
		return EXIT_FAILED;
	}
	if (output.json) {
		struct json j;

		json_begin(&j, stdout);
		json_object_open(&j, NULL);
		json_bool(&j, "engine_loaded", engine_is_loaded());
		json_array_open(&j, "patches");
		for (i = 0; i < list.nr; i++) {
			const struct patch_info *p = &list.patches[i];

			json_object_open(&j, NULL);
			json_string(&j, "name", p->name);
			json_flag(&j, "enabled", p->enabled);
			json_flag(&j, "transition", p->transition);
			json_flag(&j, "replace", p->replace);
			json_object_close(&j);
		}
		json_array_close(&j);
		json_object_close(&j);
		json_end(&j);
	} else if (!list.nr) {
		say("no klpx patches%s", engine_is_loaded() ? "" : " (the klpx engine is not loaded)");
	} else {
		say("%-32s %-8s %-11s %s", "PATCH", "ENABLED", "TRANSITION", "REPLACE");
		for (i = 0; i < list.nr; i++) {
			const struct patch_info *p = &list.patches[i];

			say("%-32s %-8s %-11s %s", p->name, flag_text(p->enabled),
			    flag_text(p->transition), flag_text(p->replace));
		}
	}
	patch_list_free(&list);
	return EXIT_OK;
}
