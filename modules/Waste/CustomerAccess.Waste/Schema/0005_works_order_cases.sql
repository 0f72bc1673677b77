-- A works order may be raised for a case (the report's caseId): its progress is then sent to the
-- Case module. Null for orders raised without one (and for every order raised before this).
alter table waste.works_orders add column if not exists case_id text;
