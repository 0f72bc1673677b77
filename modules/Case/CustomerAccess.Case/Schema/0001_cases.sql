-- The Case module's read models. No free text (summary, details, notes, outcome) is kept here:
-- those live only in the case's events, encrypted with the customer's key, so erasure reaches them.
create schema if not exists cases;

create table cases.cases (
  tenant_id                 text        not null,
  id                        text        not null,
  reference                 text        not null,
  customer_id               text        not null,
  type                      text        not null,   -- enquiry, service-request, complaint, member-enquiry
  service                   text        not null,
  status                    text        not null,   -- open, escalated, in-progress, resolved, reopened
  team                      text,
  stage                     int,                    -- complaints: 1 or 2
  member                    text,                   -- member-enquiry: the elected member's user name
  restricted                boolean     not null default false,  -- safeguarding concern flagged
  safeguarding              text[]      not null default '{}',   -- adult, child
  ever_escalated            boolean     not null default false,
  raised_at                 timestamptz not null,
  raised_by                 text        not null,
  due_at                    timestamptz not null,
  resolved_at               timestamptz,
  resolved_by               text,
  resolved_at_first_contact boolean     not null default false,
  resolved_within_standard  boolean,
  updated_at                timestamptz not null,
  version                   bigint      not null,
  primary key (tenant_id, id)
);
create unique index cases_reference on cases.cases (tenant_id, reference);
-- Team queues: open cases of a team, soonest due first.
create index cases_queue on cases.cases (tenant_id, team, due_at, id) where status <> 'resolved';
create index cases_member on cases.cases (tenant_id, member, raised_at, id) where member is not null;
create index cases_customer on cases.cases (tenant_id, customer_id);
create index cases_raised on cases.cases (tenant_id, raised_at);
create index cases_resolved on cases.cases (tenant_id, resolved_at) where resolved_at is not null;
select es.enable_tenant_isolation('cases.cases');

-- Case references are sequential per council without gaps: the counter row is taken in the same
-- transaction as the case's first event, so a refused or rolled-back raise gives its number back.
create table cases.reference_counters (
  tenant_id text   not null,
  kind      text   not null,
  last      bigint not null,
  primary key (tenant_id, kind)
);
select es.enable_tenant_isolation('cases.reference_counters');

-- Knowledge base: articles and call scripts per council and service (not personal data).
create table cases.knowledge (
  tenant_id  text        not null,
  id         text        not null,
  kind       text        not null,   -- article, script
  service    text        not null,
  title      text        not null,
  body       text        not null,
  search     tsvector    generated always as (
               setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', body), 'B')) stored,
  updated_at timestamptz not null,
  updated_by text        not null,
  version    bigint      not null,
  primary key (tenant_id, id)
);
create index knowledge_service on cases.knowledge (tenant_id, service, title);
select es.enable_tenant_isolation('cases.knowledge');
