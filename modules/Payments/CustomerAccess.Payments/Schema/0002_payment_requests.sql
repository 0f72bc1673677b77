-- Payments due: what another module (garden waste, bulky waste, bookings) asked to be paid, through the
-- outbox (contracts' PaymentRequested). The stream "payment-request-{id}" is the record; this table is its
-- inline projection and the row a payment against the request locks to decide (open, paid, withdrawn).
create table payments.payment_requests (
  tenant_id        text        not null,
  id               uuid        not null,
  customer_id      text,
  fund             text        not null,
  amount_pence     bigint      not null check (amount_pence > 0),
  purpose          text        not null,
  purpose_id       text        not null,
  reference        text        not null,
  description      text        not null,
  expires_at       timestamptz,
  status           text        not null check (status in ('open', 'paid', 'withdrawn')),
  payment_id       text,
  receipt_number   text,
  withdrawn_reason text,
  requested_at     timestamptz not null,
  settled_at       timestamptz,
  version          bigint      not null,
  primary key (tenant_id, id)
);
create index payment_requests_customer on payments.payment_requests (tenant_id, customer_id, requested_at desc) where customer_id is not null;
create index payment_requests_open on payments.payment_requests (tenant_id, requested_at desc) where status = 'open';
select es.enable_tenant_isolation('payments.payment_requests');

-- A payment made against a request (null for ordinary payments).
alter table payments.payments add column payment_request_id uuid;
create index payments_request on payments.payments (tenant_id, payment_request_id) where payment_request_id is not null;

-- What the card provider said about a refund we sent it (GOV.UK Pay refund: submitted, success, error).
-- null: not a provider refund (cash-type payment), or not yet sent.
alter table payments.refunds add column provider_refund_id text;
alter table payments.refunds add column provider_status text;
