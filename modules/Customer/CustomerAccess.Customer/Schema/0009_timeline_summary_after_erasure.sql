-- A summary that quotes personal data (a contact's reason) keeps beside it how it reads after an
-- erasure; the timeline projection swaps it in when the customer is erased.
alter table customer.timeline add column if not exists summary_after_erasure text;
