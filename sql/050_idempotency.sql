-- 050_idempotency.sql: the Idempotency-Key of the requests that start runs. A key is kept
-- with the execution it started, unique per owner, for 24 hours; a request repeating it
-- gets that execution instead of a new one. jobd's sweeper clears older keys.

ALTER TABLE executions
	ADD COLUMN idempotency_key text
		CHECK (idempotency_key IS NULL OR length(idempotency_key) BETWEEN 1 AND 255),
	-- SHA-256 (hex) of the request that used the key: method, path and body.
	ADD COLUMN idempotency_fingerprint text;

CREATE UNIQUE INDEX executions_idempotency ON executions (owner_id, idempotency_key)
	WHERE idempotency_key IS NOT NULL;
