/** What a jurisdiction and its rule pack look like in an answer: every parameter with its source. */
import { policyParameters, type RulePack } from '@sscard/domain';
import type { Deps } from '../../deps.js';

export function presentJurisdiction(deps: Deps, code: string, on: string) {
  const { pack, status, warnings } = deps.rules.resolve(code, on);
  return {
    code: pack.divisionCode,
    shortCode: pack.code,
    name: pack.name,
    version: pack.version,
    status,
    effectiveFrom: pack.effectiveFrom.value,
    effectiveUntil: pack.effectiveUntil?.value ?? null,
    regulation: pack.regulation.title,
    warnings: warnings.map((w) => ({
      code: w.code,
      message: w.message,
      ...(w.citation ? { rule: w.citation.rule } : {}),
    })),
  };
}

export function presentParameters(pack: RulePack) {
  return policyParameters(pack).map((p) => ({
    path: p.path,
    value: p.value,
    rule: p.source.rule,
    default: p.source.default === true,
    ...(p.source.quote ? { quote: p.source.quote } : {}),
    ...(p.source.note ? { note: p.source.note } : {}),
  }));
}
