-- The council's Local Land and Property Gazetteer (BS 7666 DTF 7.3), loaded by the gazetteer
-- importer. Every key leads with the council; row-level security keeps councils apart.
create schema if not exists customer;
create extension if not exists pg_trgm;
create extension if not exists btree_gin;

-- Record 11: a street, by its USRN.
create table if not exists customer.streets (
  tenant_id         text     not null,
  usrn              bigint   not null,
  record_type       smallint,
  naming_authority  text,
  state             smallint,
  state_date        date,
  classification    smallint,
  start_date        date,
  end_date          date,
  last_update_date  date,
  primary key (tenant_id, usrn)
);
select es.enable_tenant_isolation('customer.streets');

-- Record 15: how a street reads (one per language).
create table if not exists customer.street_descriptors (
  tenant_id            text not null,
  usrn                 bigint not null,
  language             text not null,
  description          text not null,
  locality             text,
  town                 text,
  administrative_area  text,
  primary key (tenant_id, usrn, language)
);
select es.enable_tenant_isolation('customer.street_descriptors');

-- Record 21: the BLPU, the property itself, by its UPRN.
create table if not exists customer.properties (
  tenant_id             text     not null,
  uprn                  bigint   not null,
  logical_status        smallint not null,
  blpu_state            smallint,
  state_date            date,
  blpu_class            text,
  parent_uprn           bigint,
  easting               numeric(10, 2),
  northing              numeric(10, 2),
  rpc                   smallint,
  local_custodian_code  integer,
  start_date            date,
  end_date              date,
  last_update_date      date,
  organisation          text,
  ward_code             text,
  parish_code           text,
  primary key (tenant_id, uprn)
);
select es.enable_tenant_isolation('customer.properties');

-- Record 24: an LPI, one address of a property (approved, alternative, provisional, historical).
-- lines and search are rendered by the importer (AddressRenderer) from the LPI and its street.
create table if not exists customer.addresses (
  tenant_id          text     not null,
  lpi_key            text     not null,
  uprn               bigint   not null,
  usrn               bigint   not null,
  language           text,
  logical_status     smallint not null,
  start_date         date,
  end_date           date,
  last_update_date   date,
  sao_start_number   integer,
  sao_start_suffix   text,
  sao_end_number     integer,
  sao_end_suffix     text,
  sao_text           text,
  pao_start_number   integer,
  pao_start_suffix   text,
  pao_end_number     integer,
  pao_end_suffix     text,
  pao_text           text,
  level              text,
  postal_address     text,
  postcode           text,
  post_town          text,
  official_flag      text,
  lines              text[]   not null,
  search             text     not null,
  postcode_key       text generated always as (upper(replace(coalesce(postcode, ''), ' ', ''))) stored,
  primary key (tenant_id, lpi_key),
  foreign key (tenant_id, uprn) references customer.properties (tenant_id, uprn) on delete cascade
);
select es.enable_tenant_isolation('customer.addresses');
create index if not exists addresses_uprn on customer.addresses (tenant_id, uprn);
create index if not exists addresses_usrn on customer.addresses (tenant_id, usrn);
create index if not exists addresses_postcode on customer.addresses (tenant_id, postcode_key text_pattern_ops);
create index if not exists addresses_search on customer.addresses using gin (tenant_id, search gin_trgm_ops);
