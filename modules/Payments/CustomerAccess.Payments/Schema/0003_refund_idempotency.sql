-- A refund asked for with an idempotency key (the receipt page always sends one): the same key is
-- the same refund, so a double submit or a client's retry never gives money back twice.
create table payments.refund_idempotency (
  tenant_id    text        not null,
  key          text        not null,
  payment_id   text        not null,
  amount_pence bigint      not null,
  reason       text        not null,
  refund_id    text        not null,
  created_at   timestamptz not null default now(),
  primary key (tenant_id, key)
);
select es.enable_tenant_isolation('payments.refund_idempotency');
