-- The Waste module's tables. Every key leads with the council (tenant_id) and every table is
-- confined to its council by row-level security. Rounds and their UPRN ranges are reference data
-- (seeded locally); works orders are the inline projection of "works-order-{id}" streams, and
-- missed_bin_keys is the write-side dedupe decided inside the report's transaction.
create schema if not exists waste;

-- A round: one container collected on one weekday, every week or every other week. The anchor is
-- one date the round collects on (so it falls on the round's weekday); fortnightly rounds collect
-- on anchor + 14k days, before any bank-holiday shift.
create table waste.rounds (
  tenant_id  text     not null,
  id         text     not null,
  container  text     not null check (container in ('refuse', 'recycling', 'food', 'garden')),
  weekday    smallint not null check (weekday between 1 and 7), -- ISO: 1 = Monday
  frequency  text     not null check (frequency in ('weekly', 'fortnightly')),
  anchor     date     not null,
  name       text     not null,
  primary key (tenant_id, id),
  check (extract(isodow from anchor) = weekday)
);
select es.enable_tenant_isolation('waste.rounds');

-- Which properties a round serves: inclusive UPRN ranges. A property is on at most one round per
-- container (the seeder's ranges do not overlap; lookups take the first by round id).
create table waste.round_assignments (
  tenant_id text   not null,
  round_id  text   not null,
  uprn_from bigint not null,
  uprn_to   bigint not null,
  primary key (tenant_id, round_id, uprn_from),
  foreign key (tenant_id, round_id) references waste.rounds (tenant_id, id),
  check (uprn_from <= uprn_to)
);
create index round_assignments_range on waste.round_assignments (tenant_id, uprn_from, uprn_to);
select es.enable_tenant_isolation('waste.round_assignments');

-- One works order per property, container and collection for a missed bin: the key is claimed in
-- the report's own transaction, so a repeat (even one racing the first) finds the existing order.
create table waste.missed_bin_keys (
  tenant_id       text not null,
  uprn            bigint not null,
  container       text not null,
  collection_date date not null,
  report_id       text not null,
  works_order_id  text not null,
  primary key (tenant_id, uprn, container, collection_date)
);
select es.enable_tenant_isolation('waste.missed_bin_keys');

create table waste.works_orders (
  tenant_id            text        not null,
  id                   text        not null,
  kind                 text        not null,          -- missed-bin
  status               text        not null check (status in ('raised', 'sent', 'accepted', 'completed', 'cancelled', 'could-not-complete')),
  report_id            text,
  customer_id          text,
  uprn                 bigint      not null,
  container            text        not null,
  collection_date      date,
  contractor_reference text,
  repeat_reports       integer     not null default 0, -- failure demand: the same miss reported again
  raised_at            timestamptz not null,
  raised_by            text        not null,
  updated_at           timestamptz not null,
  version              bigint      not null,
  primary key (tenant_id, id)
);
create index works_orders_status on waste.works_orders (tenant_id, status, raised_at);
select es.enable_tenant_isolation('waste.works_orders');
