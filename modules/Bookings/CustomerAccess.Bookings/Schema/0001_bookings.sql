-- The Bookings module: bookable resources, per-slot capacity counters, bookings and the bulky-waste
-- collection process. Every key leads with the council; RLS on every table. No personal data here
-- beyond ids (a bulky collection's UPRN is the operational address of the job, like waste's orders).
create schema if not exists bookings;

-- What can be booked and when it opens: slots are generated from these rules (Europe/London).
create table bookings.resources (
  tenant_id    text    not null,
  id           text    not null,            -- no ':' (slot ids are "{resourceId}:{yyyyMMddTHHmm}")
  type         text    not null,            -- pitch, pavilion, room, bulky-waste
  name         text    not null,
  price_pence  bigint  not null default 0,  -- 0 = free
  capacity     int     not null,            -- places per slot (a bulky round: collections per day)
  weekdays     int[]   not null,            -- ISO weekdays it opens (1 = Monday)
  starts       text[]  not null,            -- local slot start times 'HH:mm'
  slot_minutes int,                         -- null: one all-day slot
  primary key (tenant_id, id),
  check (type in ('pitch', 'pavilion', 'room', 'bulky-waste')),
  check (capacity > 0 and price_pence >= 0)
);
select es.enable_tenant_isolation('bookings.resources');

-- One row per slot that was ever booked, created on demand: the row lock on it is what keeps a
-- slot from being over-booked (update … set booked = booked + 1 where booked < capacity).
create table bookings.slots (
  tenant_id   text        not null,
  resource_id text        not null,
  slot_key    text        not null,   -- yyyyMMddTHHmm, local time
  starts_at   timestamptz not null,
  ends_at     timestamptz not null,
  capacity    int         not null,
  booked      int         not null default 0,
  primary key (tenant_id, resource_id, slot_key),
  check (booked >= 0 and booked <= capacity)
);
select es.enable_tenant_isolation('bookings.slots');

create table bookings.bookings (
  tenant_id          text        not null,
  id                 text        not null,
  customer_id        text        not null,
  resource_id        text        not null,
  slot_key           text        not null,
  starts_at          timestamptz not null,
  ends_at            timestamptz not null,
  status             text        not null,  -- held, confirmed, cancelled, released
  holds_place        boolean     not null,  -- counted in slots.booked
  amount_pence       bigint      not null,
  payment_request_id uuid,
  reference          text,                  -- a charged booking's payment reference (BK-000123, BW-000123)
  paid               boolean     not null default false,
  purpose            text        not null,  -- booking, bulky-collection
  purpose_id         text        not null,
  expires_at         timestamptz,           -- a held place is released after this
  idempotency_key    text,
  request_hash       text,
  created_at         timestamptz not null,
  updated_at         timestamptz not null,
  primary key (tenant_id, id)
);
create index bookings_customer on bookings.bookings (tenant_id, customer_id, starts_at);
create unique index bookings_idempotency on bookings.bookings (tenant_id, idempotency_key) where idempotency_key is not null;
create unique index bookings_payment_request on bookings.bookings (tenant_id, payment_request_id) where payment_request_id is not null;
-- The hold sweep's cross-council listing (system connection).
create index bookings_held on bookings.bookings (expires_at) where status = 'held';
select es.enable_tenant_isolation('bookings.bookings');

-- The bulky-waste collection as a process: held → awaiting-payment → confirmed → works-order-raised,
-- or released / released-refunded / cancelled. Its events are on the stream bulky-{id}.
create table bookings.bulky_collections (
  tenant_id          text        not null,
  id                 text        not null,
  booking_id         text        not null,
  customer_id        text        not null,
  uprn               text        not null,
  items              text[]      not null,
  collection_date    date        not null,
  state              text        not null,
  payment_request_id uuid        not null,
  reference          text        not null,
  amount_pence       bigint      not null,
  expires_at         timestamptz not null,
  works_order_id     text,
  created_at         timestamptz not null,
  updated_at         timestamptz not null,
  primary key (tenant_id, id)
);
create unique index bulky_booking on bookings.bulky_collections (tenant_id, booking_id);
select es.enable_tenant_isolation('bookings.bulky_collections');

-- Bulky collection references (BW-000123), gap-free per council like case references.
create table bookings.reference_counters (
  tenant_id text   not null,
  kind      text   not null,
  last      bigint not null,
  primary key (tenant_id, kind)
);
select es.enable_tenant_isolation('bookings.reference_counters');
