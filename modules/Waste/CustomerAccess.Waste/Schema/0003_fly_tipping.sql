-- Fly-tipping reports are works orders at a location (WGS84), not at a property or container.
alter table waste.works_orders alter column uprn drop not null;
alter table waste.works_orders alter column container drop not null;
alter table waste.works_orders add column if not exists latitude double precision;
alter table waste.works_orders add column if not exists longitude double precision;
alter table waste.works_orders add column if not exists detail text;
