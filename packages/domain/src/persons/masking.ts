/**
 * Masking rules for personal data shown to staff who have not asked (with a reason) for the
 * full record: enough to recognise a person at the counter, not enough to copy their identity.
 */
export function maskIdNumber(value: string): string {
  if (value.length <= 7) return '*'.repeat(value.length);
  return value.slice(0, 3) + '*'.repeat(value.length - 7) + value.slice(-4);
}

export function maskPhone(value: string): string {
  if (value.length < 7) return '*'.repeat(value.length);
  return value.slice(0, 3) + '*'.repeat(value.length - 7) + value.slice(-4);
}

/** 张三 → 张*, 阿依古丽·买买提 → 阿*******, SMITH JOHN → S********* */
export function maskName(value: string): string {
  const chars = [...value];
  return chars[0] + '*'.repeat(Math.max(chars.length - 1, 1));
}

/** Keeps the first six characters (province and city), hides the rest. */
export function maskAddress(value: string): string {
  const chars = [...value];
  return chars.slice(0, 6).join('') + (chars.length > 6 ? '****' : '');
}

/** 1990-05-17 → 1990-**-** */
export function maskDate(value: string): string {
  return `${value.slice(0, 4)}-**-**`;
}
