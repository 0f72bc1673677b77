-- Open311 GeoReport v2 (Open311/): the reporting sites' API keys and the feed of works-order
-- status changes they poll (servicerequestupdates). Both are confined to their council by RLS.

-- One row per partner site's key for a council. Only the SHA-256 of the key is kept (keys are long
-- random strings, so a fast hash is enough); a revoked key stays for the record.
create table waste.open311_api_keys (
  tenant_id  text        not null,
  key_hash   text        not null,
  partner    text        not null,          -- the reporting site, e.g. "FixMyStreet"; the events' actor
  created_at timestamptz not null default now(),
  revoked_at timestamptz,
  primary key (tenant_id, key_hash)
);
select es.enable_tenant_isolation('waste.open311_api_keys');

-- Every status change of a works order (the contractor's "sent" and the status route's moves),
-- kept by an inline projection in the same transaction as the event; update_id is the event id.
create table waste.open311_updates (
  tenant_id      text        not null,
  update_id      text        not null,
  works_order_id text        not null,
  status         text        not null,
  updated_at     timestamptz not null,
  primary key (tenant_id, update_id)
);
create index open311_updates_time on waste.open311_updates (tenant_id, updated_at);
select es.enable_tenant_isolation('waste.open311_updates');

-- GET requests.json lists by time across statuses.
create index if not exists works_orders_raised on waste.works_orders (tenant_id, raised_at);
