-- 130_row_notify.sql: a notification whenever an agent is updated or deleted, so that the
-- API can answer GET /agents/{id} from a per-process cache and still never serve a row older
-- than the change (docs/ARCHITECTURE.md, "API processes"). An insert notifies nothing: a
-- row that was not found is never cached.

-- Sent at commit, so a listener never learns of a change it could not read yet. The payload
-- is the row's id; listeners drop what they cached of it.
CREATE FUNCTION rows_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('fragent_rows', OLD.id::text);
	RETURN NULL;
END
$$;

CREATE TRIGGER agents_changed AFTER UPDATE OR DELETE ON agents
	FOR EACH ROW EXECUTE FUNCTION rows_notify();
