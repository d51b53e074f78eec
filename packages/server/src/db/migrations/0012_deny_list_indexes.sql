-- 0012 what an incremental build of the offline deny-list looks at (docs/DENY-LIST.md): cards
-- changed since the last build, temporary losses whose term runs out, validities that end, and
-- holders who died. Without these a build scans every card (0.7 s at 1,000,000 cards).
create index cards_updated_at_idx on cards (updated_at);
create index cards_temporary_loss_idx on cards (loss_until) where loss_kind = 'temporary';
create index cards_expires_on_idx on cards (expires_on) where expires_on is not null;
create index persons_died_updated_idx on persons (updated_at) where died_on is not null;
