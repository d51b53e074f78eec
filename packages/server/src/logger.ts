/**
 * Structured logs (pino). Requests are logged as one line each with the route pattern, never the
 * raw URL, query or body, so identity numbers, phones, PINs and passwords cannot reach the log.
 * Authorization headers and any field named like a secret are redacted as a second line of defence.
 */
import pino, { type DestinationStream, type Logger } from 'pino';

export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  '*.password',
  '*.pin',
  '*.idNumber',
  '*.phone',
  '*.token',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'sscard' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
