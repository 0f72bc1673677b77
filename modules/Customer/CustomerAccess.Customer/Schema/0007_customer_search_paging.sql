-- Search pages: GET /customers?q= gave only its first page (next was always null). The search takes
-- an offset (the route's cursor, as the address lookup's is) and orders ties by id, so that pages
-- neither repeat nor skip a customer when many share a name. An offset rather than a key after the
-- last row because that key would be names, and a cursor travels in URLs and logs.
drop function if exists customer.search_customers(text, text, text, bigint, int);

create or replace function customer.search_customers(p_text text, p_phone text, p_postcode text, p_uprn bigint, p_limit int, p_offset int)
returns table (id text, first_name text, last_name text, email text, phone text, uprn bigint, score real)
language plpgsql stable security definer
set search_path = pg_catalog, public
as $$
declare
  v_tenant text := es.current_tenant();
  v_name text := lower(p_text);
begin
  if v_tenant is null then return; end if;
  if position('@' in p_text) > 0 then
    return query
      select c.id, c.first_name, c.last_name, c.email, c.phone, c.uprn, 1.0::real from customer.customers c
      where c.tenant_id = v_tenant and c.email_lower = v_name and c.merged_into is null and not c.erased
      order by c.id
      limit p_limit offset p_offset;
    return;
  end if;
  return query
    with hits as (
      select c.id, 1.0::real as score from customer.customers c
        where p_phone is not null and c.tenant_id = v_tenant and c.phone_digits = p_phone
      union all
      select c.id, 1.0 from customer.customers c
        where p_uprn is not null and c.tenant_id = v_tenant and c.uprn = p_uprn
      union all
      select c.id, 0.9 from customer.customers c
        where c.tenant_id = v_tenant and c.postcode_key = p_postcode
      union all
      select c.id, greatest(similarity(c.search_name, v_name), word_similarity(v_name, c.search_name))
        from customer.customers c
        where p_phone is null and p_uprn is null and c.tenant_id = v_tenant
          and (c.search_name % v_name or v_name <% c.search_name)
    )
    select c.id, c.first_name, c.last_name, c.email, c.phone, c.uprn, h.score
    from (select hits.id, max(hits.score) as score from hits group by hits.id) h
    join customer.customers c on c.tenant_id = v_tenant and c.id = h.id
    where c.merged_into is null and not c.erased
    order by h.score desc, c.last_name, c.first_name, c.id
    limit p_limit offset p_offset;
end $$;
revoke all on function customer.search_customers(text, text, text, bigint, int, int) from public;
