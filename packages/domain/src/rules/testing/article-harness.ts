/* Test support: runs one test per regulation article a pack encodes. Each test checks the
   encoded values and their citations (the case body), then that every quote citing the article
   appears verbatim inside that article's text. A last test fails if the pack cites an article
   that has no case, so a new citation cannot slip in untested. */
import { describe, expect, it } from 'vitest';
import type { RulePack } from '../schema.js';
import { citations, citedText, normalise } from './test-support.js';

export type ArticleCase = readonly [rule: string, title: string, check: (pack: RulePack) => void];

export function describeArticles(pack: RulePack, cases: readonly ArticleCase[]): void {
  describe(`${pack.code}: ${pack.regulation.title}`, () => {
    for (const [rule, title, check] of cases) {
      it(`${rule}: ${title}`, () => {
        check(pack);
        const cited = citations(pack).filter((c) => c.rule === rule);
        expect(cited.length, `${rule} is cited by the pack`).toBeGreaterThan(0);
        const text = citedText(pack, rule);
        for (const { path, quote } of cited) {
          expect(text.includes(normalise(quote)), `${path}: "${quote}" is in ${rule}`).toBe(true);
        }
      });
    }

    it('has a test for every article it cites', () => {
      const tested = new Set(cases.map(([rule]) => rule));
      const untested = [...new Set(citations(pack).map((c) => c.rule))].filter(
        (r) => !tested.has(r),
      );
      expect(untested).toEqual([]);
    });
  });
}
