-- A contact's reason is personal data (typed freely by advisors): erasure clears it here as it
-- makes it unreadable in the event.
alter table customer.contacts alter column reason drop not null;
