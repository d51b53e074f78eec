/**
 * Staff password rule (GB/T 22239-2019 level 3 asks for complexity and periodic change): at
 * least 10 characters and three of four character classes. Checked on creation and change.
 */
import { DomainError } from '../errors/domain-error.js';

export const PASSWORD_MIN_LENGTH = 10;

export function checkPasswordStrength(password: string): void {
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  if ([...password].length < PASSWORD_MIN_LENGTH || classes < 3 || password.length > 200) {
    throw new DomainError('PASSWORD_TOO_WEAK', { minLength: PASSWORD_MIN_LENGTH });
  }
}

export const USERNAME_PATTERN = '^[a-z][a-z0-9_.-]{2,31}$';
