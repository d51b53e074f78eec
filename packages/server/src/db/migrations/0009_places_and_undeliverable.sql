-- 0009 where acts are done and what becomes of undeliverable cards (issue 10):
-- card service windows (社保卡综合服务窗口, SG-6; 市县一卡通机构, HN-7) as an organisation kind;
-- why a card made but not handed over cannot be delivered (ZS-17(二), HN-12, FZ-27);
-- the bank account closed after a death cancellation (HN-27: within 180 days, then destroyed);
-- the applicant told of a late card (FZ-23).

alter table organizations drop constraint organizations_kind_check;
alter table organizations add constraint organizations_kind_check
  check (kind in ('centre', 'bank', 'branch', 'community_outlet', 'service_window', 'vendor', 'unit'));

alter table cards add column undeliverable_reason text
  check (undeliverable_reason in ('death', 'emigration', 'job_transfer', 'production_failure'));
alter table cards add column bank_account_closed_at timestamptz;

alter table applications add column delay_notice_at timestamptz;
