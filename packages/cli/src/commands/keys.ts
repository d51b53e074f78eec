/**
 * `sscard keys status|rotate`: the data keys of personal data at rest (docs/SECURITY.md, "Keys
 * and rotation"). Prints key ids, check values and counts; never a key or a sealed value.
 */
import { CommanderError, type Command } from 'commander';
import {
  DEFAULT_BATCH_SIZE,
  KeyConfigurationError,
  KeysService,
  configuredKeyIds,
  keyStatus,
  systemContext,
  type KeyStatus,
  type Platform,
} from '@sscard/server';
import { positiveInt } from './arguments.js';
import { openCliPlatform, withDatabase, withPlatform } from './open.js';

export function printStatus(status: KeyStatus): void {
  const active = status.activeKeyId;
  console.log(
    active
      ? `data keys: active ${active}; configured ${status.configured.join(', ')}`
      : 'data keys: none configured (SSCARD_MASTER_KEY is not set and there is no key file)',
  );
  for (const k of status.dataKeys) {
    const state = k.retiredAt
      ? `retired ${k.retiredAt.toISOString()}`
      : k.keyId === active
        ? 'active'
        : 'in use';
    const configured = status.configured.includes(k.keyId) ? '' : ', not configured';
    console.log(`  ${k.keyId}  added ${k.addedAt.toISOString()}  ${state}${configured}`);
  }
  console.log(
    status.indexKey
      ? `blind-index key ${status.indexKey.checkValue}, sealed under ${status.indexKey.sealedUnder ?? '?'}`
      : 'blind-index key: not created yet (the platform creates it at its first start)',
  );

  const kids = new Set<string>(active ? [active] : []);
  for (const c of status.columns) for (const kid of Object.keys(c.counts)) kids.add(kid);
  const header = [...kids].map((k) =>
    k === active ? `${k}*` : status.configured.includes(k) ? k : `${k}!`,
  );
  const width = Math.max(...status.columns.map((c) => c.table.length + c.column.length + 1), 6);
  console.log('');
  console.log(['column'.padEnd(width), ...header.map((h) => h.padStart(12))].join(' '));
  for (const c of status.columns) {
    const cells = [...kids].map((k) => String(c.counts[k] ?? 0).padStart(12));
    console.log([`${c.table}.${c.column}`.padEnd(width), ...cells].join(' '));
  }
  console.log(`(* active key, ! not configured)`);
  console.log('');
  for (const u of status.unregistered) {
    console.log(
      `! ${u} looks sealed but is not in the sealed-column registry (server/src/modules/keys/sealed-columns.ts): it is neither counted nor rotated`,
    );
  }
  console.log(
    status.pending
      ? `${status.pending} values are sealed under another key than the active one: run \`sscard keys rotate\``
      : `every sealed value is under the active key${active ? ` ${active}` : ''}`,
  );
}

/** The platform, or exit code 1 naming the key that does not fit. */
async function openForKeys(): Promise<Platform> {
  try {
    return await openCliPlatform();
  } catch (e) {
    if (!(e instanceof KeyConfigurationError)) throw e;
    console.log(`✗ ${e.message}`);
    throw new CommanderError(1, 'sscard.keys.configuration', 'the configured keys do not fit');
  }
}

export function registerKeysCommands(program: Command): void {
  const keys = program
    .command('keys')
    .description('data keys of personal data at rest: status and rotation');

  keys
    .command('status')
    .description(
      'count the sealed values per data key in every sealed column (works even when start-up refuses the configured keys)',
    )
    .action(() =>
      withDatabase(async (handle, config) =>
        printStatus(await keyStatus(handle.db, configuredKeyIds(config))),
      ),
    );

  keys
    .command('rotate')
    .description(
      're-seal under the active key (the first in SSCARD_MASTER_KEY) every value sealed under another; resumable, safe while the API runs on PostgreSQL',
    )
    .option('--batch-size <rows>', 'rows per transaction', positiveInt, DEFAULT_BATCH_SIZE)
    .option(
      '--max-batches <n>',
      'stop after this many batches (run again to carry on)',
      positiveInt,
    )
    .action(async (options: { batchSize: number; maxBatches?: number }) => {
      await withPlatform(async (platform) => {
        const service = new KeysService(platform.deps);
        console.log(`re-sealing under data key ${platform.deps.keyring.activeKeyId}`);
        const report = await service.rotate(systemContext('keys'), {
          batchSize: options.batchSize,
          ...(options.maxBatches ? { maxBatches: options.maxBatches } : {}),
          onBatch: (p) =>
            console.log(
              `  ${p.table} batch ${p.batch}: ${p.rows} rows, ${p.resealed} values re-sealed` +
                (p.changed ? `, ${p.changed} values changed meanwhile (left as they are)` : '') +
                (p.unreadable ? `, ${p.unreadable} values would not open` : ''),
            ),
        });
        if (!report.complete) {
          console.log(
            `stopped after ${report.batches} batches (${report.resealed} values re-sealed): run \`sscard keys rotate\` again to carry on`,
          );
        } else {
          console.log(
            `done: ${report.resealed} values re-sealed in ${report.batches} batches; ${report.remaining} left under other keys`,
          );
        }
        for (const kid of report.retired)
          console.log(
            `retired data key ${kid}: no value is sealed under it; it can be removed from SSCARD_MASTER_KEY`,
          );
        for (const u of report.unregistered)
          console.log(
            `! ${u} looks sealed but is not in the sealed-column registry: no key was retired`,
          );
        if (report.unreadable.length) {
          console.log(`✗ ${report.unreadable.length} values would not open:`);
          for (const ref of report.unreadable) console.log(`  ${ref}`);
        }
        if (report.unreadable.length || report.unregistered.length)
          throw new CommanderError(1, 'sscard.keys.incomplete', 'some values were not re-sealed');
      }, openForKeys);
    });
}
