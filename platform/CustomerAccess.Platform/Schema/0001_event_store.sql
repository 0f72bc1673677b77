-- The event store: every council's events in one table, keyed by council first so the table can
-- later be partitioned or distributed by council. Row-level security keeps councils apart.
create schema if not exists es;

-- Reads "as the current council" use this; a connection with no council set sees nothing.
create or replace function es.current_tenant() returns text
language sql stable as $$ select nullif(current_setting('app.tenant_id', true), '') $$;

-- Policy helper every module uses on its own tables: rows are visible and writable only for the
-- council set on the transaction.
create or replace function es.enable_tenant_isolation(p_table regclass) returns void
language plpgsql as $$
begin
  execute format('alter table %s enable row level security', p_table);
  execute format('alter table %s force row level security', p_table);
  if not exists (select 1 from pg_policies where format('%I.%I', schemaname, tablename)::regclass = p_table
                 and policyname = 'tenant_isolation') then
    execute format('create policy tenant_isolation on %s using (tenant_id = es.current_tenant()) with check (tenant_id = es.current_tenant())', p_table);
  end if;
end $$;

create table if not exists es.events (
  tenant_id       text        not null,
  position        bigint      generated always as identity,
  -- The writing transaction: readers of the global log only see rows whose transaction is older
  -- than every transaction still running, so a late commit is never skipped.
  transaction_id  xid8        not null default pg_current_xact_id(),
  stream_id       text        not null,
  stream_version  bigint      not null,
  event_id        uuid        not null,
  event_type      text        not null,
  schema_version  int         not null,
  data            jsonb       not null,
  metadata        jsonb       not null,
  occurred_at     timestamptz not null,
  recorded_at     timestamptz not null default clock_timestamp(),
  prev_hash       bytea,
  hash            bytea       not null,
  primary key (tenant_id, position),
  unique (tenant_id, stream_id, stream_version),
  unique (tenant_id, event_id)
);
create index if not exists events_global_order on es.events (transaction_id, position);
create index if not exists events_position on es.events (position);
create index if not exists events_customer on es.events (tenant_id, ((metadata->>'customerId')), position)
  where metadata ? 'customerId';
select es.enable_tenant_isolation('es.events');

-- The tamper-evidence chain: each event's hash covers the previous event's hash in its stream and
-- the event as stored. Used by append and verify alike so the two can never disagree.
create or replace function es.event_hash(
  p_prev bytea, p_tenant text, p_stream text, p_version bigint, p_event_id uuid, p_type text,
  p_schema_version int, p_data jsonb, p_metadata jsonb, p_occurred timestamptz) returns bytea
language sql immutable as $$
  select sha256(coalesce(p_prev, '\x'::bytea) || convert_to(concat_ws(E'\x1f',
    p_tenant, p_stream, p_version::text, p_event_id::text, p_type, p_schema_version::text,
    ((extract(epoch from p_occurred) * 1000000)::bigint)::text, p_data::text, p_metadata::text), 'UTF8'))
$$;

-- Appends events to one stream in one round trip. p_expected: -2 any, 0 the stream must not exist,
-- n the stream must be at version n (see ExpectedVersion in C#). Raises CA409 when it is not.
-- The caller's transaction must already be set to p_tenant (PlatformDatabase.BeginAsync does it):
-- the function never changes the council setting, so it cannot be used to write another council's
-- stream. Writers of one stream take turns on a transaction-scoped advisory lock, so a writer that
-- waited reads the version its predecessor committed: exact versions conflict cleanly (CA409)
-- and "any version" appends never fail because someone else appended first.
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
            es.event_hash(v_hash, p_tenant, p_stream, v_version, p_event_ids[i], p_types[i],
                          p_schema_versions[i], p_data[i], p_metadata[i], p_occurred[i]))
    returning e.position, e.transaction_id, e.hash, e.recorded_at into v_row;
    v_hash := v_row.hash;
    event_position := v_row.position;
    event_transaction := v_row.transaction_id;
    event_version := v_version;
    event_recorded_at := v_row.recorded_at;
    return next;
  end loop;
end $$;

-- Recomputes a council's chains (or one stream's). Returns the first broken position, if any.
create or replace function es.verify(p_tenant text, p_stream text default null)
returns table (events_checked bigint, first_broken_position bigint)
language sql stable as $$
  with chain as (
    select e.position, e.stream_version, e.prev_hash, e.hash,
           lag(e.hash) over w as expected_prev,
           lag(e.stream_version) over w as prev_version,
           es.event_hash(e.prev_hash, e.tenant_id, e.stream_id, e.stream_version, e.event_id, e.event_type,
                         e.schema_version, e.data, e.metadata, e.occurred_at) as recomputed
    from es.events e
    where e.tenant_id = p_tenant and (p_stream is null or e.stream_id = p_stream)
    window w as (partition by e.stream_id order by e.stream_version)
  )
  select count(*),
         min(position) filter (where prev_hash is distinct from expected_prev
                                  or hash <> recomputed
                                  or stream_version <> coalesce(prev_version, 0) + 1)
  from chain
$$;

-- Each data subject's (customer's) own key, wrapped by the master key. Erasure deletes the key:
-- events and their hashes stay as they are, the personal fields become unreadable.
create table if not exists es.subject_keys (
  tenant_id    text        not null,
  subject_id   text        not null,
  wrapped_key  bytea,
  created_at   timestamptz not null default now(),
  erased_at    timestamptz,
  primary key (tenant_id, subject_id)
);
select es.enable_tenant_isolation('es.subject_keys');
