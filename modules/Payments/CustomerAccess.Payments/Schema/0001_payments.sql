-- The Payments module's tables. Every key leads with the council (tenant_id) and every table is
-- confined to its council by row-level security. The events on "payment-{id}" and "cashup-{date}"
-- streams are the record; these tables are their inline projection plus the three pieces of
-- write-side state that must be decided inside the payment's transaction (idempotency keys,
-- receipt counters, open/closed days).
create schema if not exists payments;

-- Each council's funds (what a payment is for). housing-rent is taken on behalf of a housing company.
create table payments.funds (
  tenant_id    text    not null,
  code         text    not null,
  name         text    not null,
  on_behalf_of text,
  active       boolean not null default true,
  primary key (tenant_id, code)
);
select es.enable_tenant_isolation('payments.funds');

-- One row per council: the next receipt number. Updated inside the payment's transaction, so the
-- row lock serialises writers and a rolled-back payment gives its number back: no gaps, no duplicates.
create table payments.receipt_counters (
  tenant_id text   not null,
  prefix    text   not null,
  next      bigint not null default 1 check (next >= 1),
  primary key (tenant_id)
);
select es.enable_tenant_isolation('payments.receipt_counters');

create table payments.payments (
  tenant_id           text        not null,
  id                  text        not null,
  receipt_number      text,
  customer_id         text,
  fund                text        not null,
  amount_pence        bigint      not null check (amount_pence > 0),
  refunded_pence      bigint      not null default 0,
  channel             text        not null,
  reference           text,
  status              text        not null check (status in ('pending', 'succeeded', 'failed')),
  provider_payment_id text,
  next_url            text,
  provider_status     text,
  business_date       date        not null,   -- council-local (Europe/London) day it counts towards
  taken_at            timestamptz not null,
  taken_by            text        not null,
  settled_at          timestamptz,
  version             bigint      not null,
  primary key (tenant_id, id),
  check (refunded_pence >= 0 and refunded_pence <= amount_pence)
);
create unique index payments_receipt_unique on payments.payments (tenant_id, receipt_number) where receipt_number is not null;
create index payments_customer on payments.payments (tenant_id, customer_id, id) where customer_id is not null;
create index payments_day on payments.payments (tenant_id, business_date);
create index payments_pending on payments.payments (tenant_id, taken_at) where status = 'pending';
select es.enable_tenant_isolation('payments.payments');

create table payments.refunds (
  tenant_id     text        not null,
  id            text        not null,
  payment_id    text        not null,
  amount_pence  bigint      not null check (amount_pence > 0),
  reason        text        not null,
  business_date date        not null,
  issued_at     timestamptz not null,
  issued_by     text        not null,
  primary key (tenant_id, id)
);
create index refunds_payment on payments.refunds (tenant_id, payment_id);
create index refunds_day on payments.refunds (tenant_id, business_date);
select es.enable_tenant_isolation('payments.refunds');

-- A client's idempotency key with a hash of the canonical request it first came with, written in the
-- payment's own transaction: a retry finds the payment, a different body under the same key is a 409.
create table payments.idempotency (
  tenant_id    text        not null,
  key          text        not null,
  request_hash text        not null,
  payment_id   text        not null,
  position     bigint,
  created_at   timestamptz not null default now(),
  primary key (tenant_id, key)
);
select es.enable_tenant_isolation('payments.idempotency');

-- A council-local day. Writers dated a day take a share lock on its row; closing takes it exclusively,
-- so nothing lands on a day after (or while) it closes.
create table payments.cash_days (
  tenant_id     text        not null,
  business_date date        not null,
  closed_at     timestamptz,
  closed_by     text,
  primary key (tenant_id, business_date)
);
select es.enable_tenant_isolation('payments.cash_days');

create table payments.declarations (
  tenant_id      text        not null,
  business_date  date        not null,
  cashier        text        not null,
  declared_pence bigint      not null,
  expected_pence bigint      not null,
  declared_at    timestamptz not null,
  declared_by    text        not null,
  primary key (tenant_id, business_date, cashier)
);
select es.enable_tenant_isolation('payments.declarations');
