/** The command tree of `sscard`, separate from process start-up so tests can run commands. */
import { Command } from 'commander';
import { registerAuditCommands } from './commands/audit.js';
import { registerBackupCommands } from './commands/backup.js';
import { registerCitusPlanCommand } from './commands/citus-plan.js';
import { registerCardCommands } from './commands/card.js';
import { registerDatabaseCommands } from './commands/database.js';
import { registerDenyListCommands } from './commands/deny-list.js';
import { registerEcardCommands } from './commands/ecard.js';
import { registerTransferCommands } from './commands/transfer.js';
import { registerTerminalCommands } from './commands/terminal.js';
import { registerJobsCommands } from './commands/jobs.js';
import { registerKeysCommands } from './commands/keys.js';
import { registerPolicyCommands } from './commands/policy.js';
import { registerScenarioCommands } from './commands/scenario.js';
import { registerStaffCommands } from './commands/staff.js';

export function buildProgram(): Command {
  const program = new Command()
    .name('sscard')
    .description('sscard social security card platform: operator commands')
    .showHelpAfterError()
    .exitOverride();
  registerDatabaseCommands(program);
  registerAuditCommands(program);
  registerBackupCommands(program);
  registerCitusPlanCommand(program);
  registerPolicyCommands(program);
  registerKeysCommands(program);
  registerJobsCommands(program);
  registerScenarioCommands(program);
  registerStaffCommands(program);
  registerCardCommands(program);
  registerDenyListCommands(program);
  registerTerminalCommands(program);
  registerEcardCommands(program);
  registerTransferCommands(program);
  return program;
}
