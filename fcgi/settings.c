/* settings.c: GET /settings (admins only): the operator settings that shape what the stack
 * lets users do (the SSRF guard's allow-lists, sign-up, CORS, the engine's and the expression
 * sandbox's limits), read-only, as this API process sees them in its configuration. Secrets
 * (the database and Redis URLs, the keys) are never among them. */
#include "config.h"

#include "fgconfig.h"
#include "handlers.h"
#include "jsonh.h"
#include "nitems.h"

/* The settings shown, in this order; none of them holds a secret. */
static const enum config_key settings_shown[] = {
	CONFIG_HTTP_ALLOWLIST, CONFIG_MODEL_ALLOWLIST, CONFIG_OPEN_SIGNUP, CONFIG_CORS_ORIGINS,
	CONFIG_MAX_BODY, CONFIG_JOBD_THREADS, CONFIG_JOBD_MAX_INFLIGHT, CONFIG_JOBD_LEASE_MS,
	CONFIG_JOBD_GRACE_MS, CONFIG_JOBD_SWEEP_MS, CONFIG_JOBD_MAX_ABANDONS,
	CONFIG_SANDBOX_LIMIT_MS, CONFIG_SANDBOX_MEMORY_MB, CONFIG_SANDBOX_HELPERS, CONFIG_LOG_LEVEL,
};

/* GET /settings: {"settings": [{name, value, default, description}]}. Returns 0. */
int
settings_get(struct req *rq)
{
	json_object	*a = jsonh_new_array(), *o, *body;
	size_t		 i;
	enum config_key	 k;

	for (i = 0; i < NITEMS(settings_shown); i++) {
		k = settings_shown[i];
		o = jsonh_new_object();
		json_object_object_add(o, "name", jsonh_new_string(config_defs[k].env));
		json_object_object_add(o, "value",
		    jsonh_new_string(config_get(&rq->app->cfg, k)));
		json_object_object_add(o, "default", jsonh_new_string(config_defs[k].def));
		json_object_object_add(o, "description",
		    jsonh_new_string(config_defs[k].help));
		json_object_array_add(a, o);
	}
	body = jsonh_new_object();
	json_object_object_add(body, "settings", a);
	resp_json(rq, 200, body);
	json_object_put(body);
	return 0;
}
