import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors/domain-error.js';
import { inspectPhoto } from './photo.js';
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
});
