/* fuzz_jschema.c: fuzz harness of jschema_validate and jsmeta_check: the input is used both
 * as a document (against a fixed schema) and as a schema (meta-checked, then against a fixed
 * document whatever the meta-check said: the validator must survive malformed schemas). */
#include "config.h"

#include "fuzz.h"
#include "jschema.h"
#include "jsmeta.h"
#include "jsonh.h"

static const char SCHEMA[] =
	"{\"type\":\"object\",\"required\":[\"a\"],\"additionalProperties\":false,"
	"\"properties\":{\"a\":{\"type\":\"string\",\"maxLength\":8,\"pattern\":\"^[a-z]*$\"},"
	"\"b\":{\"type\":\"array\",\"items\":{\"anyOf\":[{\"type\":\"integer\"},{\"enum\":[null]}]}},"
	"\"c\":{\"type\":\"number\",\"minimum\":0,\"exclusiveMaximum\":10}}}";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_object	*in = NULL, *schema, *doc, *errors;
	char		 err[256];

	if (jsonh_parse((const char *)data, size, &in, err, sizeof(err)) == -1)
		return 0;
	schema = jschema_parse(SCHEMA);
	doc = jschema_parse("{\"a\":\"xy\",\"b\":[1,null,\"z\"],\"c\":3.5,\"d\":{}}");
	errors = json_object_new_array();
	(void)jschema_validate(schema, in, "", errors);
	(void)jsmeta_check(in, "schema", errors);
	(void)jschema_validate(in, doc, "doc", errors);
	json_object_put(errors);
	json_object_put(doc);
	json_object_put(schema);
	json_object_put(in);
	return 0;
}
