/* rows.c: looking for error rows (see rows.h). */
#include "config.h"

#include <string.h>

#include "jsonh.h"
#include "rows.h"

int
rows_have(json_object *errors, const char *field, const char *part)
{
	json_object	*row;
	const char	*f, *m;
	size_t		 i;

	for (i = 0; i < json_object_array_length(errors); i++) {
		row = json_object_array_get_idx(errors, i);
		f = jsonh_get_string(row, "field");
		m = jsonh_get_string(row, "message");
		if ((field == NULL || (f != NULL && strcmp(f, field) == 0)) &&
		    (part == NULL || (m != NULL && strstr(m, part) != NULL)))
			return 1;
	}
	return 0;
}
