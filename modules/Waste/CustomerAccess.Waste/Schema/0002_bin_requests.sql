-- New and replacement bin requests are works orders too: why the bin is needed, and a quick way to
-- find a property's open request for a container (one open request per property and container).
alter table waste.works_orders add column if not exists reason text;
create index if not exists works_orders_open_by_property on waste.works_orders (tenant_id, uprn, container, kind)
  where status in ('raised', 'sent', 'accepted');
