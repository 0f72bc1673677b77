-- A customer's events across every stream of the council set on the transaction. Why a function:
-- under row-level security PostgreSQL will not use the partial index events_customer, because its
-- jsonb operators (?, ->>) are not leakproof. Running as the owner (superuser locally, BYPASSRLS in
-- production) with an explicit filter on es.current_tenant() keeps the same isolation and lets the
-- index serve the read.
create or replace function es.customer_events(p_customer text, p_as_at timestamptz, p_as_at_position bigint)
returns setof es.events
language plpgsql stable security definer
set search_path = pg_catalog, public
as $$
declare
  v_tenant text := es.current_tenant();
begin
  if v_tenant is null then return; end if;
  return query
    select e.* from es.events e
    where e.tenant_id = v_tenant and e.metadata ? 'customerId' and (e.metadata->>'customerId') = p_customer
      and (p_as_at is null or e.recorded_at <= p_as_at)
      and (p_as_at_position is null or e.position <= p_as_at_position)
    order by e.position;
end $$;
revoke all on function es.customer_events(text, timestamptz, bigint) from public;
