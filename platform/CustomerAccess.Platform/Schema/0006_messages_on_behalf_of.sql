-- Who a message was sent for: the actor of the write that queued it (or the person that write was
-- itself done for). The handler's events stay the system's, and carry this as on-behalf-of, so a
-- refund the system issues because an advisor cancelled a booking is counted to that advisor.
alter table platform.outbox add column if not exists sent_by text;
alter table platform.dead_letters add column if not exists sent_by text;
