-- Failure demand by reason, and the contacts advisors classified (value or failure), per council
-- and day (Europe/London), kept by the tenancy-failure-demand subscription from contracts'
-- PerformanceFact. A subscription of its own (not more columns on performance_daily) so that it
-- replays the whole log when it first runs: repeat missed-bin reports made before this existed
-- are counted by reason too. demand is 'value' or 'failure' for a classified contact, '' for
-- failure demand a module declares itself (a missed bin reported again); reason '' for value.
create table tenancy.failure_demand_daily (
  tenant_id  text not null,
  day        date not null,
  demand     text not null,
  reason     text not null,
  contacts   int  not null default 0,
  primary key (tenant_id, day, demand, reason)
);
select es.enable_tenant_isolation('tenancy.failure_demand_daily');
