/**
 * `sscard staff create|activation`: the operator provisions accounts on the server. This is how
 * the accounts nobody may create through the API are made (separation of duties, GB/T
 * 22239-2019 8.1.4.2): auditors, and the first centre administrator of a jurisdiction. No
 * password is chosen here either: the command prints a one-time activation ticket (only its
 * SHA-256 is stored) for the operator to hand to the account's holder, who sets their own
 * password with it (`POST /api/v1/auth/activate`). `activation` issues a fresh ticket for an
 * account whose holder has not done so yet. Both are audited as done by `system:cli`.
 */
import { CommanderError, Option, type Command } from 'commander';
import { DomainError, ROLES, formatShanghai, renderError, type Role } from '@sscard/domain';
import { systemContext } from '@sscard/server';
import { withPlatform } from './open.js';

interface Created {
  staff: { username: string; role: string };
  activation: { ticket: string; expiresAt: Date } | null;
}

function printTicket(c: Created): void {
  if (!c.activation) return;
  console.log(
    `activation ticket (shown once, valid until ${formatShanghai(c.activation.expiresAt)}): ${c.activation.ticket}`,
  );
  console.log(
    `hand it to the holder of ${c.staff.username}, who sets their own password with it: ` +
      'POST /api/v1/auth/activate {"username", "ticket", "newPassword"}',
  );
}

/** A refusal as the operator reads it (English), exit code 1. */
async function refusalsAsExit1(fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    const m = renderError(e.code, e.params, 'en');
    console.log(`${e.code}: ${m.detail}`);
    throw new CommanderError(1, `sscard.staff.${e.code}`, m.title);
  }
}

export function registerStaffCommands(program: Command): void {
  const staff = program.command('staff').description('staff accounts the operator provisions');

  staff
    .command('create')
    .description(
      'create an account (any role, e.g. an auditor or the first centre administrator) and print its one-time activation ticket',
    )
    .requiredOption('--username <username>', 'e.g. sh.auditor2')
    .addOption(new Option('--role <role>', 'the role').choices(ROLES).makeOptionMandatory())
    .option('--org <id|code>', 'its organisation, by id or code (none: installation-level)')
    .requiredOption('--name <display name>', 'the name shown for the account')
    .action(async (opts: { username: string; role: Role; org?: string; name: string }) => {
      await withPlatform((platform) =>
        refusalsAsExit1(async () => {
          const created = await platform.services.staff.provision(
            {
              username: opts.username,
              displayName: opts.name,
              role: opts.role,
              organization: opts.org ?? null,
            },
            systemContext('cli'),
          );
          console.log(
            `created ${created.staff.username} (${created.staff.role}${opts.org ? `, ${opts.org}` : ''})`,
          );
          printTicket(created);
        }),
      );
    });

  staff
    .command('activation')
    .description('issue a fresh activation ticket for an account not yet activated')
    .argument('<username>')
    .action(async (username: string) => {
      await withPlatform((platform) =>
        refusalsAsExit1(async () => {
          printTicket(
            await platform.services.staff.issueActivation(username, systemContext('cli')),
          );
        }),
      );
    });
}
