-- 0007 What the card service does on its own (modules/cards/sweeps.ts): unclaimed cards
-- (ZS-17, SG-12, HN-12, FZ-27) are marked with the pack's action, and may end; the daily sweep
-- finds its candidates through the two partial indexes below, not by scanning every card.

alter table cards add column unclaimed_at timestamptz;
alter table cards add column unclaimed_action text
  check (unclaimed_action in ('cancel', 'return_to_management', 'recover_and_hold', 'cancel_and_destroy'));

create index cards_in_stock_idx on cards (stocked_at) where status = 'in_stock' and unclaimed_at is null;
create index persons_died_idx on persons (died_on) where died_on is not null;
