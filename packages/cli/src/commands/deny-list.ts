/**
 * `sscard deny-list build|key|verify`: the offline deny-list for gates (docs/DENY-LIST.md).
 *
 * - `build [--full]` builds the next version now on this database (the API nodes also build on
 *   read, and the daily job `denyList.build` rebuilds from every card); prints what changed and
 *   the size of each jurisdiction's list;
 * - `key` prints the public key a gate is provisioned with;
 * - `verify FILE --key BASE64` checks a saved list's signature offline, as a gate does: exit
 *   code 1 if it was altered or signed by another key.
 */
import { readFileSync } from 'node:fs';
import { CommanderError, type Command } from 'commander';
import { verifyDenyList, type SignedDenyList } from '@sscard/server';
import { withPlatform } from './open.js';

export function registerDenyListCommands(program: Command): void {
  const denyList = program
    .command('deny-list')
    .description('the offline deny-list for gates (docs/DENY-LIST.md)');

  denyList
    .command('build')
    .description('build the next version now (only the cards that may have changed, or --full)')
    .option('--full', 'look at every card ever handed over', false)
    .action(async (options: { full: boolean }) => {
      await withPlatform(async (platform) => {
        const service = platform.services.denyList;
        const r = await service.build({ full: options.full });
        console.log(
          `deny-list version ${r.version} (${r.full ? 'full' : 'incremental'} build): looked at ${r.looked} cards, ${r.changed} changed (${r.added} listed, ${r.removed} unlisted)`,
        );
        for (const c of await service.counts())
          console.log(`  ${c.jurisdiction}: ${c.listed} listed (${c.rows} rows)`);
      });
    });

  denyList
    .command('key')
    .description('the public key that signs the list (base64 raw and PEM) and its key id')
    .action(async () => {
      await withPlatform(async (platform) => {
        const key = platform.services.denyList.publicKey();
        console.log(`keyId ${key.keyId}`);
        console.log(`publicKey ${key.publicKey}`);
        console.log(key.publicKeyPem.trimEnd());
      });
    });

  denyList
    .command('verify')
    .description('check the signature of a saved list offline; exit code 1 if it does not verify')
    .argument('<file>', 'the list as answered by GET /api/v1/verify/deny-list (JSON)')
    .requiredOption('--key <base64>', 'the public key (raw 32 bytes, base64)')
    .action((file: string, options: { key: string }) => {
      let list: SignedDenyList;
      try {
        list = JSON.parse(readFileSync(file, 'utf8')) as SignedDenyList;
      } catch (e) {
        console.log(`cannot read ${file}: ${(e as Error).message}`);
        throw new CommanderError(1, 'sscard.denyList.unreadable', 'unreadable list');
      }
      if (!verifyDenyList(list, options.key)) {
        console.log(`BAD: ${file} is not signed by this key, or was altered`);
        throw new CommanderError(1, 'sscard.denyList.bad', 'the signature does not verify');
      }
      console.log(
        `OK: ${list.jurisdiction} version ${list.version} (${list.full ? 'full list' : `delta since ${list.since}`}), ${list.added.length} added, ${list.removed.length} removed, key ${list.keyId}, issued ${list.issuedAt}`,
      );
    });
}
