/* rows.h: assertions' helper over the {field, message} error rows of validation (wf.c,
 * jschema.c, jsmeta.c, and problem+json bodies' "errors"). */
#ifndef FRAGENT_ROWS_H
#define FRAGENT_ROWS_H

#include <json-c/json.h>

/* True when the array "errors" has a row whose field is "field" (NULL: any) and whose
 * message contains "part" (NULL: any). */
int	rows_have(json_object *errors, const char *field, const char *part);

#endif
