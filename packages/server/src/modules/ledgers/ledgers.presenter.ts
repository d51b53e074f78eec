/**
 * What a ledger looks like in an answer and in a file: the columns FZ-27 lists, in its order,
 * with Chinese headers as the regulation words them. Names, SSNs and bank accounts are shown in
 * full only to roles that may read a full record (`person.read_full`); others see them masked.
 */
import { Type } from '@sinclair/typebox';
import {
  LEDGER_FIELD_LABELS,
  formatShanghai,
  maskIdNumber,
  maskName,
  shanghaiDate,
  type LedgerField,
} from '@sscard/domain';
import type { Cell, SheetSpec } from '../../files/xlsx-write.js';
import type {
  DestructionRow,
  FilingRow,
  InventoryMovement,
  InventorySummaryRow,
  LedgerCard,
} from './ledgers.repository.js';

/** `2026-11-30 09:05` in Shanghai. */
export function minuteOf(d: Date | null): string | null {
  return d ? formatShanghai(d).slice(0, 16).replace('T', ' ') : null;
}

function maskAccount(v: string): string {
  return v.length <= 4 ? '*'.repeat(v.length) : '*'.repeat(v.length - 4) + v.slice(-4);
}

/** One ledger row's cells, in the order of `fields`. */
export function ledgerCells(
  card: LedgerCard,
  fields: readonly LedgerField[],
  full: boolean,
): Cell[] {
  return fields.map((f) => {
    switch (f) {
      case 'outlet':
        return card.outlet;
      case 'name':
        return full ? card.name : maskName(card.name);
      case 'ssn':
        return full ? card.ssn : maskIdNumber(card.ssn);
      case 'card_number':
        return card.cardNo;
      case 'bank_account_number':
        return card.bankAccount === null
          ? null
          : full
            ? card.bankAccount
            : maskAccount(card.bankAccount);
      case 'produced_at':
        return minuteOf(card.producedAt);
      case 'planned_handover_at':
        return card.dueAt ? shanghaiDate(card.dueAt) : null;
      case 'stocked':
        return card.stockedAt ? '是' : '否';
      case 'stocked_at':
        return minuteOf(card.stockedAt);
    }
  });
}

export interface Ledger {
  kind: 'branch_daily' | 'bank_monthly';
  organizationId: string;
  organizationName: string;
  period: string;
  fields: readonly LedgerField[];
  cards: LedgerCard[];
  dueOn: string | null;
  rule: string;
  full: boolean;
}

export const LedgerView = Type.Object(
  {
    kind: Type.String({ description: 'branch_daily (每日台账) or bank_monthly (每月台账)' }),
    organizationId: Type.String(),
    organizationName: Type.String(),
    period: Type.String({ description: 'YYYY-MM-DD (daily) or YYYY-MM (monthly)' }),
    rule: Type.String({ description: 'The article listing the fields (FZ-27)' }),
    dueOn: Type.Union([Type.String(), Type.Null()], {
      description: 'The monthly ledger’s due day: the working day before month end',
    }),
    masked: Type.Boolean({ description: 'Names, SSNs and accounts masked for this role' }),
    columns: Type.Array(Type.Object({ key: Type.String(), zh: Type.String(), en: Type.String() })),
    rows: Type.Array(Type.Array(Type.Union([Type.String(), Type.Number(), Type.Null()]))),
  },
  { $id: 'Ledger' },
);

export function presentLedger(l: Ledger) {
  return {
    kind: l.kind,
    organizationId: l.organizationId,
    organizationName: l.organizationName,
    period: l.period,
    rule: l.rule,
    dueOn: l.dueOn,
    masked: !l.full,
    columns: l.fields.map((f) => ({ key: f, ...LEDGER_FIELD_LABELS[f] })),
    rows: l.cards.map((c) => ledgerCells(c, l.fields, l.full)),
  };
}

/** The ledger as one sheet: text columns for numbers Excel would otherwise round (SSN, card, account). */
export function ledgerSheet(l: Ledger): SheetSpec {
  const text: LedgerField[] = ['ssn', 'card_number', 'bank_account_number'];
  return {
    name: l.kind === 'branch_daily' ? `每日台账 ${l.period}` : `每月台账 ${l.period}`,
    columns: l.fields.map((f) => ({
      header: LEDGER_FIELD_LABELS[f].zh,
      width: f === 'outlet' ? 28 : 20,
      ...(text.includes(f) ? { text: true } : {}),
    })),
    rows: l.cards.map((c) => ledgerCells(c, l.fields, l.full)),
  };
}

export interface Inventory {
  scopeName: string;
  from: string;
  to: string;
  summary: InventorySummaryRow[];
  movements: InventoryMovement[];
  rule: string | null;
}

export const InventoryView = Type.Object(
  {
    scopeName: Type.String(),
    from: Type.String(),
    to: Type.String(),
    rule: Type.Union([Type.String(), Type.Null()], {
      description: 'ZS-17 where the pack keeps an inventory ledger of unissued cards',
    }),
    summary: Type.Array(
      Type.Object({
        branchId: Type.String(),
        branchName: Type.String(),
        opening: Type.Integer(),
        in: Type.Integer(),
        out: Type.Integer(),
        closing: Type.Integer(),
      }),
    ),
    movements: Type.Array(
      Type.Object({
        at: Type.String(),
        cardNo: Type.String(),
        branchName: Type.String(),
        direction: Type.String({ description: 'in | out' }),
        reason: Type.String({ description: 'stocked | issued | destroyed' }),
      }),
    ),
  },
  { $id: 'InventoryLedger' },
);

export function presentInventory(i: Inventory) {
  return {
    scopeName: i.scopeName,
    from: i.from,
    to: i.to,
    rule: i.rule,
    summary: i.summary,
    movements: i.movements.map((m) => ({
      at: minuteOf(m.at)!,
      cardNo: m.cardNo,
      branchName: m.branchName,
      direction: m.direction,
      reason: m.reason,
    })),
  };
}

const DIRECTION = { in: '入库', out: '出库' } as const;
const REASON = { stocked: '入库', issued: '发放', destroyed: '销毁' } as const;

export const INVENTORY_SUMMARY_HEADERS = ['网点名称', '期初库存', '入库', '出库', '期末库存'];
export const INVENTORY_MOVEMENT_HEADERS = ['时间', '网点名称', '社保卡号', '出入库', '原因'];

export function inventorySummaryCells(i: Inventory): Cell[][] {
  return i.summary.map((s) => [s.branchName, s.opening, s.in, s.out, s.closing]);
}
export function inventoryMovementCells(i: Inventory): Cell[][] {
  return i.movements.map((m) => [
    minuteOf(m.at),
    m.branchName,
    m.cardNo,
    DIRECTION[m.direction],
    REASON[m.reason],
  ]);
}

export function inventorySheets(i: Inventory): SheetSpec[] {
  return [
    {
      name: '库存汇总',
      columns: INVENTORY_SUMMARY_HEADERS.map((h, n) => ({ header: h, width: n === 0 ? 28 : 12 })),
      rows: inventorySummaryCells(i),
    },
    {
      name: '出入库明细',
      columns: INVENTORY_MOVEMENT_HEADERS.map((h, n) => ({
        header: h,
        width: n === 1 ? 28 : 20,
        ...(n === 2 ? { text: true } : {}),
      })),
      rows: inventoryMovementCells(i),
    },
  ];
}

export const FilingView = Type.Object(
  {
    id: Type.String(),
    kind: Type.String(),
    organizationId: Type.String(),
    organizationName: Type.String(),
    period: Type.String(),
    dueOn: Type.Union([Type.String(), Type.Null()]),
    late: Type.Boolean(),
    rowCount: Type.Integer(),
    sha256: Type.String({ description: 'SHA-256 of the ledger’s CSV as filed' }),
    filedBy: Type.String({ description: 'The account that filed it' }),
    filedAt: Type.String(),
  },
  { $id: 'LedgerFiling' },
);

export function presentFiling(f: FilingRow) {
  return {
    id: f.id,
    kind: f.kind,
    organizationId: f.organization_id,
    organizationName: f.organization_name,
    period: f.period,
    dueOn: f.due_on,
    late: f.late,
    rowCount: f.row_count,
    sha256: f.sha256,
    filedBy: f.filed_by_name,
    filedAt: formatShanghai(f.filed_at),
  };
}

export const DestructionView = Type.Object(
  {
    id: Type.String(),
    organizationId: Type.String(),
    organizationName: Type.String(),
    category: Type.String({ description: 'recalled | returned | waste' }),
    batch: Type.Union([Type.String(), Type.Null()]),
    witness: Type.String(),
    destroyedAt: Type.String(),
    recordedBy: Type.String(),
    recordedAt: Type.String(),
    note: Type.Union([Type.String(), Type.Null()]),
    cards: Type.Array(
      Type.Object({
        cardNo: Type.String(),
        known: Type.Boolean({
          description: 'A card of this platform (else a waste card by number)',
        }),
      }),
    ),
  },
  { $id: 'DestructionRecord' },
);

export function presentDestruction(d: DestructionRow) {
  return {
    id: d.id,
    organizationId: d.organization_id,
    organizationName: d.organization_name,
    category: d.category,
    batch: d.batch,
    witness: d.witness,
    destroyedAt: formatShanghai(d.destroyed_at),
    recordedBy: d.recorded_by_name,
    recordedAt: formatShanghai(d.recorded_at),
    note: d.note,
    cards: d.cards.map((c) => ({ cardNo: c.card_no, known: c.known })),
  };
}

const CATEGORY = { recalled: '收回的注销卡', returned: '交回的旧卡', waste: '废卡' } as const;
export const DESTRUCTION_HEADERS = [
  '销毁时间',
  '销毁机构',
  '类别',
  '批次',
  '社保卡号',
  '登记人',
  '监销人',
  '备注',
];

/** The register, a line per card. */
export function destructionCells(rows: DestructionRow[]): Cell[][] {
  return rows.flatMap((d) =>
    d.cards.map((c) => [
      minuteOf(d.destroyed_at),
      d.organization_name,
      CATEGORY[d.category],
      d.batch,
      c.card_no,
      d.recorded_by_name,
      d.witness,
      d.note,
    ]),
  );
}
