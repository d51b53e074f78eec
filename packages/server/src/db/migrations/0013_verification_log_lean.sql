-- 0013 the verification log is written on the hot path (one row per check, in batches): every
-- index is paid for by every check. Nothing reads it by terminal or by batch yet, so only the
-- primary key (card_no, id), which the holder's access log reads, is kept.
drop index if exists verification_log_terminal_idx;
drop index if exists verification_log_batch_idx;
