/**
 * `sscard policy show|diff|validate`: read the rule packs as the server loads them. A sixth city
 * is a pack file; `validate` checks one before it is dropped into SSCARD_PACKS_DIR.
 */
import { readFileSync } from 'node:fs';
import { CommanderError, type Command } from 'commander';
import {
  comparePacks,
  policyParameters,
  renderPolicyDiff,
  shanghaiDate,
  checkPackText,
  formatValue,
} from '@sscard/domain';
import { describePackError, loadRegistry } from '@sscard/server';

function registry() {
  return loadRegistry(process.env.SSCARD_PACKS_DIR || undefined);
}

export function registerPolicyCommands(program: Command): void {
  const policy = program.command('policy').description('rule packs: show, compare, validate');

  policy
    .command('show')
    .argument('<code>', 'jurisdiction: short code (SH) or division code (310000)')
    .option('--at <date>', 'the version in force on this day (YYYY-MM-DD)')
    .description('every parameter of the pack in force, with its article or "default"')
    .action((code: string, options: { at?: string }) => {
      const reg = registry();
      const { pack, status, warnings } = reg.resolve(code, options.at ?? shanghaiDate(new Date()));
      console.log(
        `${pack.code} ${pack.name.zh} (${pack.name.en}) · ${pack.divisionCode} · version ${pack.version} · ${status}`,
      );
      console.log(`${pack.regulation.title} ${pack.regulation.documentNumber}`);
      for (const w of warnings) console.log(`! ${w.message.zh}`);
      console.log('');
      for (const p of policyParameters(pack)) {
        const source = p.source.default ? 'default' : p.source.rule;
        console.log(`${p.path.padEnd(44)} ${formatValue(p.value).padEnd(40)} ${source}`);
      }
    });

  policy
    .command('diff')
    .argument('<codes...>', 'two or more jurisdictions, e.g. SH HN')
    .option('--all', 'show every parameter, not only those that differ')
    .option('--sources', 'show the article under each value')
    .description('a side-by-side table of the parameters that differ')
    .action((codes: string[], options: { all?: boolean; sources?: boolean }) => {
      if (codes.length < 2)
        throw new CommanderError(2, 'sscard.policy.diff', 'give at least two jurisdictions');
      const reg = registry();
      const today = shanghaiDate(new Date());
      const comparison = comparePacks(codes.map((c) => reg.packFor(c, today)));
      console.log(
        renderPolicyDiff(comparison, {
          all: options.all ?? false,
          sources: options.sources ?? false,
        }),
      );
    });

  policy
    .command('validate')
    .argument('<file>', 'a rule pack file (YAML)')
    .description('check a pack file; exit code 1 with the field at fault if it is invalid')
    .action((file: string) => {
      let result: ReturnType<typeof checkPackText>;
      try {
        result = checkPackText(readFileSync(file, 'utf8'));
      } catch (e) {
        console.log(`✗ ${describePackError(e)}`);
        throw new CommanderError(1, 'sscard.policy.invalid', 'the pack is invalid');
      }
      if (!result.ok) {
        for (const issue of result.issues) console.log(`✗ ${file}: ${issue.path}: ${issue.reason}`);
        throw new CommanderError(1, 'sscard.policy.invalid', 'the pack is invalid');
      }
      const { pack } = result;
      console.log(
        `✓ ${file}: ${pack.code} ${pack.name.zh} version ${pack.version}, in force from ${pack.effectiveFrom.value}`,
      );
      if (result.inherited.length)
        console.log(`  ${result.inherited.length} parameters inherited from the platform defaults`);
    });
}
