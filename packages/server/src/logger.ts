/**
 * Structured logs (pino). Requests are logged as one line each with the route pattern, never the
 * raw URL, query or body, so identity numbers, phones, PINs and passwords cannot reach the log.
 * Authorization headers and any field named like a secret are redacted as a second line of defence.
 *
 * Format (docs/OPERATIONS.md, "Logs"): one JSON object a line in production (stdout is not a
 * terminal, or `SSCARD_LOG_FORMAT=json`), for the log collector; readable coloured lines
 * (pino-pretty) when stdout is a terminal, or with `SSCARD_LOG_FORMAT=pretty`. Redaction happens
 * before either format sees a line.
 */
import pino, { type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';

export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  '*.password',
  '*.pin',
  '*.idNumber',
  '*.phone',
  '*.token',
];

export type LogFormat = 'json' | 'pretty';

/** `SSCARD_LOG_FORMAT` (`json` | `pretty`); unset: pretty on a terminal, JSON otherwise. */
export function logFormat(
  env: NodeJS.ProcessEnv = process.env,
  isTTY: boolean = process.stdout.isTTY === true,
): LogFormat {
  const raw = env.SSCARD_LOG_FORMAT?.trim().toLowerCase();
  if (raw === 'json' || raw === 'pretty') return raw;
  if (raw)
    throw new Error(`SSCARD_LOG_FORMAT must be "json" or "pretty", got "${env.SSCARD_LOG_FORMAT}"`);
  return isTTY ? 'pretty' : 'json';
}

/**
 * The platform's logger. With a `destination` (tests) the lines are JSON into it; otherwise the
 * format is `logFormat()`'s, written to stdout.
 */
export function createLogger(
  level: string,
  destination?: DestinationStream,
  format: LogFormat = destination ? 'json' : logFormat(),
): Logger {
  const options = {
    level,
    base: { service: 'sscard' },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (format === 'pretty') {
    // Synchronous (no worker thread): the lines keep their order with the process's own output.
    const stream = pretty({
      destination: destination ?? 1,
      sync: true,
      colorize: destination ? false : process.stdout.isTTY === true,
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'pid,hostname,service',
      singleLine: true,
    });
    return pino(options, stream);
  }
  return pino(options, destination);
}
