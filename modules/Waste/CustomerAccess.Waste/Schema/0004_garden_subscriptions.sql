-- Garden waste subscriptions: a property's paid garden bin collections for one season (April to
-- March, named by its years, e.g. 2026-27). Prices are the Waste module's own per-council table
-- (seeded locally); garden_subscriptions is the inline projection of "garden-subscription-{id}"
-- streams; reference_counters numbers them per council and season without gaps.
create table waste.garden_prices (
  tenant_id    text    not null,
  from_season  integer not null,               -- the price applies from the season starting in April of this year
  pence_per_bin bigint  not null check (pence_per_bin > 0),
  max_bins     integer not null check (max_bins between 1 and 20),
  primary key (tenant_id, from_season)
);
select es.enable_tenant_isolation('waste.garden_prices');

create table waste.reference_counters (
  tenant_id text   not null,
  series    text   not null,
  last      bigint not null,
  primary key (tenant_id, series)
);
select es.enable_tenant_isolation('waste.reference_counters');

create table waste.garden_subscriptions (
  tenant_id           text        not null,
  id                  text        not null,
  reference           text        not null,
  customer_id         text        not null,
  uprn                bigint      not null,
  season              integer     not null,   -- the year the season starts (April)
  bins                integer     not null,
  amount_pence        bigint      not null,
  status              text        not null check (status in ('pending-payment', 'active', 'expired', 'cancelled')),
  valid_from          date        not null,
  valid_to            date        not null,
  payment_request_id  uuid        not null,
  payment_expires_at  timestamptz,
  payment_id          text,
  receipt_number      text,
  last_failure        text,
  failed_attempts     integer     not null default 0,
  renewal_of          text,
  created_at          timestamptz not null,
  updated_at          timestamptz not null,
  version             bigint      not null,
  primary key (tenant_id, id)
);
-- One live (pending or active) subscription per property and season: the backstop behind the
-- advisory lock the request takes.
create unique index garden_subscriptions_live on waste.garden_subscriptions (tenant_id, uprn, season)
  where status in ('pending-payment', 'active');
create index garden_subscriptions_by_customer on waste.garden_subscriptions (tenant_id, customer_id, season);
create index garden_subscriptions_by_uprn on waste.garden_subscriptions (tenant_id, uprn, season);
select es.enable_tenant_isolation('waste.garden_subscriptions');

-- Bulky collections booked (Bookings) become one works order each: the key is claimed in the
-- handler's transaction, so a repeated request finds the order it raised.
create table waste.bulky_collection_keys (
  tenant_id          text not null,
  bulky_collection_id text not null,
  works_order_id     text not null,
  primary key (tenant_id, bulky_collection_id)
);
select es.enable_tenant_isolation('waste.bulky_collection_keys');
alter table waste.works_orders add column if not exists items text[];
alter table waste.works_orders add column if not exists booking_id text;
