/**
 * Time-based one-time passwords (RFC 6238: HMAC-SHA-1, 6 digits, 30-second steps), as every
 * authenticator app speaks them. Time comes from the platform clock, so tests can move it. A code
 * is accepted one step either side of now (clock drift); that it is used only once is the
 * caller's business (`staff_otp_used`).
 */
import { generate, generateSecret, generateURI, verify } from 'otplib';

export const OTP_PERIOD_SECONDS = 30;
/** Accept the codes of the previous and the next step as well as the current one. */
const TOLERANCE_SECONDS = OTP_PERIOD_SECONDS;

export const OTP_PATTERN = '^[0-9]{6}$';

/** A new secret: 160 random bits, base32, as authenticator apps expect. */
export function newOtpSecret(): string {
  return generateSecret({ length: 20 });
}

/** The otpauth:// URI an authenticator app reads (usually from a QR code). */
export function otpauthUri(issuer: string, label: string, secret: string): string {
  return generateURI({ issuer, label, secret });
}

function epochOf(at: Date): number {
  return Math.floor(at.getTime() / 1000);
}

export function timeStepOf(at: Date): number {
  return Math.floor(epochOf(at) / OTP_PERIOD_SECONDS);
}

/** The time step a code belongs to if it is good at `at`, or null. Never throws on bad input. */
export async function verifyOtp(secret: string, code: string, at: Date): Promise<number | null> {
  if (!/^[0-9]{6}$/.test(code)) return null;
  try {
    const result = await verify({
      secret,
      token: code,
      epoch: epochOf(at),
      epochTolerance: TOLERANCE_SECONDS,
    });
    return result.valid && 'timeStep' in result ? result.timeStep : null;
  } catch {
    return null;
  }
}

/** The code for a given time step (tests and tools; the server only verifies). */
export function otpForStep(secret: string, step: number): Promise<string> {
  return generate({ secret, epoch: step * OTP_PERIOD_SECONDS });
}

/** Additional data binding a sealed secret to its row: a value copied elsewhere does not open. */
export const totpSecretAad = (staffId: string) => `staff.totp_secret:${staffId}`;
export const enrolmentSecretAad = (enrolmentId: string) => `otp_enrolments.secret:${enrolmentId}`;
export const staffPhoneAad = (staffId: string) => `staff.phone:${staffId}`;
