/* settings_dump.c: prints the settings table as the programs compiled it (config_defs, from
 * shared/fgconfig.def), one tab-separated line per setting: name, readers, default, check,
 * meaning; the format of `./fragent settings`, which tests/check_settings.sh compares. */
#include "config.h"

#include <stdio.h>

#include "fgconfig.h"

static const char *const readers[CONFIG_READERS__MAX] = {
	[CONFIG_READERS_PROGRAMS] = "PROGRAMS",
	[CONFIG_READERS_COMPUTED] = "COMPUTED",
	[CONFIG_READERS_BOTH] = "BOTH",
	[CONFIG_READERS_STACK] = "STACK",
	[CONFIG_READERS_COMMAND] = "COMMAND",
};

int
main(void)
{
	const struct config_def	*d;
	size_t			 i;

	for (i = 0; i < CONFIG__MAX; i++) {
		d = &config_defs[i];
		printf("%s\t%s\t%s\t%s\t%s\n", d->env, readers[d->readers], d->def, d->check,
		    d->help);
	}
	return ferror(stdout) || fflush(stdout) != 0 ? 1 : 0;
}
