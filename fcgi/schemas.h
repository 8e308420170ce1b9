/* schemas.h: the API's component schemas, written once: the router validates each route's
 * request body with its named schema before the handler runs, and GET /openapi.json
 * publishes them all. */
#ifndef FRAGENT_SCHEMAS_H
#define FRAGENT_SCHEMAS_H

#include <stdbool.h>

#include <json-c/json.h>

/* Pieces of schema text shared by the components and the OpenAPI document's parameters. */
#define SCHEMA_XSTR(x)		SCHEMA_STR_(x)
#define SCHEMA_STR_(x)		#x
#define SCHEMA_REF(n)		"{\"$ref\":\"#/components/schemas/" n "\"}"
#define SCHEMA_STRING(max)	"{\"type\":\"string\",\"maxLength\":" #max "}"
#define SCHEMA_UUID		"{\"type\":\"string\",\"format\":\"uuid\"}"
/* What started an execution (its "trigger"; the list's filter). */
#define SCHEMA_TRIGGER		"{\"enum\":[\"manual\",\"api\",\"webhook\",\"schedule\"," \
	"\"tool\",\"workflow\",\"replay\"]}"

/* An agent's `configuration` (agents.c). */
extern const char agent_config_schema[];

/* A new object holding every component schema by name, as published (with "$ref"s), or
 * NULL when one does not parse (a programming error check_schemas catches). The caller
 * puts it. */
json_object	*schemas_components(void);
/* The component schema "name" with every "$ref" replaced by the schema it names, ready for
 * jschema_validate; built once per process. Borrowed; NULL for an unknown name. */
json_object	*schemas_resolved(const char *name);
/* True when a request whose body has schema "name" may come without a body. */
bool		 schemas_body_optional(const char *name);

#endif
