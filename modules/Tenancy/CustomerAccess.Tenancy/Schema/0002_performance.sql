-- The partnership's performance figures per council and day (Europe/London), kept by the
-- tenancy-performance subscription from the facts events declare (contracts' IPerformanceFact).
-- channel '' holds the day's non-contact figures.
create table tenancy.performance_daily (
  tenant_id                  text   not null,
  day                        date   not null,
  channel                    text   not null,
  contacts                   int    not null default 0,
  contacts_resolved_first    int    not null default 0,
  cases_opened               int    not null default 0,
  cases_within_standard      int    not null default 0,
  payments_pence             bigint not null default 0,
  failure_demand             int    not null default 0,
  primary key (tenant_id, day, channel)
);
select es.enable_tenant_isolation('tenancy.performance_daily');
