-- es.append with the tamper-evidence hash computed inline. Calling the SQL function es.event_hash
-- from plpgsql ran it through the SQL-function executor on every event (no cached plan): a third of
-- a single writer's append time (docs/benchmarks.md). The expression here must stay identical to
-- es.event_hash, which es.verify still uses; the chain tests fail if the two ever disagree.
create or replace function es.append(
  p_tenant text, p_stream text, p_expected bigint,
  p_event_ids uuid[], p_types text[], p_schema_versions int[], p_data jsonb[], p_metadata jsonb[],
  p_occurred timestamptz[])
returns table (event_position bigint, event_transaction xid8, event_version bigint, event_recorded_at timestamptz)
language plpgsql as $$
declare
  v_version bigint := 0;
  v_hash bytea := null;
  v_row record;
  i int;
begin
  if p_tenant is distinct from es.current_tenant() then
    raise exception 'the transaction is not set to council %', p_tenant using errcode = '42501';
  end if;
  perform pg_advisory_xact_lock(hashtextextended(p_tenant || E'\x1f' || p_stream, 0));
  select e.stream_version, e.hash into v_version, v_hash
    from es.events e where e.tenant_id = p_tenant and e.stream_id = p_stream
    order by e.stream_version desc limit 1;
  v_version := coalesce(v_version, 0);
  if (p_expected = -1 and v_version <> 0) or (p_expected >= 0 and v_version <> p_expected) then
    raise exception 'stream % is at version %, expected %', p_stream, v_version, p_expected
      using errcode = 'CA409';
  end if;
  for i in 1 .. coalesce(array_length(p_event_ids, 1), 0) loop
    v_version := v_version + 1;
    insert into es.events as e (tenant_id, stream_id, stream_version, event_id, event_type, schema_version,
                                data, metadata, occurred_at, prev_hash, hash)
    values (p_tenant, p_stream, v_version, p_event_ids[i], p_types[i], p_schema_versions[i], p_data[i],
            p_metadata[i], p_occurred[i], v_hash,
            sha256(coalesce(v_hash, '\x'::bytea) || convert_to(concat_ws(E'\x1f',
              p_tenant, p_stream, v_version::text, p_event_ids[i]::text, p_types[i], p_schema_versions[i]::text,
              ((extract(epoch from p_occurred[i]) * 1000000)::bigint)::text, p_data[i]::text, p_metadata[i]::text), 'UTF8')))
    returning e.position, e.transaction_id, e.hash, e.recorded_at into v_row;
    v_hash := v_row.hash;
    event_position := v_row.position;
    event_transaction := v_row.transaction_id;
    event_version := v_version;
    event_recorded_at := v_row.recorded_at;
    return next;
  end loop;
end $$;
