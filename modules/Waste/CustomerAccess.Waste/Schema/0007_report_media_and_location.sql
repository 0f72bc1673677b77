-- What an Open311 report brings beside the place: media_url, the link to the reporter's photo (http
-- or https, up to 2,000 characters), and location, the reporter's words for where fly-tipping is
-- (address_string, up to 500), which may be all there is of the place when no lat/long were sent.
-- Null for every order raised before this and for reports that sent neither.
alter table waste.works_orders add column if not exists media_url text;
alter table waste.works_orders add column if not exists location text;
