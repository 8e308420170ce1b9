-- 060_triggers.sql: what starts runs from outside: webhooks (a public /hooks/{token} path
-- served by jobd) and schedules (cron expressions fired by jobd), and on each execution the
-- trigger that started it.

-- manual: a signed-in user (the UI); api: an API key; webhook, schedule: the trigger
-- trigger_id names; tool: a run_workflow or ask_agent tool call (parent_execution_id).
-- trigger_id has no foreign key: deleting a trigger keeps the runs it started.
ALTER TABLE executions
	ADD COLUMN trigger text NOT NULL DEFAULT 'manual'
		CHECK (trigger IN ('manual', 'api', 'webhook', 'schedule', 'tool')),
	ADD COLUMN trigger_id uuid;
CREATE INDEX executions_trigger ON executions (trigger, created_at DESC, id DESC);

-- An idempotency key is unique per owner and trigger: a webhook's callers and a schedule's
-- fires have their own keys, apart from the owner's API calls (trigger_id NULL).
DROP INDEX executions_idempotency;
CREATE UNIQUE INDEX executions_idempotency ON executions (owner_id, trigger_id, idempotency_key)
	NULLS NOT DISTINCT WHERE idempotency_key IS NOT NULL;

CREATE TABLE webhooks (
	id		uuid PRIMARY KEY,
	workflow_id	uuid NOT NULL REFERENCES workflows(id) ON DELETE CASCADE,
	name		text NOT NULL DEFAULT '' CHECK (length(name) <= 200),
	-- The public path's secret part: 32 random bytes, base64url (rotatable).
	token		text NOT NULL UNIQUE CHECK (token ~ '^[A-Za-z0-9_-]{43}$'),
	enabled		boolean NOT NULL DEFAULT true,
	methods		text[] NOT NULL DEFAULT '{POST}',
	auth_mode	text NOT NULL DEFAULT 'none'
		CHECK (auth_mode IN ('none', 'secret', 'hmac')),
	-- The shared secret (modes secret and hmac), sealed under the master key like the
	-- credentials, bound to the webhook's id.
	secret		bytea,
	response_mode	text NOT NULL DEFAULT 'async'
		CHECK (response_mode IN ('async', 'sync')),
	-- sync: how long the caller waits for the result before a 202.
	timeout_ms	integer NOT NULL DEFAULT 30000 CHECK (timeout_ms BETWEEN 100 AND 120000),
	-- hmac: how far the signed timestamp may be from now, and how long a signature is
	-- remembered to refuse its replay.
	replay_window_s	integer NOT NULL DEFAULT 300 CHECK (replay_window_s BETWEEN 10 AND 3600),
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	CHECK ((auth_mode = 'none') = (secret IS NULL))
);
CREATE INDEX webhooks_workflow ON webhooks (workflow_id, created_at, id);

CREATE TABLE schedules (
	id		uuid PRIMARY KEY,
	workflow_id	uuid NOT NULL REFERENCES workflows(id) ON DELETE CASCADE,
	name		text NOT NULL DEFAULT '' CHECK (length(name) <= 200),
	cron		text NOT NULL CHECK (length(cron) BETWEEN 1 AND 128),
	timezone	text NOT NULL DEFAULT 'UTC' CHECK (length(timezone) BETWEEN 1 AND 64),
	inputs		jsonb NOT NULL DEFAULT '{}',
	enabled		boolean NOT NULL DEFAULT true,
	-- After jobd was away past a fire: run it once (however many were missed), or skip.
	missed		text NOT NULL DEFAULT 'run_once' CHECK (missed IN ('run_once', 'skip')),
	-- The next fire, kept by whoever writes the schedule (the API) or fires it (jobd);
	-- NULL when disabled or when the expression never fires again.
	next_fire_at	timestamptz,
	last_fire_at	timestamptz,
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX schedules_workflow ON schedules (workflow_id, created_at, id);
CREATE INDEX schedules_due ON schedules (next_fire_at) WHERE enabled;
