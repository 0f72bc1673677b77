-- A cancelled bulky collection: the key can be claimed by the cancellation before any works order
-- exists (the two messages race through the outbox), so the order id may be missing, and a raise
-- that comes after the cancellation finds cancelled_at and raises nothing.
alter table waste.bulky_collection_keys alter column works_order_id drop not null;
alter table waste.bulky_collection_keys add column if not exists cancelled_at timestamptz;
