import { describe, expect, it } from 'vitest';
import { maskAddress, maskDate, maskIdNumber, maskName, maskPhone } from './masking.js';

describe('masking', () => {
  it('masks as the issue specifies', () => {
    expect(maskIdNumber('310101199001011234')).toBe('310***********1234');
    expect(maskPhone('13800138000')).toBe('138****8000');
    expect(maskName('张三')).toBe('张*');
    expect(maskName('阿依古丽·买买提')).toBe('阿*******');
    expect(maskAddress('上海市黄浦区人民大道200号')).toBe('上海市黄浦区****');
    expect(maskDate('1990-05-17')).toBe('1990-**-**');
  });
});
