/**
 * Every uploaded photo is decoded and re-encoded; the stored photo is the JPEG we wrote, never
 * the client's bytes. A header that looks right proves nothing: a PNG signature followed by HTML,
 * or a JPEG cut short, passes header checks but is no picture, and a client's file can carry
 * EXIF/XMP/ICC metadata (GPS position, device, free text) that we have no business keeping.
 *
 * 1. `inspectPhoto` (domain): magic bytes, file size, header dimensions and the decoded size.
 *    Cheap, and it runs first: it bounds what the decoder may allocate before anything decodes
 *    (a small file can declare a huge picture).
 * 2. Decode with sharp (libvips) to raw pixels: `limitInputPixels` is exactly the pixel count the
 *    header declared, so a decoder that finds a larger frame stops; `failOn: 'warning'` (the
 *    strictest level) refuses truncated files and corrupt data (libjpeg reports corrupt entropy
 *    data only as a warning); a timeout bounds the work. The EXIF orientation is applied, alpha
 *    is flattened onto white, and colours are converted to sRGB using any embedded profile.
 * 3. Encode those pixels as a baseline JPEG (quality 90, 4:2:0, sRGB). Raw pixels carry no
 *    metadata, so the output has none: no EXIF, XMP, IPTC, ICC profile or comment. If the JPEG
 *    would exceed the upload limit (noise compresses badly), a lower quality is tried.
 *
 * Decoding and encoding run on libuv's thread pool, off the event loop. Anything sharp cannot
 * decode is refused with PHOTO_CORRUPT (422); the header checks keep their own codes.
 */
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { DEFAULT_PHOTO_LIMITS, DomainError, inspectPhoto } from '@sscard/domain';

// Photos are personal data: keep no decoded pixels in sharp's operation cache between requests.
sharp.cache(false);

export interface PhotoCodecLimits {
  /** Largest upload, and largest stored JPEG (SSCARD_PHOTO_MAX_BYTES). */
  maxBytes: number;
  /** Largest decoded size the header may declare (SSCARD_PHOTO_MAX_DECODED_BYTES). */
  maxDecodedBytes: number;
}

export interface EncodedPhoto {
  contentType: 'image/jpeg';
  /** The JPEG we encoded: what is stored and served. */
  bytes: Buffer;
  width: number;
  height: number;
  /** SHA-256 of `bytes`. */
  sha256: Buffer;
}

/** Encoder quality, best first; a lower one only when the photo would not fit `maxBytes`. */
const QUALITIES = [90, 75, 60] as const;
const DECODE_TIMEOUT_SECONDS = 10;

/**
 * Checks, decodes and re-encodes an uploaded photo. Throws a DomainError (PHOTO_TYPE, PHOTO_SIZE,
 * PHOTO_DIMENSIONS, PHOTO_DECODED_TOO_LARGE, PHOTO_CORRUPT) for anything it will not store.
 */
export async function encodePhoto(
  upload: Uint8Array,
  limits: PhotoCodecLimits,
): Promise<EncodedPhoto> {
  const header = inspectPhoto(upload, {
    ...DEFAULT_PHOTO_LIMITS,
    maxBytes: limits.maxBytes,
    maxDecodedBytes: limits.maxDecodedBytes,
  });
  const pixels = await decode(upload, header.width * header.height);
  for (const quality of QUALITIES) {
    const bytes = await sharp(pixels.data, { raw: pixels.info })
      .jpeg({
        quality,
        chromaSubsampling: '4:2:0',
        progressive: false,
        mozjpeg: false,
        trellisQuantisation: false,
        optimiseCoding: true,
        force: true,
      })
      .toBuffer();
    if (bytes.length <= limits.maxBytes) {
      return {
        contentType: 'image/jpeg',
        bytes,
        width: pixels.info.width,
        height: pixels.info.height,
        sha256: createHash('sha256').update(bytes).digest(),
      };
    }
  }
  throw new DomainError('PHOTO_SIZE', { max: limits.maxBytes });
}

interface Pixels {
  data: Buffer;
  info: { width: number; height: number; channels: 3 };
}

/** Full decode to 8-bit sRGB pixels, or PHOTO_CORRUPT. */
async function decode(upload: Uint8Array, declaredPixels: number): Promise<Pixels> {
  try {
    const { data, info } = await sharp(upload, {
      failOn: 'warning',
      limitInputPixels: declaredPixels,
      limitInputChannels: 4,
      sequentialRead: true,
      autoOrient: true,
      pages: 1,
    })
      .timeout({ seconds: DECODE_TIMEOUT_SECONDS })
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3 || data.length !== info.width * info.height * 3)
      throw new Error(`unexpected decoded layout: ${info.channels} channels`);
    return { data, info: { width: info.width, height: info.height, channels: 3 } };
  } catch (e) {
    if (e instanceof DomainError) throw e;
    throw new DomainError('PHOTO_CORRUPT');
  }
}
