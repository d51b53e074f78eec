/**
 * Photo checks by content: the magic bytes decide the type, the header gives the dimensions, and
 * the pixel count bounds what a decoder would have to inflate (a small file can declare a huge
 * image). Card photos are 358×441 px by the national specification; we accept a range around it.
 */
import { DomainError } from '../errors/domain-error.js';

export type PhotoType = 'image/jpeg' | 'image/png';

export interface PhotoInfo {
  contentType: PhotoType;
  width: number;
  height: number;
}

export interface PhotoLimits {
  maxBytes: number;
  minWidth: number;
  minHeight: number;
  maxWidth: number;
  maxHeight: number;
}

export const DEFAULT_PHOTO_LIMITS: PhotoLimits = {
  maxBytes: 100 * 1024,
  minWidth: 100,
  minHeight: 120,
  maxWidth: 2000,
  maxHeight: 2500,
};

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function inspectPhoto(
  bytes: Uint8Array,
  limits: PhotoLimits = DEFAULT_PHOTO_LIMITS,
): PhotoInfo {
  if (bytes.length > limits.maxBytes) throw new DomainError('PHOTO_SIZE', { max: limits.maxBytes });
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let info: PhotoInfo;
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) {
    info = { contentType: 'image/jpeg', ...jpegSize(buf) };
  } else if (buf.length >= 24 && buf.subarray(0, 8).equals(PNG_SIGNATURE)) {
    if (buf.toString('latin1', 12, 16) !== 'IHDR') throw new DomainError('PHOTO_CORRUPT');
    info = { contentType: 'image/png', width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
  } else {
    throw new DomainError('PHOTO_TYPE');
  }
  const { width, height } = info;
  if (
    width < limits.minWidth ||
    height < limits.minHeight ||
    width > limits.maxWidth ||
    height > limits.maxHeight
  ) {
    throw new DomainError('PHOTO_DIMENSIONS', { ...limits, width, height });
  }
  return info;
}

/** Walks JPEG markers to the first start-of-frame segment, which holds the dimensions. */
function jpegSize(buf: Buffer): { width: number; height: number } {
  let offset = 2;
  while (offset + 4 <= buf.length) {
    if (buf[offset] !== 0xff) throw new DomainError('PHOTO_CORRUPT');
    const marker = buf[offset + 1]!;
    if (marker === 0xff) {
      offset += 1; // fill byte
      continue;
    }
    const length = buf.readUInt16BE(offset + 2);
    const isStartOfFrame =
      marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isStartOfFrame) {
      if (offset + 9 > buf.length) break;
      return { height: buf.readUInt16BE(offset + 5), width: buf.readUInt16BE(offset + 7) };
    }
    if (length < 2) break;
    offset += 2 + length;
  }
  throw new DomainError('PHOTO_CORRUPT');
}
