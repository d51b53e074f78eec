/**
 * Where each act may be done (issue 10, item 1): for every pack, every act and application kind,
 * and every place, the act's domain decision goes through exactly where `places.<act>` says and is
 * refused everywhere else with PLACE_NOT_ALLOWED, citing that parameter's article.
 */
import { describe, expect, it } from 'vitest';
import { actAt } from '../rules/testing/acts.js';
import { outcome } from '../rules/testing/lifecycle-fixtures.js';
import { loadAllPacks } from '../rules/testing/test-support.js';
import { PLACE_ACTS, SERVICE_PLACES } from '../rules/vocabulary.js';
import { placeOf, placesFor } from './place.js';

const packs = loadAllPacks();

describe('every act checks its place', () => {
  for (const pack of packs) {
    for (const act of PLACE_ACTS) {
      it(`${pack.code} ${act}`, () => {
        const param = placesFor(pack, act);
        if (!actAt(pack, act, 'service_window')) return; // the pack does not provide the act
        for (const place of SERVICE_PLACES) {
          const e = outcome(actAt(pack, act, place)!);
          if (param.value.includes(place)) {
            expect(e, `${pack.code} ${act} at ${place}: ${e?.code}`).toBeNull();
          } else {
            expect(e?.code, `${pack.code} ${act} at ${place}`).toBe('PLACE_NOT_ALLOWED');
            expect(e?.citation?.rule).toBe(param.source.rule);
            expect(e?.params['actId']).toBe(param.act);
          }
        }
      });
    }
  }
});

describe('placeOf', () => {
  it('maps each counter to its kind of place', () => {
    expect(placeOf('counter', 'branch')).toBe('bank_outlet');
    expect(placeOf('counter', 'bank')).toBe('bank_outlet');
    expect(placeOf('counter', 'community_outlet')).toBe('community_outlet');
    expect(placeOf('counter', 'service_window')).toBe('service_window');
    expect(placeOf('counter', 'centre')).toBe('service_window');
    expect(placeOf('phone', 'branch')).toBe('phone');
    expect(placeOf('app', null)).toBe('app');
  });
});
