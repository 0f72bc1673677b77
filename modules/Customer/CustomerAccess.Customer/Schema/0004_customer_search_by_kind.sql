-- Search runs only the lookups the text can be: an email is one index probe, a phone number or
-- UPRN skips the name search, and the council is bound as a value so each lookup gets a plan for
-- it. (0003's single SQL statement ran every branch, trigram included, for every search.)
create or replace function customer.search_customers(p_text text, p_phone text, p_postcode text, p_uprn bigint, p_limit int)
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
      limit p_limit;
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
    order by h.score desc, c.last_name, c.first_name
    limit p_limit;
end $$;
revoke all on function customer.search_customers(text, text, text, bigint, int) from public;
