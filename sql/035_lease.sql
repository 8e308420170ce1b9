-- 035_lease.sql: what the lease protocol of jobd (jobd/lease.c) keeps beside the lease itself.
--
-- abandons: how many times a holder lost the execution without giving it back (it crashed,
-- was killed, or could not renew its lease): counted by the claim that takes it over. Past
-- FRAGENT_JOBD_MAX_ABANDONS the execution is failed instead of run again, so a run that
-- crashes every worker that touches it ends. A retry starts the count again.
-- queue_entry: the queue entry of the last claim. A worker that reads another entry of an
-- execution whose holder is alive acknowledges it as a duplicate; the holder's own entry
-- stays pending for whoever takes over should the holder die.
ALTER TABLE executions ADD COLUMN IF NOT EXISTS abandons integer NOT NULL DEFAULT 0;
ALTER TABLE executions ADD COLUMN IF NOT EXISTS queue_entry text;
