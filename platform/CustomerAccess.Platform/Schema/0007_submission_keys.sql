-- One-time submission keys: a screen form carries one issued when it was rendered (and an API client
-- may send one as idempotencyKey). The first request with a key claims it in the same transaction as
-- what it records and leaves its result here; a replay (double click, back and resubmit, a refresh
-- re-posting, a retry) finds the row and records nothing. Modules name the operation and the result;
-- the platform does not interpret them. Rows older than the retention (30 days) are swept.
create table if not exists platform.submission_keys (
  tenant_id    text        not null,
  key          text        not null,
  operation    text        not null,
  fingerprint  text        not null,
  result       text,
  created_at   timestamptz not null default now(),
  primary key (tenant_id, key)
);
create index if not exists submission_keys_created on platform.submission_keys (created_at);
select es.enable_tenant_isolation('platform.submission_keys');
