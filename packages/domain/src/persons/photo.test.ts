import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors/domain-error.js';
import { DEFAULT_PHOTO_LIMITS, inspectPhoto } from './photo.js';
import { fakeJpeg } from '../testing/images.js';

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof DomainError ? e.code : 'not a DomainError';
  }
  return undefined;
}

describe('photo checks', () => {
  it('reads JPEG and PNG dimensions from their headers', () => {
    expect(inspectPhoto(fakeJpeg(358, 441))).toEqual({
      contentType: 'image/jpeg',
      width: 358,
      height: 441,
    });
    const png = Buffer.alloc(33);
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(png);
    png.writeUInt32BE(13, 8);
    png.write('IHDR', 12, 'latin1');
    png.writeUInt32BE(358, 16);
    png.writeUInt32BE(441, 20);
    expect(inspectPhoto(png)).toEqual({ contentType: 'image/png', width: 358, height: 441 });
  });

  it('judges type by content, not by name, and bounds size and pixels', () => {
    expect(code(() => inspectPhoto(Buffer.from('GIF89a...........')))).toBe('PHOTO_TYPE');
    expect(code(() => inspectPhoto(fakeJpeg(358, 441, 200 * 1024)))).toBe('PHOTO_SIZE');
    expect(code(() => inspectPhoto(fakeJpeg(60000, 60000)))).toBe('PHOTO_DIMENSIONS');
    expect(code(() => inspectPhoto(Buffer.from([0xff, 0xd8, 0xff, 0x00, 0x01])))).toBe(
      'PHOTO_CORRUPT',
    );
  });

  it('bounds the decoded size: width × height × channels × bytes per sample', () => {
    const png = (width: number, height: number, bitDepth: number, colourType: number) => {
      const b = Buffer.alloc(33);
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(b);
      b.writeUInt32BE(13, 8);
      b.write('IHDR', 12, 'latin1');
      b.writeUInt32BE(width, 16);
      b.writeUInt32BE(height, 20);
      b[24] = bitDepth;
      b[25] = colourType;
      return b;
    };
    // 2000 × 2500 RGB at 8 bits is 15 MB: inside the default 16 MiB.
    expect(code(() => inspectPhoto(png(2000, 2500, 8, 2)))).toBeUndefined();
    // The same pixels as 16-bit RGBA would decode to 40 MB.
    expect(code(() => inspectPhoto(png(2000, 2500, 16, 6)))).toBe('PHOTO_DECODED_TOO_LARGE');
    const tight = { ...DEFAULT_PHOTO_LIMITS, maxDecodedBytes: 358 * 441 * 3 };
    expect(code(() => inspectPhoto(fakeJpeg(358, 441), tight))).toBeUndefined();
    expect(code(() => inspectPhoto(fakeJpeg(359, 441), tight))).toBe('PHOTO_DECODED_TOO_LARGE');
  });
});

describe('the test JPEG', () => {
  it('is a complete baseline JPEG, padded exactly, with a header only beyond the limits', () => {
    const jpeg = fakeJpeg(358, 441);
    expect(jpeg.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    expect(jpeg.subarray(-2)).toEqual(Buffer.from([0xff, 0xd9]));
    expect(jpeg.includes(Buffer.from([0xff, 0xda]))).toBe(true); // a scan
    for (const padTo of [jpeg.length + 1, jpeg.length + 3, jpeg.length + 4, 70_000, 200_000]) {
      const padded = fakeJpeg(358, 441, padTo);
      expect(padded).toHaveLength(padTo);
      expect(inspectPhoto(padded, { ...DEFAULT_PHOTO_LIMITS, maxBytes: padTo })).toEqual({
        contentType: 'image/jpeg',
        width: 358,
        height: 441,
      });
    }
    const huge = fakeJpeg(60000, 60000, 1000);
    expect(huge).toHaveLength(1000);
    expect(huge.includes(Buffer.from([0xff, 0xda]))).toBe(false);
  });
});
