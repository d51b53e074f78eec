/**
 * Log format (logger.ts, docs/OPERATIONS.md "Logs"): JSON unless stdout is a terminal or
 * SSCARD_LOG_FORMAT says otherwise; the readable format redacts secrets just as JSON does.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, logFormat } from '../logger.js';

function sink() {
  let text = '';
  const stream = new Writable({
    write(chunk, _enc, done) {
      text += String(chunk);
      done();
    },
  });
  return { stream, text: () => text };
}

describe('log format', () => {
  it('is JSON off a terminal, pretty on one, and SSCARD_LOG_FORMAT decides when set', () => {
    expect(logFormat({}, false)).toBe('json');
    expect(logFormat({}, true)).toBe('pretty');
    expect(logFormat({ SSCARD_LOG_FORMAT: 'json' }, true)).toBe('json');
    expect(logFormat({ SSCARD_LOG_FORMAT: 'pretty' }, false)).toBe('pretty');
    expect(() => logFormat({ SSCARD_LOG_FORMAT: 'xml' }, false)).toThrow(/SSCARD_LOG_FORMAT/);
  });

  it('JSON lines parse; readable lines do not, and both redact secrets', () => {
    const json = sink();
    createLogger('info', json.stream, 'json').info({ user: { password: 'hunter2' } }, 'hello');
    const line = JSON.parse(json.text().trim()) as { msg: string; user: { password: string } };
    expect(line.msg).toBe('hello');
    expect(line.user.password).toBe('[redacted]');

    const pretty = sink();
    createLogger('info', pretty.stream, 'pretty').info({ user: { password: 'hunter2' } }, 'hello');
    const text = pretty.text();
    expect(text).toMatch(/INFO.*hello/);
    expect(() => JSON.parse(text.trim())).toThrow();
    expect(text).not.toContain('hunter2');
    expect(text).toContain('[redacted]');
  });
});
