import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify } from 'yaml';
import { DomainError } from '../errors/domain-error.js';
import { renderError } from '../errors/render.js';
import { PLATFORM_DEFAULTS } from './defaults.js';
import { checkPack, validatePack } from './validate.js';
import { checkPackText, parsePack } from './parse.js';
import { RulePackRegistry } from './registry.js';
import { RulePackSchema } from './schema.js';
import { policyParameters } from './walk.js';
import { packText } from './testing/test-support.js';
import { NINGBO_PACK as NINGBO } from '../testing/packs.js';

function thrown(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

function shPack(): Record<string, unknown> {
  return parseYaml(packText('sh.yaml')) as Record<string, unknown>;
}

describe('a broken pack names the field', () => {
  it('a wrong type: loss.temporary.termDays', () => {
    const text = packText('sh.yaml').replace('value: 5\n', "value: 'five'\n");
    const error = thrown(() => parsePack(text, 'sh.yaml'));
    expect(error.code).toBe('RULE_PACK_INVALID');
    expect(error.params['path']).toBe('loss.temporary.termDays.value');
    expect(error.params['reason']).toBe('expected one of integer | null, got string "five"');
    const message = renderError(error.code, error.params, 'en').detail;
    expect(message).toContain(
      'sh.yaml: loss.temporary.termDays.value: expected one of integer | null',
    );
    expect(renderError(error.code, error.params, 'zh-CN').detail).toContain(
      'loss.temporary.termDays',
    );
  });

  it('a misspelt key is not silently ignored', () => {
    const text = packText('sh.yaml').replace('    termDays:', '    termDay:');
    const result = checkPackText(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toContainEqual({
      path: 'loss.temporary.termDay',
      reason: 'unknown field (misspelt, or not part of the pack format)',
    });
  });

  it('a value without a source fails instead of borrowing the default’s', () => {
    const pack = shPack();
    (pack['card'] as Record<string, unknown>)['validityYears'] = { value: 5 };
    const error = thrown(() => validatePack(pack));
    expect(error.params['path']).toBe('card.validityYears.source');
    expect(error.params['reason']).toBe('required field is missing');
  });

  it('a word outside the vocabulary lists the allowed ones', () => {
    const text = packText('hn.yaml').replace('value: recover_and_hold', 'value: burn');
    const error = thrown(() => parsePack(text));
    expect(error.params['path']).toBe('unclaimed.action.value');
    expect(error.params['reason']).toContain('"recover_and_hold"');
  });

  it('a division code must be quoted text', () => {
    const text = packText('sh.yaml').replace("divisionCode: '310000'", 'divisionCode: 310000');
    const error = thrown(() => parsePack(text));
    expect(error.params['path']).toBe('divisionCode');
    expect(error.params['reason']).toBe('expected string, got number 310000');
  });

  it('citations name the pack’s own articles and quote them; defaults say why', () => {
    const pack = shPack();
    const loss = pack['loss'] as { temporary: { termDays: { source: Record<string, unknown> } } };
    loss.temporary.termDays.source = { rule: 'HN-17', quote: '15日' };
    const effective = pack['effectiveFrom'] as { source: Record<string, unknown> };
    effective.source = { rule: 'SH-32' };
    const card = pack['card'] as Record<string, unknown>;
    card['validityYears'] = { value: null, source: { rule: 'DEFAULT', default: true } };
    const result = checkPack(pack);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toEqual(
      expect.arrayContaining([
        { path: 'loss.temporary.termDays.source.rule', reason: 'must cite SH-…' },
        {
          path: 'effectiveFrom.source.quote',
          reason: 'a cited rule needs the exact words of the article',
        },
        { path: 'card.validityYears.source.note', reason: 'a default must say why (note)' },
      ]),
    );
  });

  it('sections must agree: a temporary card offered needs the temporary kind', () => {
    const text = packText('sg.yaml').replace(
      'value: [first, replacement, change, temporary]',
      'value: [first, replacement, change]',
    );
    const result = checkPackText(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((i) => i.path)).toEqual(
      expect.arrayContaining(['temporaryCard.offered.value', 'fees.temporary.value']),
    );
  });

  it('places: an offered kind names a place; the old channel keys are gone; places are closed words', () => {
    const noPlace = packText('sg.yaml').replace(
      'replacement:\n    value: [service_window]',
      'replacement:\n    value: []',
    );
    const empty = checkPackText(noPlace);
    expect(empty.ok).toBe(false);
    if (!empty.ok)
      expect(empty.issues).toContainEqual({
        path: 'places.replacement.value',
        reason: 'application.kinds offers replacement: name at least one place',
      });
    // The single service_outlet of the old format is no place any more (SG-6 vs SH-7 vs HN-7).
    const old = packText('sg.yaml').replace(
      'value: [service_window, self_service',
      'value: [service_outlet, self_service',
    );
    const word = thrown(() => parsePack(old));
    expect(word.params['path']).toBe('places.pinChange.value[0]');
    // The channel parameters now live in `places`: an old key is an unknown field.
    const pack = shPack();
    (pack['loss'] as Record<string, unknown>)['formal'] = {
      channels: { value: ['online'], source: { rule: 'SH-18', quote: 'x' } },
    };
    const result = checkPack(pack);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.map((i) => i.path)).toContain('loss.formal');
  });

  it('dates are real and in order', () => {
    const text = packText('sg.yaml').replace("value: '2023-01-31'", "value: '2017-02-30'");
    const result = checkPackText(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toContainEqual({
      path: 'effectiveUntil.value',
      reason: 'not a real date: 2017-02-30',
    });
  });

  it('YAML syntax errors and duplicate keys give the line', () => {
    const error = thrown(() => parsePack('code: SH\ncode: HN\n', 'x.yaml'));
    expect(error.code).toBe('RULE_PACK_SYNTAX');
    expect(error.params['line']).toBe(2);
    expect(renderError(error.code, error.params, 'en').detail).toMatch(
      /^x\.yaml, line 2, column 1: /,
    );
    expect(thrown(() => parsePack('a: [1, 2')).code).toBe('RULE_PACK_SYNTAX');
  });

  it('a document that is not a mapping', () => {
    expect(thrown(() => parsePack('- 1\n- 2\n')).params['path']).toBe('(root)');
  });

  it('any parameter given a value of the wrong shape is reported at its own path', () => {
    const sh = shPack();
    const paths = policyParameters(validatePack(sh)).map((p) => p.path);
    fc.assert(
      fc.property(fc.constantFrom(...paths), (path) => {
        const broken = structuredClone(sh);
        let node = broken as Record<string, unknown>;
        const keys = path.split('.');
        for (const key of keys.slice(0, -1)) {
          node[key] ??= {};
          node = node[key] as Record<string, unknown>;
        }
        node[keys[keys.length - 1] as string] = {
          value: { nonsense: true },
          source: { rule: 'DEFAULT', default: true, note: 'x' },
        };
        const result = checkPack(broken);
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.issues[0]?.path.startsWith(`${path}.value`)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });
});

describe('a sixth jurisdiction is one YAML file', () => {
  it('validates, inheriting the platform defaults for everything its text does not set', () => {
    const result = checkPackText(NINGBO);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { pack, inherited } = result;
    expect(pack.loss.temporary.termDays.value).toBe(7);
    expect(pack.fees.replacement.value).toEqual({ fen: 1500 });
    expect(pack.card.validityYears).toEqual(PLATFORM_DEFAULTS.card.validityYears);
    expect(pack.card.validityYears.source).toMatchObject({ rule: 'DEFAULT', default: true });
    expect(inherited).toContain('card.validityYears');
    expect(inherited).not.toContain('loss.temporary.termDays');
    expect(policyParameters(pack)).toHaveLength(
      policyParameters(parsePack(packText('sh.yaml'))).length,
    );
  });

  it('resolves through the registry by short code and by division code', () => {
    const registry = new RulePackRegistry([parsePack(NINGBO), parsePack(packText('zs.yaml'))]);
    expect(registry.packFor('NB', '2026-06-01').name.zh).toBe('宁波市');
    expect(registry.packFor('330200', '2026-06-01').code).toBe('NB');
    expect(registry.packFor('330203', '2026-06-01').code).toBe('NB'); // a district of Ningbo
    expect(registry.packFor('330900', '2026-06-01').code).toBe('ZS');
    expect(registry.resolve('nb', '2026-02-01').status).toBe('not_yet_in_force');
  });

  it('the platform defaults alone are a complete, valid body', () => {
    const minimal = parseYaml(NINGBO) as Record<string, unknown>;
    delete minimal['loss'];
    delete minimal['fees'];
    const pack = validatePack(minimal);
    for (const { source } of policyParameters(pack).slice(1)) {
      expect(source).toMatchObject({ rule: 'DEFAULT', default: true });
      expect(source.note?.length).toBeGreaterThan(10);
    }
  });
});

describe('the pack format', () => {
  it('publishes a JSON Schema', () => {
    const json = JSON.parse(JSON.stringify(RulePackSchema)) as {
      properties: Record<string, unknown>;
    };
    expect(Object.keys(json.properties)).toEqual(expect.arrayContaining(['code', 'loss', 'fees']));
  });

  it('round-trips through YAML', () => {
    const pack = parsePack(packText('hn.yaml'));
    expect(parsePack(stringify(pack))).toEqual(pack);
  });
});
