import { describe, expect, it } from 'vitest';
import { ageOn, birthDateFromId, formatDate, formatDateTime, formatFen } from './format';

describe('formats', () => {
  it('shows Shanghai instants as written, in Chinese by default', () => {
    expect(formatDateTime('2026-05-01T09:05:00.000+08:00')).toBe('2026年5月1日 09:05');
    expect(formatDate('2026-05-01')).toBe('2026年5月1日');
    expect(formatDate('1990-**-**')).toBe('1990-**-**');
    expect(formatDateTime(null)).toBe('—');
  });
  it('shows fen as yuan', () => {
    expect(formatFen(2000)).toBe('¥20.00');
    expect(formatFen(0)).toBe('¥0.00');
  });
  it('reads ages and birth dates', () => {
    expect(birthDateFromId('110105194912310021')).toBe('1949-12-31');
    expect(ageOn('2019-06-01', '2026-05-31')).toBe(6);
    expect(ageOn('2019-06-01', '2026-06-01')).toBe(7);
  });
});
