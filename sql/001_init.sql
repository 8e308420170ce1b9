-- 001_init.sql: the core data model (users, agents, workflows, executions, steps, credentials, memory).

CREATE TABLE users (
	id		uuid PRIMARY KEY,
	username	text NOT NULL UNIQUE CHECK (length(username) BETWEEN 1 AND 64),
	email		text NOT NULL UNIQUE CHECK (length(email) BETWEEN 3 AND 254),
	password_hash	text NOT NULL,
	role		text NOT NULL CHECK (role IN ('admin', 'editor', 'viewer')),
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE refresh_tokens (
	id		uuid PRIMARY KEY,
	user_id		uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	token_hash	bytea NOT NULL UNIQUE,
	family		uuid NOT NULL,
	expires_at	timestamptz NOT NULL,
	revoked_at	timestamptz,
	created_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family);

CREATE TABLE api_keys (
	id		uuid PRIMARY KEY,
	user_id		uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	name		text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	prefix		text NOT NULL,
	key_hash	bytea NOT NULL UNIQUE,
	last_used_at	timestamptz,
	created_at	timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE agents (
	id		uuid PRIMARY KEY,
	owner_id	uuid REFERENCES users(id) ON DELETE CASCADE,
	name		text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	description	text NOT NULL DEFAULT '',
	configuration	jsonb NOT NULL DEFAULT '{}',
	version		integer NOT NULL DEFAULT 1,
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE workflows (
	id		uuid PRIMARY KEY,
	owner_id	uuid REFERENCES users(id) ON DELETE CASCADE,
	name		text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	description	text NOT NULL DEFAULT '',
	definition	jsonb NOT NULL,
	version		integer NOT NULL DEFAULT 1,
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX workflows_created ON workflows (created_at DESC, id DESC);

CREATE TABLE executions (
	id		uuid PRIMARY KEY,
	workflow_id	uuid NOT NULL REFERENCES workflows(id) ON DELETE CASCADE,
	workflow_version integer NOT NULL,
	definition	jsonb NOT NULL,
	owner_id	uuid REFERENCES users(id) ON DELETE SET NULL,
	status		text NOT NULL DEFAULT 'queued'
			CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
	inputs		jsonb NOT NULL DEFAULT '{}',
	results		jsonb,
	error		text,
	attempt		integer NOT NULL DEFAULT 0,
	start_time	timestamptz,
	end_time	timestamptz,
	created_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX executions_workflow ON executions (workflow_id, created_at DESC);
CREATE INDEX executions_status ON executions (status, created_at DESC);

CREATE TABLE execution_steps (
	execution_id	uuid NOT NULL REFERENCES executions(id) ON DELETE CASCADE,
	node_id		text NOT NULL,
	attempt		integer NOT NULL DEFAULT 1,
	status		text NOT NULL
			CHECK (status IN ('running', 'succeeded', 'failed', 'skipped', 'cancelled')),
	input		jsonb,
	output		jsonb,
	error		text,
	usage		jsonb,
	started_at	timestamptz NOT NULL DEFAULT now(),
	finished_at	timestamptz,
	PRIMARY KEY (execution_id, node_id, attempt)
);

CREATE TABLE credentials (
	id		uuid PRIMARY KEY,
	owner_id	uuid REFERENCES users(id) ON DELETE CASCADE,
	name		text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	provider	text NOT NULL,
	ciphertext	bytea NOT NULL,
	nonce		bytea NOT NULL,
	hint		text NOT NULL DEFAULT '',
	created_at	timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE agent_messages (
	id		bigserial PRIMARY KEY,
	agent_id	uuid NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
	session_id	text NOT NULL,
	role		text NOT NULL,
	content		jsonb NOT NULL,
	created_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX agent_messages_session ON agent_messages (agent_id, session_id, id);
