/* schemas.c: the API's component schemas (see schemas.h): each request body's rules and
 * each answer's shape, written once in JSON Schema. Request schemas stay within what
 * shared/jschema.c checks; a "$ref" names another component and is resolved before
 * validation. tests/check_validate.c checks that they parse, that every route's request
 * schema exists and resolves, and bodies against them. */
#include "config.h"

#include <pthread.h>
#include <string.h>

#include "budget.h"
#include "cron.h"
#include "approval.h"
#include "crypto.h"
#include "executions.h"
#include "jschema.h"
#include "jsonh.h"
#include "launch.h"
#include "log.h"
#include "nitems.h"
#include "password.h"
#include "schemas.h"
#include "webhook.h"

#define STRING_1(max)	"{\"type\":\"string\",\"minLength\":1,\"maxLength\":" \
	SCHEMA_XSTR(max) "}"
#define NAME		STRING_1(200)
#define DESCRIPTION	SCHEMA_STRING(2000)
#define USERNAME	"{\"type\":\"string\",\"pattern\":\"^[A-Za-z0-9_.-]{1,64}$\"}"
#define EMAIL		"{\"type\":\"string\",\"minLength\":3,\"maxLength\":254}"
#define PASSWORD	"{\"type\":\"string\",\"minLength\":" SCHEMA_XSTR(PASSWORD_MIN) \
	",\"maxLength\":" SCHEMA_XSTR(PASSWORD_MAX) "}"
#define ROLE		"{\"enum\":[\"admin\",\"editor\",\"viewer\"]}"
#define PROVIDER	"{\"type\":\"string\",\"pattern\":\"^[a-z0-9_-]{1,32}$\"}"
#define SECRET		STRING_1(CRYPTO_MAX_SECRET)
#define ROW_VERSION	"{\"type\":\"integer\"}"
#define VERSION_MESSAGE	SCHEMA_STRING(500)
#define UUID_NULL	"{\"type\":[\"string\",\"null\"],\"format\":\"uuid\"}"
#define TIME		"{\"type\":\"string\",\"format\":\"date-time\"}"
#define TIME_NULL	"{\"type\":[\"string\",\"null\"],\"format\":\"date-time\"}"
#define LIST(item)	"{\"type\":\"object\",\"required\":[\"items\",\"next_cursor\"]," \
	"\"properties\":{\"items\":{\"type\":\"array\",\"items\":" SCHEMA_REF(item) "}," \
	"\"next_cursor\":{\"type\":[\"string\",\"null\"]}}}"
#define OBJ(req, props)	"{\"type\":\"object\",\"additionalProperties\":false," \
	"\"required\":[" req "],\"properties\":{" props "}}"
#define ITEMS(item)	"{\"type\":\"object\",\"required\":[\"items\"],\"properties\":" \
	"{\"items\":{\"type\":\"array\",\"items\":" SCHEMA_REF(item) "}}}"
#define INT_RANGE(lo, hi)	"{\"type\":\"integer\",\"minimum\":" SCHEMA_XSTR(lo) \
	",\"maximum\":" SCHEMA_XSTR(hi) "}"
#define BOOL		"{\"type\":\"boolean\"}"
/* An RFC 3339 date-time (the bracketed dot keeps the pattern free of backslashes). */
#define TIME_RE		"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}" \
	"([.][0-9]{1,9})?([Zz]|[+-][0-9]{2}:[0-9]{2})$"
#define RETENTION	"{\"type\":[\"integer\",\"null\"],\"minimum\":0,\"maximum\":3650," \
	"\"description\":\"days its ended runs are kept: null follows FRAGENT_RETENTION_DAYS, " \
	"0 keeps them forever\"}"
/* Usage at a glance (fcgi/usage.c) and model prices (fcgi/prices.c). */
#define PRICE		"{\"type\":\"number\",\"minimum\":0,\"maximum\":1000000," \
	"\"description\":\"per million tokens\"}"
#define INT		"{\"type\":\"integer\"}"
#define INT_NULL	"{\"type\":[\"integer\",\"null\"]}"
#define NUM_NULL	"{\"type\":[\"number\",\"null\"]}"
#define USAGE_RANGE	"{\"enum\":[\"24h\",\"7d\"]}"
#define USAGE_COUNTS	"\"succeeded\":" INT ",\"failed\":" INT ",\"cancelled\":" INT \
	",\"p50_ms\":" INT_NULL ",\"p95_ms\":" INT_NULL
/* Where a replay's step output came from (sql/120_replay.sql). */
#define REPLAY_SOURCE	"{\"enum\":[\"reused\",\"recording\",\"live\",\"computed\",null]}"
/* The members a webhook's owner sets (create and patch alike). */
#define WEBHOOK_PROPS	"\"name\":" SCHEMA_STRING(200) ",\"enabled\":" BOOL \
	",\"methods\":{\"type\":\"array\",\"minItems\":1,\"maxItems\":5,\"items\":" \
	"{\"enum\":[\"GET\",\"POST\",\"PUT\",\"PATCH\",\"DELETE\"]}},\"auth_mode\":" \
	"{\"enum\":[\"none\",\"secret\",\"hmac\"],\"description\":\"none; secret: the " \
	"header " WEBHOOK_SECRET_HEADER " holds the secret; hmac: " WEBHOOK_SIG_HEADER " is " \
	WEBHOOK_SIG_PREFIX "<hex HMAC-SHA256 of the secret over " WEBHOOK_TS_HEADER \
	" + '.' + the raw body>\"},\"response_mode\":{\"enum\":[\"async\",\"sync\"]," \
	"\"description\":\"async: 202 with the execution; sync: the run's result, or 202 " \
	"after timeout_ms\"},\"timeout_ms\":" INT_RANGE(WEBHOOK_TIMEOUT_MIN_MS, \
	WEBHOOK_TIMEOUT_MAX_MS) ",\"replay_window_s\":" INT_RANGE(WEBHOOK_REPLAY_MIN_S, \
	WEBHOOK_REPLAY_MAX_S)
/* The members a schedule's owner sets; cron is required on create. */
#define SCHEDULE_PROPS	"\"name\":" SCHEMA_STRING(200) ",\"cron\":{\"type\":\"string\"," \
	"\"minLength\":1,\"maxLength\":" SCHEMA_XSTR(CRON_EXPR_MAX) ",\"description\":" \
	"\"5 fields (minute hour day month weekday), 6 with leading seconds, or @hourly, " \
	"@daily, @weekly, @monthly, @yearly\"},\"timezone\":" STRING_1(CRON_ZONE_MAX) \
	",\"inputs\":{\"type\":\"object\"},\"enabled\":" BOOL ",\"missed\":{\"enum\":" \
	"[\"run_once\",\"skip\"],\"description\":\"after downtime: run a missed fire once, " \
	"or skip it\"}"
#define DEF_SCHEMA	"{\"type\":\"object\",\"description\":\"{nodes, edges, budget}: see " \
	"GET /node-types\",\"required\":[\"nodes\"],\"properties\":{\"nodes\":{\"type\":" \
	"\"array\"},\"edges\":{\"type\":\"array\"},\"budget\":" BUDGET_RUN_SCHEMA "}}"

static const struct {
	const char	*name;
	const char	*schema;
} schemas[] = {
	{ "Problem", "{\"type\":\"object\",\"required\":[\"type\",\"title\",\"status\","
	    "\"detail\"],\"properties\":{\"type\":{\"type\":\"string\"},\"title\":{\"type\":"
	    "\"string\"},\"status\":{\"type\":\"integer\"},\"detail\":{\"type\":\"string\"},"
	    "\"request_id\":{\"type\":\"string\"},\"errors\":{\"type\":\"array\",\"items\":"
	    "{\"type\":\"object\",\"required\":[\"field\",\"message\"],\"properties\":{"
	    "\"field\":{\"type\":\"string\"},\"message\":{\"type\":\"string\"}}}}}}" },
	{ "Health", OBJ("\"status\"", "\"status\":{\"const\":\"ok\"}") },
	{ "Ready", "{\"type\":\"object\",\"properties\":{\"status\":{\"const\":\"ready\"},"
	    "\"checks\":{\"type\":\"object\"}}}" },
	{ "Setup", OBJ("\"needs_setup\",\"open_signup\"", "\"needs_setup\":{\"type\":"
	    "\"boolean\"},\"open_signup\":{\"type\":\"boolean\"}") },
	{ "Register", OBJ("\"username\",\"email\",\"password\"", "\"username\":" USERNAME
	    ",\"email\":" EMAIL ",\"password\":" PASSWORD) },
	{ "Login", OBJ("\"username\",\"password\"", "\"username\":" STRING_1(254) ","
	    "\"password\":" STRING_1(1024)) },
	{ "User", OBJ("\"id\",\"username\",\"email\",\"role\"", "\"id\":" SCHEMA_UUID ","
	    "\"username\":" SCHEMA_STRING(64) ",\"email\":" SCHEMA_STRING(254) ",\"role\":"
	    ROLE ",\"disabled\":{\"type\":\"boolean\"},\"created_at\":" TIME
	    ",\"updated_at\":" TIME) },
	{ "UserList", LIST("User") },
	{ "Session", OBJ("\"user\",\"access_token\",\"token_type\",\"expires_in\"",
	    "\"user\":" SCHEMA_REF("User") ",\"access_token\":{\"type\":\"string\"},"
	    "\"token_type\":{\"const\":\"Bearer\"},\"expires_in\":{\"type\":\"integer\"}") },
	{ "UserCreate", OBJ("\"username\",\"email\",\"password\",\"role\"",
	    "\"username\":" USERNAME ",\"email\":" EMAIL ",\"password\":" PASSWORD
	    ",\"role\":" ROLE) },
	{ "UserPatch", OBJ("", "\"email\":" EMAIL ",\"password\":" PASSWORD ",\"role\":"
	    ROLE ",\"disabled\":{\"type\":\"boolean\"}") },
	{ "ApiKeyCreate", OBJ("\"name\"", "\"name\":" NAME) },
	{ "ApiKey", OBJ("\"id\",\"name\",\"prefix\"", "\"id\":" SCHEMA_UUID ",\"name\":"
	    NAME ",\"prefix\":" SCHEMA_STRING(12) ",\"created_at\":" TIME ",\"last_used_at\":"
	    TIME_NULL) },
	{ "ApiKeyList", LIST("ApiKey") },
	{ "ApiKeyCreated", OBJ("\"id\",\"name\",\"prefix\",\"key\"", "\"id\":"
	    SCHEMA_UUID ",\"name\":" NAME ",\"prefix\":" SCHEMA_STRING(12) ",\"key\":"
	    "{\"type\":\"string\",\"pattern\":\"^fgk_\"},\"created_at\":" TIME) },
	{ "AgentCreate", OBJ("\"name\",\"configuration\"", "\"name\":" NAME ","
	    "\"description\":" DESCRIPTION ",\"configuration\":"
	    SCHEMA_REF("AgentConfiguration")) },
	{ "AgentUpdate", OBJ("\"name\",\"configuration\",\"version\"", "\"name\":" NAME
	    ",\"description\":" DESCRIPTION ",\"configuration\":"
	    SCHEMA_REF("AgentConfiguration") ",\"version\":" ROW_VERSION) },
	{ "Agent", OBJ("\"id\",\"owner_id\",\"name\",\"configuration\",\"version\"",
	    "\"id\":" SCHEMA_UUID ",\"owner_id\":" SCHEMA_UUID ",\"name\":" NAME
	    ",\"description\":" DESCRIPTION ",\"configuration\":"
	    SCHEMA_REF("AgentConfiguration") ",\"version\":" ROW_VERSION ",\"created_at\":"
	    TIME ",\"updated_at\":" TIME) },
	{ "AgentList", LIST("Agent") },
	{ "CredentialCreate", OBJ("\"name\",\"provider\",\"secret\"", "\"name\":" NAME
	    ",\"provider\":" PROVIDER ",\"secret\":" SECRET) },
	{ "CredentialUpdate", OBJ("\"name\",\"provider\",\"version\"", "\"name\":" NAME
	    ",\"provider\":" PROVIDER ",\"secret\":" SECRET ",\"version\":" ROW_VERSION) },
	{ "Credential", OBJ("\"id\",\"owner_id\",\"name\",\"provider\",\"hint\",\"version\"",
	    "\"id\":" SCHEMA_UUID ",\"owner_id\":" SCHEMA_UUID ",\"name\":" NAME
	    ",\"provider\":" SCHEMA_STRING(32) ",\"hint\":" SCHEMA_STRING(32) ",\"version\":"
	    ROW_VERSION ",\"created_at\":" TIME ",\"updated_at\":" TIME) },
	{ "CredentialList", LIST("Credential") },
	{ "Definition", DEF_SCHEMA },
	{ "WorkflowCreate", OBJ("\"name\",\"definition\"", "\"name\":" NAME ","
	    "\"description\":" DESCRIPTION ",\"definition\":" SCHEMA_REF("Definition")) },
	{ "WorkflowUpdate", OBJ("\"name\",\"definition\",\"version\"", "\"name\":" NAME
	    ",\"description\":" DESCRIPTION ",\"definition\":" SCHEMA_REF("Definition") ","
	    "\"version\":" ROW_VERSION ",\"retention_days\":" RETENTION ",\"message\":"
	    VERSION_MESSAGE) },
	{ "WorkflowRestore", OBJ("\"version\"", "\"version\":" ROW_VERSION ",\"message\":"
	    VERSION_MESSAGE) },
	{ "WorkflowVersion", "{\"type\":\"object\",\"required\":[\"version\",\"name\","
	    "\"definition\",\"message\",\"created_at\"],\"properties\":{\"version\":"
	    ROW_VERSION ",\"name\":" NAME ",\"description\":" DESCRIPTION ",\"definition\":"
	    SCHEMA_REF("Definition") ",\"author_id\":{\"type\":[\"string\",\"null\"]},"
	    "\"author\":{\"type\":[\"string\",\"null\"]},\"message\":" VERSION_MESSAGE
	    ",\"created_at\":" TIME "}}" },
	{ "WorkflowVersionList", "{\"type\":\"object\",\"required\":[\"items\","
	    "\"next_before\"],\"properties\":{\"items\":{\"type\":\"array\",\"items\":{"
	    "\"type\":\"object\",\"required\":[\"version\",\"name\",\"message\","
	    "\"created_at\",\"nodes\",\"edges\"],\"properties\":{\"version\":" ROW_VERSION
	    ",\"name\":" NAME ",\"author_id\":{\"type\":[\"string\",\"null\"]},\"author\":"
	    "{\"type\":[\"string\",\"null\"]},\"message\":" VERSION_MESSAGE ",\"created_at\":"
	    TIME ",\"nodes\":{\"type\":\"integer\"},\"edges\":{\"type\":\"integer\"}}}},"
	    "\"next_before\":{\"type\":[\"integer\",\"null\"]}}}" },
	{ "WorkflowValidate", OBJ("\"definition\"", "\"definition\":"
	    SCHEMA_REF("Definition")) },
	{ "Valid", OBJ("\"valid\"", "\"valid\":{\"const\":true}") },
	{ "WorkflowExport", OBJ("\"fragent_export\",\"name\",\"definition\"",
	    "\"fragent_export\":{\"const\":1},\"name\":" NAME ",\"description\":"
	    DESCRIPTION ",\"definition\":" SCHEMA_REF("Definition")) },
	{ "Workflow", "{\"type\":\"object\",\"required\":[\"id\",\"owner_id\",\"name\","
	    "\"version\"],\"properties\":{\"id\":" SCHEMA_UUID ",\"owner_id\":" SCHEMA_UUID
	    ",\"name\":" NAME ",\"description\":" DESCRIPTION ",\"definition\":"
	    SCHEMA_REF("Definition") ",\"version\":" ROW_VERSION ",\"retention_days\":"
	    RETENTION ",\"created_at\":" TIME ",\"updated_at\":" TIME "}}" },
	{ "WorkflowList", LIST("Workflow") },
	{ "ExecutionCreate", OBJ("", "\"inputs\":{\"type\":\"object\"},\"wait\":{\"type\":"
	    "\"integer\",\"minimum\":0,\"maximum\":" SCHEMA_XSTR(EXECUTIONS_WAIT_MAX) ","
	    "\"description\":\"seconds to wait for the end: 200 with the ended execution, "
	    "or 202 when it runs longer\"}") },
	{ "AgentChat", OBJ("\"message\"", "\"message\":" STRING_1(LAUNCH_MESSAGE_MAX)
	    ",\"session_id\":" STRING_1(LAUNCH_SESSION_MAX)) },
	/* A chat with an agent (kind "chat") has an agent_id and no workflow. */
	{ "Execution", "{\"type\":\"object\",\"required\":[\"id\",\"kind\",\"workflow_id\","
	    "\"status\"],\"properties\":{\"id\":" SCHEMA_UUID ",\"kind\":{\"enum\":[\"workflow\","
	    "\"chat\"]},\"workflow_id\":" UUID_NULL ",\"workflow_version\":{\"type\":"
	    "[\"integer\",\"null\"]},\"agent_id\":" UUID_NULL ",\"session_id\":{\"type\":"
	    "[\"string\",\"null\"]},\"parent_execution_id\":" UUID_NULL ",\"parent_node\":"
	    "{\"type\":[\"string\",\"null\"]},\"parent_item\":{\"type\":[\"integer\",\"null\"]},"
	    "\"owner_id\":"
	    SCHEMA_UUID ",\"trigger\":" SCHEMA_TRIGGER ",\"trigger_id\":" UUID_NULL ",\"status\":"
	    "{\"enum\":[\"queued\",\"running\",\"waiting\",\"succeeded\",\"failed\","
	    "\"cancelled\"]},\"inputs\":{\"type\":\"object\"},\"results\":{},\"error\":{\"type\":[\"string\","
	    "\"null\"]},\"attempt\":{\"type\":\"integer\"},\"created_at\":" TIME ","
	    "\"start_time\":" TIME_NULL ",\"end_time\":" TIME_NULL ",\"trace_id\":{\"type\":"
	    "[\"string\",\"null\"],\"pattern\":\"^[0-9a-f]{32}$\",\"description\":\"the W3C "
	    "trace id of the run's spans (null: tracing was off when it was started)\"},"
	    "\"replay_of\":" UUID_NULL ",\"replay\":{\"type\":[\"object\",\"null\"],"
	    "\"description\":\"a replay's request: from_node, offline, input_changed, "
	    "definition_changed\"}}}" },
	{ "ExecutionReplay", OBJ("", "\"from_node\":" SCHEMA_STRING(64) ",\"input\":"
	    "{\"type\":\"object\",\"description\":\"new inputs (default: the original's)\"},"
	    "\"definition\":{\"type\":\"object\",\"description\":\"a new workflow "
	    "definition (default: the original's snapshot)\"},\"offline\":{\"type\":"
	    "\"boolean\",\"description\":\"refuse any call the recording does not answer "
	    "(default: true when nothing changes)\"}") },
	{ "ReplayDiff", OBJ("\"original_id\",\"replay_id\",\"nodes\"", "\"original_id\":"
	    UUID_NULL ",\"replay_id\":" SCHEMA_UUID ",\"nodes\":{\"type\":\"array\","
	    "\"items\":{\"type\":\"object\",\"required\":[\"node_id\"],\"properties\":{"
	    "\"node_id\":{\"type\":\"string\"},\"status\":{\"type\":[\"string\",\"null\"]},"
	    "\"original_status\":{\"type\":[\"string\",\"null\"]},\"same_output\":"
	    "{\"type\":[\"boolean\",\"null\"]},\"replay_source\":" REPLAY_SOURCE ","
	    "\"calls_live\":{\"type\":\"integer\"},\"calls_recorded\":{\"type\":"
	    "\"integer\"}}}}") },
	{ "ExecutionWithSteps", "{\"allOf\":[" SCHEMA_REF("Execution") ",{\"type\":\"object\","
	    "\"properties\":{\"steps\":{\"type\":\"array\",\"items\":{\"type\":\"object\","
	    "\"properties\":{\"node_id\":{\"type\":\"string\"},\"status\":{\"type\":"
	    "\"string\"},\"attempt\":{\"type\":\"integer\"},\"input\":{},\"output\":{},"
	    "\"error\":{\"type\":[\"string\",\"null\"]},\"usage\":{},\"started_at\":" TIME ","
	    "\"finished_at\":" TIME_NULL ",\"replay_source\":" REPLAY_SOURCE ",\"calls\":"
	    "{\"type\":\"integer\",\"description\":\"the outbound calls recorded in this "
	    "attempt\"}}}}}}]}" },
	{ "ExecutionList", LIST("Execution") },
	{ "ExecutionChildren", OBJ("\"node\",\"counts\",\"total\",\"items\",\"next_after\"",
	    "\"node\":{\"type\":\"string\"},\"counts\":{\"type\":\"object\","
	    "\"additionalProperties\":{\"type\":\"integer\"}},\"total\":{\"type\":"
	    "\"integer\"},\"next_after\":{\"type\":[\"integer\",\"null\"]},\"items\":"
	    "{\"type\":\"array\",\"items\":{\"type\":\"object\",\"required\":[\"item\","
	    "\"id\",\"status\"],\"properties\":{\"item\":{\"type\":[\"integer\","
	    "\"null\"]},\"id\":" SCHEMA_UUID ",\"status\":{\"type\":\"string\"},"
	    "\"error\":{\"type\":[\"string\",\"null\"]},\"start_time\":{\"type\":"
	    "[\"string\",\"null\"]},\"end_time\":{\"type\":[\"string\",\"null\"]},"
	    "\"created_at\":{\"type\":\"string\"}}}}") },
	{ "ExecutionDelete", OBJ("", "\"workflow_id\":" SCHEMA_UUID ",\"status\":{\"enum\":"
	    "[\"succeeded\",\"failed\",\"cancelled\"]},\"trigger\":" SCHEMA_TRIGGER ",\"before\":"
	    "{\"type\":\"string\",\"pattern\":\"" TIME_RE "\",\"description\":\"only "
	    "executions that ended before this time (RFC 3339)\"}") },
	{ "ExecutionsDeleted", OBJ("\"deleted\",\"more\"", "\"deleted\":{\"type\":"
	    "\"integer\"},\"more\":{\"type\":\"boolean\",\"description\":\"whether "
	    "matching executions remain (call again)\"}") },
	{ "WebhookCreate", OBJ("", WEBHOOK_PROPS) },
	{ "WebhookPatch", OBJ("", WEBHOOK_PROPS) },
	{ "WebhookRotate", OBJ("", "\"token\":" BOOL ",\"secret\":" BOOL) },
	{ "Webhook", OBJ("\"id\",\"workflow_id\",\"token\",\"path\",\"enabled\","
	    "\"methods\",\"auth_mode\",\"response_mode\",\"timeout_ms\",\"replay_window_s\"",
	    "\"id\":" SCHEMA_UUID ",\"workflow_id\":" SCHEMA_UUID ",\"token\":{\"type\":"
	    "\"string\"},\"path\":{\"type\":\"string\",\"description\":\"the public "
	    "route, " WEBHOOK_PATH_PREFIX "{token}\"},\"secret\":{\"type\":\"string\","
	    "\"description\":\"the shared secret, only in the answer that made it\"},"
	    WEBHOOK_PROPS ",\"created_at\":" TIME ",\"updated_at\":" TIME) },
	{ "WebhookList", ITEMS("Webhook") },
	{ "ScheduleCreate", OBJ("\"cron\"", SCHEDULE_PROPS) },
	{ "SchedulePatch", OBJ("", SCHEDULE_PROPS) },
	{ "SchedulePreview", OBJ("\"cron\"", "\"cron\":" STRING_1(CRON_EXPR_MAX)
	    ",\"timezone\":" STRING_1(CRON_ZONE_MAX)) },
	{ "ScheduleExplained", OBJ("\"description\",\"next_fires\"", "\"description\":"
	    "{\"type\":\"string\"},\"next_fires\":{\"type\":\"array\",\"items\":" TIME
	    "}") },
	{ "Schedule", OBJ("\"id\",\"workflow_id\",\"cron\",\"timezone\",\"enabled\","
	    "\"missed\",\"description\",\"next_fires\"", "\"id\":" SCHEMA_UUID
	    ",\"workflow_id\":" SCHEMA_UUID "," SCHEDULE_PROPS ",\"description\":{\"type\":"
	    "\"string\"},\"next_fires\":{\"type\":\"array\",\"items\":" TIME "},"
	    "\"next_fire_at\":" TIME_NULL ",\"last_fire_at\":" TIME_NULL ",\"created_at\":"
	    TIME ",\"updated_at\":" TIME) },
	{ "ScheduleList", ITEMS("Schedule") },
	{ "NodeTypes", "{\"type\":\"array\",\"items\":{\"type\":\"object\",\"required\":"
	    "[\"type\",\"title\",\"config_schema\",\"handles\"],\"properties\":{\"type\":"
	    "{\"type\":\"string\"},\"title\":{\"type\":\"string\"},\"description\":{\"type\":"
	    "\"string\"},\"category\":{\"type\":\"string\"},\"config_schema\":{\"type\":"
	    "\"object\"},\"handles\":{\"type\":\"object\"}}}}" },
	{ "Tools", "{\"type\":\"array\",\"items\":{\"type\":\"object\",\"required\":"
	    "[\"name\",\"title\",\"input_schema\"],\"properties\":{\"name\":{\"type\":"
	    "\"string\"},\"title\":{\"type\":\"string\"},\"description\":{\"type\":"
	    "\"string\"},\"input_schema\":{\"type\":\"object\"}}}}" },
	{ "Providers", "{\"type\":\"array\",\"items\":" OBJ("\"name\",\"title\","
	    "\"description\",\"default_base_url\",\"credential\"", "\"name\":{\"type\":"
	    "\"string\"},\"title\":{\"type\":\"string\"},\"description\":{\"type\":"
	    "\"string\"},\"default_base_url\":{\"type\":\"string\"},\"credential\":"
	    "{\"type\":\"array\",\"items\":" OBJ("\"name\",\"title\",\"description\","
	    "\"required\"", "\"name\":{\"type\":\"string\"},\"title\":{\"type\":"
	    "\"string\"},\"description\":{\"type\":\"string\"},\"required\":{\"type\":"
	    "\"boolean\"}") "}") "}" },
	{ "AgentConfiguration", agent_config_schema },
	{ "Settings", OBJ("\"settings\"", "\"settings\":{\"type\":\"array\",\"items\":"
	    OBJ("\"name\",\"value\",\"default\",\"description\"", "\"name\":{\"type\":"
	    "\"string\"},\"value\":{\"type\":\"string\"},\"default\":{\"type\":\"string\"},"
	    "\"description\":{\"type\":\"string\"}") "}") },
	{ "ModelPricesPut", OBJ("\"items\"", "\"items\":{\"type\":\"array\",\"maxItems\":500,"
	    "\"items\":" OBJ("\"model\",\"prompt_per_mtok\",\"completion_per_mtok\"",
	    "\"model\":" STRING_1(200) ",\"prompt_per_mtok\":" PRICE ",\"completion_per_mtok\":"
	    PRICE ",\"updated_at\":" TIME_NULL) "}") },
	{ "ModelPrices", OBJ("\"items\"", "\"items\":{\"type\":\"array\",\"items\":"
	    OBJ("\"model\",\"prompt_per_mtok\",\"completion_per_mtok\",\"updated_at\"",
	    "\"model\":{\"type\":\"string\"},\"prompt_per_mtok\":{\"type\":\"number\"},"
	    "\"completion_per_mtok\":{\"type\":\"number\"},\"updated_at\":" TIME) "}") },
	{ "UsageRuns", OBJ("\"range\",\"buckets\",\"totals\"", "\"range\":" USAGE_RANGE
	    ",\"buckets\":{\"type\":\"array\",\"description\":\"one per hour, oldest first"
	    "\",\"items\":" OBJ("\"hour\",\"succeeded\",\"failed\",\"cancelled\",\"p50_ms\","
	    "\"p95_ms\"", "\"hour\":" TIME "," USAGE_COUNTS) "},\"totals\":"
	    OBJ("\"runs\",\"succeeded\",\"failed\",\"cancelled\",\"mean_ms\",\"p50_ms\","
	    "\"p95_ms\"", "\"runs\":" INT ",\"mean_ms\":" INT_NULL "," USAGE_COUNTS)) },
	{ "UsageModels", OBJ("\"range\",\"items\",\"totals\"", "\"range\":" USAGE_RANGE
	    ",\"items\":{\"type\":\"array\",\"items\":" OBJ("\"provider\",\"model\",\"calls\","
	    "\"prompt_tokens\",\"completion_tokens\",\"prompt_per_mtok\","
	    "\"completion_per_mtok\",\"cost\"", "\"provider\":{\"type\":\"string\"},"
	    "\"model\":{\"type\":\"string\"},\"calls\":" INT ",\"prompt_tokens\":" INT
	    ",\"completion_tokens\":" INT ",\"prompt_per_mtok\":" NUM_NULL
	    ",\"completion_per_mtok\":" NUM_NULL ",\"cost\":{\"type\":[\"number\",\"null\"],"
	    "\"description\":\"estimated at the model's price; null without a price\"}") "},"
	    "\"totals\":" OBJ("\"calls\",\"prompt_tokens\",\"completion_tokens\",\"cost\","
	    "\"unpriced_models\"", "\"calls\":" INT ",\"prompt_tokens\":" INT
	    ",\"completion_tokens\":" INT ",\"cost\":{\"type\":\"number\",\"description\":"
	    "\"of the priced models only\"},\"unpriced_models\":" INT)) },
	{ "UsageFailing", OBJ("\"range\",\"items\"", "\"range\":" USAGE_RANGE ",\"items\":"
	    "{\"type\":\"array\",\"items\":" OBJ("\"workflow_id\",\"name\",\"failed\","
	    "\"runs\",\"failure_rate\"", "\"workflow_id\":" SCHEMA_UUID ",\"name\":{\"type\":"
	    "[\"string\",\"null\"],\"description\":\"null once the workflow is deleted\"},"
	    "\"failed\":" INT ",\"runs\":" INT ",\"failure_rate\":{\"type\":\"number\"}") "}") },
	/* Human approvals (fcgi/approvals.c). */
	{ "ApprovalAnswer", OBJ("\"decision\"", "\"decision\":{\"enum\":[\"approve\","
	    "\"reject\"]},\"comment\":{\"type\":\"string\",\"maxLength\":"
	    SCHEMA_XSTR(APPROVAL_COMMENT_MAX) "}") },
	{ "Approval", OBJ("\"execution_id\",\"node_id\",\"state\",\"can_answer\"",
	    "\"execution_id\":" SCHEMA_UUID ",\"node_id\":{\"type\":\"string\"},"
	    "\"workflow_id\":" UUID_NULL ",\"workflow_name\":{\"type\":[\"string\",\"null\"]},"
	    "\"owner_id\":" UUID_NULL ",\"owner_name\":{\"type\":[\"string\",\"null\"]},"
	    "\"role\":{\"type\":[\"string\",\"null\"],\"description\":\"the role that may "
	    "answer: admin, editor or viewer\"},\"user_id\":"
	    UUID_NULL ",\"message\":{\"type\":\"string\"},\"input\":{\"description\":"
	    "\"what the node received\"},\"deadline\":" TIME_NULL ",\"state\":{\"enum\":"
	    "[\"pending\",\"approved\",\"rejected\"]},\"answered_by\":" UUID_NULL
	    ",\"answered_by_name\":{\"type\":[\"string\",\"null\"]},\"comment\":{\"type\":"
	    "\"string\"},\"created_at\":" TIME ",\"answered_at\":" TIME_NULL
	    ",\"execution_status\":{\"type\":\"string\"},\"can_answer\":{\"type\":"
	    "\"boolean\",\"description\":\"the caller may answer it now\"}") },
	{ "ApprovalList", LIST("Approval") },
	{ "ApprovalItems", ITEMS("Approval") },
	{ "ApprovalCount", OBJ("\"count\"", "\"count\":" INT) },
};

/* The request schemas whose body may be absent (all its members are optional). */
static const char *const optional_bodies[] = { "ExecutionCreate", "WebhookCreate",
	"WebhookRotate", "ExecutionReplay" };

#define SCHEMAS_MAX_REF_DEPTH	8	/* components naming components, at most this deep */

static json_object	*resolved[NITEMS(schemas)];
static pthread_once_t	 resolved_once = PTHREAD_ONCE_INIT;

json_object *
schemas_components(void)
{
	json_object	*all = jsonh_new_object(), *s;
	size_t		 i;

	for (i = 0; i < NITEMS(schemas); i++) {
		if ((s = jschema_parse(schemas[i].schema)) == NULL) {
			json_object_put(all);
			return NULL;
		}
		json_object_object_add(all, schemas[i].name, s);
	}
	return all;
}

/* A copy of "s" in which every {"$ref": "#/components/schemas/X"} is X of "all", itself
 * resolved, "depth" levels deep at most. Returns a new reference, or NULL for a dangling or
 * too deep reference. */
static json_object *
schemas_resolve(json_object *all, json_object *s, int depth)
{
	static const char	 prefix[] = "#/components/schemas/";
	json_object		*out, *v, *target;
	const char		*ref;
	size_t			 i;

	if (depth > SCHEMAS_MAX_REF_DEPTH)
		return NULL;
	if (json_object_is_type(s, json_type_array)) {
		out = jsonh_new_array();
		for (i = 0; i < json_object_array_length(s); i++) {
			/* A JSON null (in an enum) is kept as it is. */
			v = NULL;
			if (json_object_array_get_idx(s, i) != NULL && (v = schemas_resolve(all,
			    json_object_array_get_idx(s, i), depth)) == NULL)
				return json_object_put(out), NULL;
			json_object_array_add(out, v);
		}
		return out;
	}
	if (!json_object_is_type(s, json_type_object))
		return json_object_get(s);
	if ((ref = jsonh_get_string(s, "$ref")) != NULL) {
		if (strncmp(ref, prefix, sizeof(prefix) - 1) != 0 ||
		    !json_object_object_get_ex(all, ref + sizeof(prefix) - 1, &target))
			return NULL;
		return schemas_resolve(all, target, depth + 1);
	}
	out = jsonh_new_object();
	json_object_object_foreach(s, key, val) {
		v = NULL;
		if (val != NULL && (v = schemas_resolve(all, val, depth)) == NULL)
			return json_object_put(out), NULL;
		json_object_object_add(out, key, v);
	}
	return out;
}

/* Resolves every component once per process. */
static void
schemas_resolve_all(void)
{
	json_object	*all = schemas_components();
	size_t		 i;

	for (i = 0; all != NULL && i < NITEMS(schemas); i++)
		if ((resolved[i] = schemas_resolve(all, json_object_object_get(all,
		    schemas[i].name), 0)) == NULL)
			log_error(NULL, "schema %s: a $ref does not resolve", schemas[i].name);
	json_object_put(all);
}

bool
schemas_body_optional(const char *name)
{
	size_t	 i;

	for (i = 0; i < NITEMS(optional_bodies); i++)
		if (strcmp(optional_bodies[i], name) == 0)
			return true;
	return false;
}

json_object *
schemas_resolved(const char *name)
{
	size_t	 i;

	pthread_once(&resolved_once, schemas_resolve_all);
	for (i = 0; i < NITEMS(schemas); i++)
		if (strcmp(schemas[i].name, name) == 0)
			return resolved[i];
	return NULL;
}
