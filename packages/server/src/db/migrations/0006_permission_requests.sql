-- 0006 FZ-37 staff permissions: each account may hold a subset of its role's acts, and grants,
-- changes and locks go branch → bank → filed with the centre, within 3 working days.

alter table staff add column permissions jsonb;

create table permission_requests (
  id uuid primary key,
  kind text not null check (kind in ('grant', 'change', 'lock')),
  -- the branch (or outlet) that asks, and the account concerned (null for a new account)
  organization_id uuid not null references organizations (id),
  staff_id uuid references staff (id),
  account jsonb,
  permissions jsonb,
  reason text not null,
  status text not null check (status in ('requested', 'approved', 'rejected', 'withdrawn')),
  requested_by uuid not null references staff (id),
  requested_at timestamptz not null,
  due_at timestamptz not null,
  decided_by uuid references staff (id),
  decided_at timestamptz,
  decision_reason text,
  -- FZ-37 (二): 同时向市信息数据中心进行备案 — the centre sees it in its register from then on
  filed_at timestamptz,
  created_staff_id uuid references staff (id)
);
create index permission_requests_org_idx on permission_requests (organization_id, status);
