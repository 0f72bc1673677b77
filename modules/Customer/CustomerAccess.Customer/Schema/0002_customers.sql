-- The Customer module's read models. Plaintext personal data lives only here (for search and the
-- single view) and is scrubbed on erasure; the events hold it encrypted per customer.
create extension if not exists pg_trgm;
create schema if not exists customer;

create table customer.customers (
  tenant_id       text        not null,
  id              text        not null,
  first_name      text,
  last_name       text,
  email           text,
  email_lower     text,
  phone           text,
  phone_digits    text,
  date_of_birth   date,
  uprn            bigint,
  postcode_key    text,        -- postcode without spaces, upper case, for lookups
  search_name     text,        -- lower-case "first last" for typo-tolerant search
  merged_into     text,
  erased          boolean     not null default false,
  contact_count   int         not null default 0,
  last_contact_at timestamptz,
  created_at      timestamptz not null,
  version         bigint      not null,
  primary key (tenant_id, id)
);
create unique index customers_email_unique on customer.customers (tenant_id, email_lower)
  where email_lower is not null and merged_into is null;
create index customers_name_trgm on customer.customers using gin (search_name gin_trgm_ops);
create index customers_phone on customer.customers (tenant_id, phone_digits) where phone_digits is not null;
create index customers_postcode on customer.customers (tenant_id, postcode_key) where postcode_key is not null;
create index customers_uprn on customer.customers (tenant_id, uprn) where uprn is not null;
create index customers_merged on customer.customers (tenant_id, merged_into) where merged_into is not null;
select es.enable_tenant_isolation('customer.customers');

create table customer.flags (
  tenant_id   text        not null,
  customer_id text        not null,
  flag_id     text        not null,
  kind        text        not null,
  details     text,
  reason      text        not null,
  set_by      text        not null,
  set_at      timestamptz not null,
  review_on   date,
  primary key (tenant_id, customer_id, flag_id)
);
select es.enable_tenant_isolation('customer.flags');

-- One row per contact, for reports (contacts by channel, first-contact resolution).
create table customer.contacts (
  tenant_id                 text        not null,
  id                        text        not null,
  customer_id               text        not null,
  channel                   text        not null,
  reason                    text        not null,
  resolved_at_first_contact boolean     not null,
  occurred_at               timestamptz not null,
  actor                     text        not null,
  primary key (tenant_id, id)
);
create index contacts_when on customer.contacts (tenant_id, occurred_at);
select es.enable_tenant_isolation('customer.contacts');

-- The single customer timeline: every module's events about a customer, fed by a checkpointed
-- subscription to the global log. Summaries carry no personal data.
create table customer.timeline (
  tenant_id   text        not null,
  customer_id text        not null,
  position    bigint      not null,
  occurred_at timestamptz not null,
  module      text        not null,
  type        text        not null,
  summary     text        not null,
  channel     text,
  actor       text        not null,
  reference   text,
  primary key (tenant_id, customer_id, position)
);
create index timeline_module on customer.timeline (tenant_id, customer_id, module, position);
select es.enable_tenant_isolation('customer.timeline');
