-- Each council's receipt prefix, chosen when it joins and unique across the partnership, so no two
-- councils issue the same receipt number (the first-three-letters rule gave a new "cot-…" council
-- Cotswold's COT). Councils onboarded before keep the prefix their receipts already carry; where two
-- of them shared one, the later-onboarded council gets a numbered one for its receipts from now on.
alter table tenancy.councils add column if not exists receipt_prefix text;

do $$
declare
  c record;
  candidate text;
  n int;
begin
  for c in select id from tenancy.councils where receipt_prefix is null order by position loop
    candidate := case c.id
      when 'cheltenham' then 'CHL' when 'cotswold' then 'COT'
      when 'forest-of-dean' then 'FOD' when 'west-oxfordshire' then 'WOX'
      else rpad(upper(left(regexp_replace(c.id, '[^a-z0-9]', '', 'g'), 3)), 3, 'X') end;
    n := 1;
    while exists (select 1 from tenancy.councils where receipt_prefix = candidate) loop
      candidate := rpad(upper(left(regexp_replace(c.id, '[^a-z0-9]', '', 'g'), 2)), 2, 'X') || n;
      n := n + 1;
    end loop;
    update tenancy.councils set receipt_prefix = candidate where id = c.id;
  end loop;
end $$;

alter table tenancy.councils alter column receipt_prefix set not null;
create unique index if not exists councils_receipt_prefix_key on tenancy.councils (receipt_prefix);
