-- Customer search as a function that runs as the schema owner. Why: under row-level security
-- PostgreSQL will not use an index for operators that are not leakproof (pg_trgm's %, <%), so the
-- typo-tolerant name search would scan every row. The function filters by the council set on the
-- calling transaction (es.current_tenant(), the same setting RLS uses) explicitly, so it returns
-- nothing of another council, and its owner (the migrator: superuser locally, a BYPASSRLS role in
-- production) lets the planner use the indexes below.
create index if not exists customers_tenant_name_trgm on customer.customers using gin (tenant_id, search_name gin_trgm_ops);
drop index if exists customer.customers_name_trgm;

create or replace function customer.search_customers(p_text text, p_phone text, p_postcode text, p_uprn bigint, p_limit int)
returns table (id text, first_name text, last_name text, email text, phone text, uprn bigint, score real)
language sql stable security definer
set search_path = pg_catalog, public
as $$
  with council as (select es.current_tenant() as tenant_id),
  hits as (
    select c.id, 1.0::real as score from customer.customers c, council
      where c.tenant_id = council.tenant_id and c.email_lower = lower(p_text)
    union all
    select c.id, 1.0 from customer.customers c, council
      where p_phone is not null and c.tenant_id = council.tenant_id and c.phone_digits = p_phone
    union all
    select c.id, 0.9 from customer.customers c, council
      where c.tenant_id = council.tenant_id and c.postcode_key = p_postcode
    union all
    select c.id, 1.0 from customer.customers c, council
      where p_uprn is not null and c.tenant_id = council.tenant_id and c.uprn = p_uprn
    union all
    select c.id, greatest(similarity(c.search_name, lower(p_text)), word_similarity(lower(p_text), c.search_name))
      from customer.customers c, council
      where c.tenant_id = council.tenant_id and (c.search_name % lower(p_text) or lower(p_text) <% c.search_name)
  )
  select c.id, c.first_name, c.last_name, c.email, c.phone, c.uprn, h.score
  from (select hits.id, max(hits.score) as score from hits group by hits.id) h
  join customer.customers c on c.tenant_id = (select tenant_id from council) and c.id = h.id
  where c.merged_into is null and not c.erased
  order by h.score desc, c.last_name, c.first_name
  limit p_limit
$$;
revoke all on function customer.search_customers(text, text, text, bigint, int) from public;
