-- 040_user_state.sql: what access checks read of a user — role, a disabled flag and a token
-- epoch — and a notification whenever one of them changes or the user is deleted, so that
-- the API and jobd can cache them per process and still act on a change at once.

ALTER TABLE users
	ADD COLUMN disabled boolean NOT NULL DEFAULT false,
	-- Access tokens carry the epoch they were signed with ("ver"); raising it voids them.
	ADD COLUMN token_epoch integer NOT NULL DEFAULT 0 CHECK (token_epoch >= 0);

-- The payload is the user's id; listeners drop what they cached of that user. Sent at
-- commit, so a listener never learns of a change it could not read yet.
CREATE FUNCTION users_notify_state() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('fragent_user_state', OLD.id::text);
	RETURN NULL;
END
$$;

CREATE TRIGGER users_state_changed AFTER UPDATE OF role, disabled, token_epoch ON users
	FOR EACH ROW WHEN (OLD.role IS DISTINCT FROM NEW.role OR
		OLD.disabled IS DISTINCT FROM NEW.disabled OR
		OLD.token_epoch IS DISTINCT FROM NEW.token_epoch)
	EXECUTE FUNCTION users_notify_state();
CREATE TRIGGER users_deleted AFTER DELETE ON users
	FOR EACH ROW EXECUTE FUNCTION users_notify_state();
