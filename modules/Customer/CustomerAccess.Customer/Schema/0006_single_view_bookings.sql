-- Bookings and subscriptions on the single view, from the facts Bookings and Waste events declare
-- in contracts (IBookingOnSingleView, ISubscriptionOnSingleView). No free text, like 0005.
create table customer.customer_bookings (
  tenant_id     text        not null,
  customer_id   text        not null,
  booking_id    text        not null,
  resource_name text,
  resource_type text,
  starts_at     timestamptz,
  ends_at       timestamptz,
  status        text,
  position      bigint      not null,
  primary key (tenant_id, customer_id, booking_id)
);
select es.enable_tenant_isolation('customer.customer_bookings');

create table customer.customer_subscriptions (
  tenant_id       text    not null,
  customer_id     text    not null,
  subscription_id text    not null,
  service         text,
  season          text,
  bins            int,
  status          text,
  valid_from      date,
  valid_to        date,
  position        bigint  not null,
  primary key (tenant_id, customer_id, subscription_id)
);
select es.enable_tenant_isolation('customer.customer_subscriptions');
