/** Test set-ups for the audit trail's retention: a platform that prunes, and acts to fill it. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { systemContext } from '../context.js';
import { buildWorld } from './fixtures.js';
import { createTestPlatform, type TestPlatform } from './harness.js';

/**
 * A platform with the test world that prunes its trail (183 days, `SSCARD_AUDIT_PRUNE=1`) into
 * an archive folder of its own; `close` removes the folder as well.
 */
export async function pruningPlatform(): Promise<TestPlatform & { archiveDir: string }> {
  const archiveDir = mkdtempSync(path.join(tmpdir(), 'sscard-archive-'));
  const t = await createTestPlatform({
    SSCARD_AUDIT_RETENTION_DAYS: '183',
    SSCARD_AUDIT_PRUNE: '1',
    SSCARD_AUDIT_ARCHIVE_DIR: archiveDir,
  });
  await buildWorld(t);
  const closePlatform = t.close.bind(t);
  return Object.assign(t, {
    archiveDir,
    close: async () => {
      await closePlatform();
      rmSync(archiveDir, { recursive: true, force: true });
    },
  });
}

/** One audited act: a card vendor made by the system. */
export function auditedAct(t: TestPlatform, code: string) {
  return t.platform.services.organizations.create(
    { kind: 'vendor', code, name: `卡商 ${code}`, jurisdiction: 'SH' },
    systemContext('test'),
  );
}
