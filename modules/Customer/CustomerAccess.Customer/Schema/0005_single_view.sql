-- What the single view lists of other modules' work for a customer: cases and payments, kept by
-- the customer-single-view subscription from the facts those modules' events declare in contracts
-- (ICaseOnSingleView, IPaymentOnSingleView). No free text: nothing here outlives an erasure.
create table customer.customer_cases (
  tenant_id   text        not null,
  customer_id text        not null,
  reference   text        not null,
  case_id     text,
  type        text,
  service     text,
  status      text,
  due_at      timestamptz,
  restricted  boolean     not null default false,
  position    bigint      not null,
  primary key (tenant_id, customer_id, reference)
);
select es.enable_tenant_isolation('customer.customer_cases');

create table customer.customer_payments (
  tenant_id      text        not null,
  customer_id    text        not null,
  payment_id     text        not null,
  receipt_number text,
  fund           text,
  amount_pence   bigint,
  channel        text,
  status         text,
  refunded_pence bigint      not null default 0,
  taken_at       timestamptz not null,
  position       bigint      not null,
  primary key (tenant_id, customer_id, payment_id)
);
create index customer_payments_recent on customer.customer_payments (tenant_id, customer_id, taken_at desc);
select es.enable_tenant_isolation('customer.customer_payments');
