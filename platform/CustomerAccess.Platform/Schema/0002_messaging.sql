-- Subscriptions (asynchronous projections), the outbox, the inbox and dead letters.

-- Where each subscription has got to in the global log, written in the same transaction as the
-- rows it projected, so a crash never loses or repeats a batch.
create table if not exists platform.subscription_checkpoints (
  name            text        primary key,
  transaction_id  xid8        not null default '0'::xid8,
  position        bigint      not null default 0,
  updated_at      timestamptz not null default now()
);

-- Wakes subscribers when events commit (NOTIFY is transactional: it fires on commit, and
-- identical payloads in one transaction are sent once).
create or replace function es.notify_events() returns trigger
language plpgsql as $$ begin perform pg_notify('es_events', ''); return null; end $$;
drop trigger if exists events_notify on es.events;
create trigger events_notify after insert on es.events
  for each statement execute function es.notify_events();

-- Messages written in the same transaction as the events that caused them. A row stays until
-- every handler has taken it (then it is deleted) or it is parked in dead_letters.
create table if not exists platform.outbox (
  id               bigint      generated always as identity primary key,
  tenant_id        text        not null,
  message_id       uuid        not null unique,
  message_type     text        not null,
  payload          jsonb       not null,
  correlation_id   uuid,
  causation_id     uuid,
  trace_parent     text,
  trace_state      text,
  created_at       timestamptz not null default now(),
  attempts         int         not null default 0,
  next_attempt_at  timestamptz not null default now(),
  last_error       text
);
create index if not exists outbox_due on platform.outbox (next_attempt_at, id);
select es.enable_tenant_isolation('platform.outbox');

create or replace function platform.notify_outbox() returns trigger
language plpgsql as $$ begin perform pg_notify('ca_outbox', ''); return null; end $$;
drop trigger if exists outbox_notify on platform.outbox;
create trigger outbox_notify after insert on platform.outbox
  for each statement execute function platform.notify_outbox();

-- One row per message a handler has taken, written in the handler's own transaction: a redelivery
-- finds it and does nothing.
create table if not exists platform.inbox (
  tenant_id     text        not null,
  message_id    uuid        not null,
  handler       text        not null,
  handled_at    timestamptz not null default now(),
  primary key (tenant_id, message_id, handler)
);
select es.enable_tenant_isolation('platform.inbox');

-- Messages that failed every attempt, with the last error (exception type and message; messages
-- carry no personal data by rule). An admin can send one back to the outbox.
create table if not exists platform.dead_letters (
  id               bigint      generated always as identity primary key,
  tenant_id        text        not null,
  message_id       uuid        not null,
  message_type     text        not null,
  payload          jsonb       not null,
  correlation_id   uuid,
  causation_id     uuid,
  trace_parent     text,
  trace_state      text,
  created_at       timestamptz not null,
  attempts         int         not null,
  error            text        not null,
  dead_at          timestamptz not null default now(),
  retried_at       timestamptz
);
create index if not exists dead_letters_open on platform.dead_letters (dead_at) where retried_at is null;
