import { describe, expect, it } from 'vitest';
import { scanText } from './log-scan.js';

describe('the log scanner', () => {
  it('finds valid ID numbers and mobiles, not timestamps, UUIDs or card numbers', () => {
    expect(scanText('{"msg":"x","id":"11010519491231002X"}')).toEqual({ idNumbers: 1, mobiles: 0 });
    expect(scanText('phone 13800138000.')).toEqual({ idNumbers: 0, mobiles: 1 });
    expect(
      scanText(
        '{"time":1764100000000,"ms":13,"reqId":"01936f0e-1c2b-7d3e-8a4b-513800138000","cardNo":"31000000000001X"}',
      ),
    ).toEqual({ idNumbers: 0, mobiles: 0 });
    expect(scanText('110105194912310021')).toEqual({ idNumbers: 0, mobiles: 0 }); // wrong check character
  });
});
