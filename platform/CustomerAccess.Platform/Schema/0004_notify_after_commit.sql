-- NOTIFY moved out of the writing transaction (CommitNotifier): a NOTIFY in the writer's
-- transaction holds PostgreSQL's notify-queue lock through the commit's WAL flush, which
-- serialised every append's commit behind every other's.
drop trigger if exists events_notify on es.events;
drop trigger if exists outbox_notify on platform.outbox;
drop function if exists es.notify_events();
drop function if exists platform.notify_outbox();
