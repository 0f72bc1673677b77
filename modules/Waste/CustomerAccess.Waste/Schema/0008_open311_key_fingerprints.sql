-- Open311 keys are managed through the API (Open311/Open311KeyAdmin.cs): each key gets a short,
-- non-secret fingerprint that names it in lists, in revocations and in its events. It is the first
-- 12 hex digits of SHA-256 over the stored hash (itself SHA-256 of the key), so it reveals nothing
-- of the key or of the hash, and it is computed by the database for every row, old or new: the
-- local seed key and any key inserted by hand get one too.
alter table waste.open311_api_keys
  add column if not exists fingerprint text
  generated always as (substr(encode(sha256(decode(key_hash, 'hex')), 'hex'), 1, 12)) stored;
create unique index if not exists open311_api_keys_fingerprint on waste.open311_api_keys (tenant_id, fingerprint);
