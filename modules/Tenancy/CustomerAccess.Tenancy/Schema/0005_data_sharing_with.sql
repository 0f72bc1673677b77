-- Which councils share customer identity with the council the calling transaction is set to.
-- Agreements are rows of the sharing council (row-level security keeps each council's list to
-- itself), but the viewing council must learn which councils have agreed to share with it, in one
-- query rather than one transaction per partner. This function runs as the schema owner and returns
-- only the ids of councils whose agreement names es.current_tenant() and shares identity now: nothing
-- of agreements with anyone else, and nothing when no council is set.
create or replace function tenancy.councils_sharing_identity_with_current()
returns table (council text)
language sql stable security definer
set search_path = pg_catalog, public
as $$
  select d.tenant_id from tenancy.data_sharing d
  where es.current_tenant() is not null
    and d.other_council = es.current_tenant()
    and d.tenant_id <> es.current_tenant()
    and d.share_customer_identity
  order by d.tenant_id
$$;
revoke all on function tenancy.councils_sharing_identity_with_current() from public;
