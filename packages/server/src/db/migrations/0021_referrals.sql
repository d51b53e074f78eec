-- 0021 referrals from the hotlines (issue 14 item 6; FZ-46, HN-38, SG-23): a complaint or an
-- enquiry taken by 12333 or 12345 is recorded by the centre, assigned to a bank or an outlet,
-- answered by its staff before a deadline in working days (the pack's service.referralAnswerWithin),
-- escalated by the daily job `referrals.escalate` when overdue, and the answer reported back.
-- The caller's name and phone are personal and sealed (caller_enc); the summary should carry none.
create table referrals (
  id uuid primary key,
  jurisdiction char(6) not null,
  hotline text not null check (hotline in ('12333', '12345')),
  ticket_no text not null,
  kind text not null check (kind in ('complaint', 'enquiry')),
  summary text not null,
  caller_enc text,
  status text not null check (status in ('recorded', 'assigned', 'answered', 'reported')),
  assigned_to uuid references organizations (id),
  assigned_bank_id uuid references organizations (id),
  assigned_at timestamptz,
  due_on date,
  answer text,
  answered_by uuid,
  answered_at timestamptz,
  answered_late boolean,
  report text,
  reported_at timestamptz,
  escalated_at timestamptz,
  escalations integer not null default 0,
  recorded_by uuid,
  recorded_at timestamptz not null,
  version integer not null default 1,
  updated_at timestamptz not null,
  unique (hotline, ticket_no)
);
create index referrals_assigned_idx on referrals (assigned_to, status);
create index referrals_open_due_idx on referrals (due_on) where status = 'assigned';
