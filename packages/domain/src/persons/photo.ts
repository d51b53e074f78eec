/**
 * Photo checks by content: the magic bytes decide the type, the header gives the dimensions, and
 * the pixel count bounds what a decoder would have to inflate (a small file can declare a huge
 * image). Card photos are 358×441 px by the national specification; we accept a range around it.
 * Besides the pixel range, the decoded size (width × height × channels × bytes per sample) is
 * bounded, so a header cannot make a decoder allocate more than the configured limit.
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
  /** Largest decoded (uncompressed) size in bytes; unchecked when absent. */
  maxDecodedBytes?: number;
}

export const DEFAULT_PHOTO_LIMITS: PhotoLimits = {
  maxBytes: 100 * 1024,
  minWidth: 100,
  minHeight: 120,
  maxWidth: 2000,
  maxHeight: 2500,
  maxDecodedBytes: 16 * 1024 * 1024,
};

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function inspectPhoto(
  bytes: Uint8Array,
  limits: PhotoLimits = DEFAULT_PHOTO_LIMITS,
): PhotoInfo {
  if (bytes.length > limits.maxBytes) throw new DomainError('PHOTO_SIZE', { max: limits.maxBytes });
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let info: PhotoInfo;
  let sample: { channels: number; bytesPerSample: number };
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) {
    const frame = jpegFrame(buf);
    info = { contentType: 'image/jpeg', width: frame.width, height: frame.height };
    sample = frame;
  } else if (buf.length >= 24 && buf.subarray(0, 8).equals(PNG_SIGNATURE)) {
    if (buf.toString('latin1', 12, 16) !== 'IHDR') throw new DomainError('PHOTO_CORRUPT');
    info = { contentType: 'image/png', width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
    sample = pngSample(buf);
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
  const decoded = width * height * sample.channels * sample.bytesPerSample;
  if (limits.maxDecodedBytes !== undefined && decoded > limits.maxDecodedBytes) {
    throw new DomainError('PHOTO_DECODED_TOO_LARGE', {
      decoded,
      width,
      height,
      channels: sample.channels,
      max: limits.maxDecodedBytes,
    });
  }
  return info;
}

/** PNG colour type → channels a decoder produces (a palette expands to RGBA at worst). */
const PNG_CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 4, 4: 2, 6: 4 };

function pngSample(buf: Buffer): { channels: number; bytesPerSample: number } {
  const bitDepth = buf.length > 24 ? buf[24]! : 8;
  const colourType = buf.length > 25 ? buf[25]! : 6;
  return {
    channels: PNG_CHANNELS[colourType] ?? 4,
    bytesPerSample: bitDepth > 8 ? 2 : 1,
  };
}

interface JpegFrame {
  width: number;
  height: number;
  channels: number;
  bytesPerSample: number;
}

/** Walks JPEG markers to the first start-of-frame segment, which holds the dimensions. */
function jpegFrame(buf: Buffer): JpegFrame {
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
      const precision = buf[offset + 4]!;
      const components = offset + 9 < buf.length ? buf[offset + 9]! : 0;
      return {
        height: buf.readUInt16BE(offset + 5),
        width: buf.readUInt16BE(offset + 7),
        // A frame declares 1 (grey), 3 (YCbCr) or 4 (CMYK) components; assume 3 if unreadable.
        channels: components > 0 ? components : 3,
        bytesPerSample: precision > 8 ? 2 : 1,
      };
    }
    if (length < 2) break;
    offset += 2 + length;
  }
  throw new DomainError('PHOTO_CORRUPT');
}
