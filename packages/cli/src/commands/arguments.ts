/** Argument parsers shared by the commands. */
import { InvalidArgumentError } from 'commander';

export function positiveInt(raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('a positive whole number');
  return n;
}
