-- 080_tracing.sql: the trace an execution belongs to (docs/ARCHITECTURE.md, Tracing).

-- The W3C traceparent of the span that started the run (the API request's, a webhook call's
-- or a schedule fire's): jobd's spans of the run are its children. NULL: tracing was off
-- when it was stored (jobd then starts a trace of its own when tracing is on).
ALTER TABLE executions ADD COLUMN traceparent text
	CHECK (traceparent IS NULL OR traceparent ~ '^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$');
