-- 002_auth.sql: authentication (login back-off, refresh families), ownership everywhere,
-- optimistic concurrency on credentials, and the indexes the API's lists use.

ALTER TABLE users
	ADD COLUMN failed_logins integer NOT NULL DEFAULT 0,
	ADD COLUMN locked_until timestamptz;
CREATE UNIQUE INDEX users_email_lower ON users (lower(email));

-- A rotated token keeps its row (revoked_at, replaced_by) so that presenting it again is
-- recognised as reuse and revokes its family.
ALTER TABLE refresh_tokens ADD COLUMN replaced_by uuid;
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);

CREATE INDEX api_keys_user ON api_keys (user_id, created_at DESC);

ALTER TABLE credentials
	ADD COLUMN version integer NOT NULL DEFAULT 1,
	ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();

-- Every resource has an owner from now on. Rows made before authentication existed keep
-- a NULL owner (NOT VALID skips them); the first administrator adopts them when registering.
ALTER TABLE agents ADD CONSTRAINT agents_owner_set CHECK (owner_id IS NOT NULL) NOT VALID;
ALTER TABLE workflows ADD CONSTRAINT workflows_owner_set CHECK (owner_id IS NOT NULL) NOT VALID;
ALTER TABLE credentials ADD CONSTRAINT credentials_owner_set CHECK (owner_id IS NOT NULL) NOT VALID;
ALTER TABLE executions ADD CONSTRAINT executions_owner_set CHECK (owner_id IS NOT NULL) NOT VALID;
-- A deleted user's executions go with it (SET NULL would break the owner rule).
ALTER TABLE executions DROP CONSTRAINT executions_owner_id_fkey,
	ADD CONSTRAINT executions_owner_id_fkey FOREIGN KEY (owner_id)
	REFERENCES users(id) ON DELETE CASCADE;

-- Lists: newest first per owner (non-admins) and overall (admins).
CREATE INDEX agents_owner_created ON agents (owner_id, created_at DESC, id DESC);
CREATE INDEX agents_created ON agents (created_at DESC, id DESC);
CREATE INDEX workflows_owner_created ON workflows (owner_id, created_at DESC, id DESC);
CREATE INDEX credentials_owner_created ON credentials (owner_id, created_at DESC, id DESC);
CREATE INDEX credentials_created ON credentials (created_at DESC, id DESC);
CREATE INDEX executions_owner_created ON executions (owner_id, created_at DESC, id DESC);
CREATE INDEX executions_created ON executions (created_at DESC, id DESC);
