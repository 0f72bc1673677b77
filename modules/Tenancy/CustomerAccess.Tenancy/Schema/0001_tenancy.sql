-- The Tenancy module: partner councils, their service standards and bank holidays, data-sharing
-- agreements, local users and the local token signing key.
create schema if not exists tenancy;

-- The partnership's directory of councils (read model of tenancy.council-onboarded). Not
-- council-scoped: every council must be able to learn the others' names, so no RLS here.
create table if not exists tenancy.councils (
  id                 text primary key,
  name               text not null,
  contact_number     text not null,
  service_themes     text[] not null default '{}',
  days_to_resolve    jsonb not null default '{}',
  holiday_division   text not null default 'england-and-wales',
  onboarded_at       timestamptz not null,
  position           bigint not null
);

-- Bank holidays by division (gov.uk/bank-holidays). England and Wales 2025-2027.
create table if not exists tenancy.bank_holidays (
  division  text not null,
  date      date not null,
  title     text not null,
  primary key (division, date)
);
insert into tenancy.bank_holidays (division, date, title) values
  ('england-and-wales', '2025-01-01', 'New Year''s Day'),
  ('england-and-wales', '2025-04-18', 'Good Friday'),
  ('england-and-wales', '2025-04-21', 'Easter Monday'),
  ('england-and-wales', '2025-05-05', 'Early May bank holiday'),
  ('england-and-wales', '2025-05-26', 'Spring bank holiday'),
  ('england-and-wales', '2025-08-25', 'Summer bank holiday'),
  ('england-and-wales', '2025-12-25', 'Christmas Day'),
  ('england-and-wales', '2025-12-26', 'Boxing Day'),
  ('england-and-wales', '2026-01-01', 'New Year''s Day'),
  ('england-and-wales', '2026-04-03', 'Good Friday'),
  ('england-and-wales', '2026-04-06', 'Easter Monday'),
  ('england-and-wales', '2026-05-04', 'Early May bank holiday'),
  ('england-and-wales', '2026-05-25', 'Spring bank holiday'),
  ('england-and-wales', '2026-08-31', 'Summer bank holiday'),
  ('england-and-wales', '2026-12-25', 'Christmas Day'),
  ('england-and-wales', '2026-12-28', 'Boxing Day (substitute day)'),
  ('england-and-wales', '2027-01-01', 'New Year''s Day'),
  ('england-and-wales', '2027-03-26', 'Good Friday'),
  ('england-and-wales', '2027-03-29', 'Easter Monday'),
  ('england-and-wales', '2027-05-03', 'Early May bank holiday'),
  ('england-and-wales', '2027-05-31', 'Spring bank holiday'),
  ('england-and-wales', '2027-08-30', 'Summer bank holiday'),
  ('england-and-wales', '2027-12-27', 'Christmas Day (substitute day)'),
  ('england-and-wales', '2027-12-28', 'Boxing Day (substitute day)')
on conflict do nothing;

-- Data-sharing agreements (read model of tenancy.data-sharing-changed), owned by the sharing
-- council: row-level security keeps each council's agreements to itself.
create table if not exists tenancy.data_sharing (
  tenant_id                text not null,
  other_council            text not null,
  share_customer_identity  boolean not null,
  changed_at               timestamptz not null,
  position                 bigint not null,
  primary key (tenant_id, other_council)
);
select es.enable_tenant_isolation('tenancy.data_sharing');

-- Local users (local mode and tests only; production users come from the OpenID Connect provider).
create table if not exists tenancy.users (
  username         text primary key,
  password_hash    text not null,
  roles            text[] not null,
  councils         text[] not null,
  team             text,
  failed_attempts  int not null default 0,
  locked_until     timestamptz
);

-- The key local tokens are signed with: made once, shared by every host on this database.
create table if not exists tenancy.signing_keys (
  id          text primary key,
  key         bytea not null,
  created_at  timestamptz not null default now()
);
