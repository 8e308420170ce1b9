-- 110_notify.sql: a notification whenever an API key stops naming the same owner (deleted,
-- or its hash or owner changed), so that the API can cache keys' owners per process and
-- still refuse a revoked key at once (docs/ARCHITECTURE.md, "API processes"). Recording a
-- key's use (last_used_at) notifies nothing. Users' own state notifies on
-- fragent_user_state (040_user_state.sql).

-- Sent at commit, so a listener never learns of a change it could not read yet. The payload
-- is the key's id; listeners drop every key they cached (deletions are rare).
CREATE FUNCTION api_keys_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('fragent_api_keys', OLD.id::text);
	RETURN NULL;
END
$$;

CREATE TRIGGER api_keys_changed AFTER UPDATE OF key_hash, user_id ON api_keys
	FOR EACH ROW WHEN (OLD.key_hash IS DISTINCT FROM NEW.key_hash OR
		OLD.user_id IS DISTINCT FROM NEW.user_id)
	EXECUTE FUNCTION api_keys_notify();
CREATE TRIGGER api_keys_deleted AFTER DELETE ON api_keys
	FOR EACH ROW EXECUTE FUNCTION api_keys_notify();
