/**
 * `sscard ecard keys list|rotate`: the Ed25519 keys that sign e-card QR codes (docs/ECARD.md).
 * In-process, as the platform: a rotation is an act (audited, `ecard.keys.rotate`); the new key
 * signs from then on, the old one verifies the codes it signed until they expire. Prints kids and
 * states, never a private key.
 */
import type { Command } from 'commander';
import { systemContext } from '@sscard/server';
import { withPlatform } from './open.js';

export function registerEcardCommands(program: Command): void {
  const ecard = program.command('ecard').description('the electronic card (电子社保卡)');
  const keys = ecard.command('keys').description('the keys that sign e-card QR codes');

  keys
    .command('list')
    .description(
      'every QR signing key: signing, verifying (retired, codes may be unexpired) or expired',
    )
    .action(() =>
      withPlatform(async (platform) => {
        const list = await platform.services.ecards.listKeys();
        if (!list.length) console.log('no QR signing key yet (the first code asked for makes one)');
        for (const k of list)
          console.log(
            `${k.kid}  ${k.state.padEnd(9)}  created ${k.createdAt.toISOString()}` +
              (k.retiredAt ? `  retired ${k.retiredAt.toISOString()}` : ''),
          );
      }),
    );

  keys
    .command('rotate')
    .description('a new key signs from now on; the old one verifies its codes until they expire')
    .action(() =>
      withPlatform(async (platform) => {
        const r = await platform.services.ecards.rotateKeys(systemContext('cli'));
        console.log(
          `signing key ${r.kid}` +
            (r.retired ? ` (retired ${r.retired}: verifies until its codes expire)` : ''),
        );
      }),
    );
}
