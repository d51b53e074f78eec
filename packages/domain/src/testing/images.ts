/**
 * Test images. The server decodes every uploaded photo and refuses what does not decode, so a
 * test photo must be a real picture, not just a header: `fakeJpeg` writes a complete baseline
 * JPEG (a flat mid-grey picture) of any size within the photo limits, without an encoder
 * library (the domain has no dependencies for this).
 *
 * How it stays small: every 8×8 block of a flat mid-grey picture has all 64 coefficients zero
 * (the DC value of level-shifted 128 is 0, and there is no detail). With one-symbol Huffman
 * tables (DC category 0 → code `0`, AC end-of-block → code `0`) each block is two zero bits,
 * so a 358×441 colour picture has about 1.9 kB of scan data.
 */

/** Larger pictures get a header only: they are refused on it before any decoder sees them. */
const ENCODED_MAX_WIDTH = 2000;
const ENCODED_MAX_HEIGHT = 2500;

function segment(marker: number, body: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt16BE(0xff00 | marker, 0);
  head.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([head, body]);
}

/** JFIF 1.01, no thumbnail. */
const APP0 = segment(0xe0, Buffer.from([...Buffer.from('JFIF\0'), 1, 1, 0, 0, 1, 0, 1, 0, 0]));

/** One quantisation table; its values do not matter, every coefficient is zero. */
const DQT = segment(0xdb, Buffer.concat([Buffer.from([0]), Buffer.alloc(64, 1)]));

/** DC table 0 and AC table 0, each with one symbol (0x00) coded as the single bit `0`. */
const DHT = segment(
  0xc4,
  Buffer.concat(
    [0x00, 0x10].map((tableClassAndId) =>
      Buffer.from([tableClassAndId, 1, ...new Array<number>(15).fill(0), 0x00]),
    ),
  ),
);

/** One scan of the three components, all on tables 0, full spectrum. */
const SOS = segment(0xda, Buffer.from([3, 1, 0x00, 2, 0x00, 3, 0x00, 0, 63, 0]));

const SOI = Buffer.from([0xff, 0xd8]);
const EOI = Buffer.from([0xff, 0xd9]);

/** Baseline start of frame: 8-bit samples, three components (YCbCr) without subsampling. */
function startOfFrame(width: number, height: number): Buffer {
  const body = Buffer.from([8, 0, 0, 0, 0, 3, 1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0]);
  body.writeUInt16BE(height, 1);
  body.writeUInt16BE(width, 3);
  return segment(0xc0, body);
}

/** Comment segments (and 0xFF fill bytes for 1–3) adding exactly `bytes` bytes. */
function padding(bytes: number): Buffer {
  const parts: Buffer[] = [];
  let left = bytes;
  while (left >= 4) {
    let take = Math.min(left, 0xffff + 2);
    if (left - take > 0 && left - take < 4) take -= 4;
    parts.push(segment(0xfe, Buffer.alloc(take - 4, 0x20)));
    left -= take;
  }
  // A marker may be preceded by any number of 0xFF fill bytes.
  if (left > 0) parts.push(Buffer.alloc(left, 0xff));
  return Buffer.concat(parts);
}

/** Two zero bits per block, three blocks per 8×8 unit; the last byte padded with 1 bits. */
function scanData(width: number, height: number): Buffer {
  const bits = Math.ceil(width / 8) * Math.ceil(height / 8) * 3 * 2;
  const data = Buffer.alloc(Math.ceil(bits / 8));
  const spare = data.length * 8 - bits;
  if (spare > 0) data[data.length - 1] = (1 << spare) - 1;
  return data;
}

/**
 * A real, decodable baseline JPEG of `width` × `height` flat grey pixels, padded with comment
 * segments to `padTo` bytes when that is larger. Pictures beyond 2000 × 2500 (or of zero size)
 * are a header only, padded with zero bytes: they exist to be refused on their header.
 */
export function fakeJpeg(width: number, height: number, padTo = 0): Buffer {
  const sof = startOfFrame(width, height);
  const encodable =
    width > 0 && height > 0 && width <= ENCODED_MAX_WIDTH && height <= ENCODED_MAX_HEIGHT;
  if (!encodable) {
    const header = Buffer.concat([SOI, APP0, sof]);
    return padTo > header.length
      ? Buffer.concat([header, Buffer.alloc(padTo - header.length)])
      : header;
  }
  const rest = Buffer.concat([DQT, sof, DHT, SOS, scanData(width, height), EOI]);
  const length = SOI.length + APP0.length + rest.length;
  return Buffer.concat([SOI, APP0, padding(Math.max(0, padTo - length)), rest]);
}
