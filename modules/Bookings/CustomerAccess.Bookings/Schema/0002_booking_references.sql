-- Finding a booking by the reference a resident reads out (GET /bookings?reference=). The lookup is
-- case-insensitive, so the index is on upper(reference). New references carry the council's prefix
-- (CHE-B-000123, CHE-BW-000123); those made before it (BK-000123, BW-000123) stay as stored and are
-- found the same way. The counters keep their kinds 'BK' and 'BW', so numbering carries on.
create index bookings_reference on bookings.bookings (tenant_id, upper(reference)) where reference is not null;
