/**
 * Photos are decoded, not judged by their header: what does not decode is refused, what decodes
 * is re-encoded as a baseline JPEG without metadata, and the stored photo is that JPEG, never
 * the uploaded bytes. A file that declares a huge picture is refused before any decoder runs.
 */
import { createHash } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';
import { inspectPhoto } from '@sscard/domain';
import { fakeJpeg } from '@sscard/domain/testing';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildWorld, type World } from '../../testing/fixtures.js';
import { createTestPlatform, type TestPlatform } from '../../testing/harness.js';
import { registerPerson } from '../../testing/people.js';
import { placeholderPhoto } from '../../scenarios/world.js';

/** Counts every sharp pipeline the server (or this file) opens: proof that nothing decoded. */
const decoder = vi.hoisted(() => ({ opened: 0 }));
vi.mock('sharp', async (importOriginal) => {
  const actual = await importOriginal<{ default: typeof sharp }>();
  const real = actual.default;
  const counted = Object.assign((...args: Parameters<typeof real>) => {
    decoder.opened += 1;
    return real(...args);
  }, real);
  return { ...actual, default: counted };
});

let t: TestPlatform;
let w: World;

beforeAll(async () => {
  t = await createTestPlatform();
  w = await buildWorld(t);
});
afterAll(() => t.close());

const put = (id: string, payload: Buffer, contentType = 'image/jpeg') =>
  t.api({
    method: 'PUT',
    url: `/api/v1/persons/${id}/photo`,
    token: w.tokens.branchA,
    headers: { 'content-type': contentType },
    payload,
  });

const served = async (id: string) => {
  const res = await t.api({
    method: 'GET',
    url: `/api/v1/persons/${id}/photo`,
    token: w.tokens.branchA,
    headers: { 'x-sscard-reason': 'photo-test' },
  });
  return res;
};

const person = async () => (await registerPerson(t, w.tokens.branchA, { photo: false })).id;

// --- images ---------------------------------------------------------------------------------

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A well-formed PNG (right CRCs, real zlib data) of the given scanlines, with extra chunks. */
function png(
  width: number,
  height: number,
  bitDepth: number,
  colourType: number,
  scanlines: Buffer,
  extra: Buffer[] = [],
): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = bitDepth;
  ihdr[9] = colourType;
  return Buffer.concat([
    PNG_SIGNATURE,
    pngChunk('IHDR', ihdr),
    ...extra,
    pngChunk('IDAT', deflateSync(scanlines, { level: 9 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A 358 × 441 picture with some detail (gradients and a disc), as raw RGB. */
function portrait(): { data: Buffer; width: number; height: number } {
  const width = 358;
  const height = 441;
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const face = (x - 179) ** 2 + (y - 200) ** 2 < 110 ** 2;
      data[i] = face ? 230 : 40 + Math.floor((x / width) * 120);
      data[i + 1] = face ? 190 : 90 + Math.floor((y / height) * 100);
      data[i + 2] = face ? 160 : 200;
    }
  return { data, width, height };
}

const realJpeg = async () => {
  const p = portrait();
  return sharp(p.data, { raw: { width: p.width, height: p.height, channels: 3 } })
    .jpeg({ quality: 85 })
    .toBuffer();
};

const realPng = async () => {
  const p = portrait();
  return sharp(p.data, { raw: { width: p.width, height: p.height, channels: 3 } })
    .png()
    .toBuffer();
};

/** The markers of a JPEG up to its first scan. */
function jpegMarkers(bytes: Buffer): number[] {
  const markers: number[] = [];
  let offset = 2;
  while (offset + 4 <= bytes.length) {
    const marker = bytes[offset + 1]!;
    markers.push(marker);
    if (marker === 0xda) break;
    offset += 2 + bytes.readUInt16BE(offset + 2);
  }
  return markers;
}

/** Served back: a baseline JPEG with 4:2:0 sampling, nothing but what a decoder needs. */
async function expectOurJpeg(bytes: Buffer, width: number, height: number) {
  expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
  const markers = jpegMarkers(bytes);
  expect(markers).toContain(0xc0); // SOF0: baseline
  // JFIF, tables, frame, scan: no APP1 (EXIF/XMP), APP2 (ICC), APP13 (IPTC) or COM.
  for (const m of markers) expect([0xe0, 0xdb, 0xc0, 0xc4, 0xdd, 0xda]).toContain(m);
  const meta = await sharp(bytes).metadata();
  expect(meta).toMatchObject({
    format: 'jpeg',
    width,
    height,
    space: 'srgb',
    channels: 3,
    chromaSubsampling: '4:2:0',
    isProgressive: false,
  });
  expect(meta.exif).toBeUndefined();
  expect(meta.icc).toBeUndefined();
  expect(meta.xmp).toBeUndefined();
  expect(meta.iptc).toBeUndefined();
  const decoded = await sharp(bytes, { failOn: 'warning' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  expect(decoded.info).toMatchObject({ width, height });
}

async function storedSha256(personId: string): Promise<Buffer> {
  const row = await t.platform.deps.db
    .selectFrom('persons')
    .innerJoin('photos', 'photos.id', 'persons.photo_id')
    .select('photos.sha256')
    .where('persons.id', '=', personId)
    .executeTakeFirstOrThrow();
  return Buffer.from(row.sha256);
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest();

// --- tests ----------------------------------------------------------------------------------

describe('photos that decode', () => {
  it('accepts a JPEG and serves back our re-encoded JPEG, not the uploaded bytes', async () => {
    const id = await person();
    const upload = await realJpeg();
    const res = await put(id, upload);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ contentType: 'image/jpeg', width: 358, height: 441 });
    const got = await served(id);
    expect(got.statusCode).toBe(200);
    expect(got.headers['content-type']).toBe('image/jpeg');
    expect(got.rawPayload.equals(upload)).toBe(false);
    await expectOurJpeg(got.rawPayload, 358, 441);
    expect((await storedSha256(id)).equals(sha256(got.rawPayload))).toBe(true);
  });

  it('accepts a PNG and stores it as a JPEG', async () => {
    const id = await person();
    const upload = await realPng();
    const res = await put(id, upload, 'image/png');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ contentType: 'image/jpeg', width: 358, height: 441 });
    const got = await served(id);
    expect(got.headers['content-type']).toBe('image/jpeg');
    expect(got.rawPayload.equals(upload)).toBe(false);
    await expectOurJpeg(got.rawPayload, 358, 441);
    // The picture survives: the centre of the disc keeps its colour, give or take the encoder.
    const { data, info } = await sharp(got.rawPayload)
      .extract({ left: 179, top: 200, width: 1, height: 1 })
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect(info.channels).toBe(3);
    expect(Math.abs(data[0]! - 230)).toBeLessThan(8);
    expect(Math.abs(data[1]! - 190)).toBeLessThan(8);
    expect(Math.abs(data[2]! - 160)).toBeLessThan(8);
  });

  it('keeps no metadata: PNG text and EXIF chunks are gone from the stored copy', async () => {
    const id = await person();
    const p = portrait();
    const rows = Buffer.alloc(p.height * (1 + p.width * 3));
    for (let y = 0; y < p.height; y++)
      p.data.copy(rows, y * (1 + p.width * 3) + 1, y * p.width * 3, (y + 1) * p.width * 3);
    const exif = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } })
      .jpeg()
      .withExif({ IFD0: { ImageDescription: 'SECRET-EXIF-GPS 31.2304N 121.4737E' } })
      .toBuffer();
    const exifMeta = (await sharp(exif).metadata()).exif!;
    const upload = png(p.width, p.height, 8, 2, rows, [
      pngChunk('tEXt', Buffer.from('Comment\0SECRET-TEXT 13800138000', 'latin1')),
      pngChunk('iTXt', Buffer.from('Description\0\0\0\0\0SECRET-ITXT', 'latin1')),
      pngChunk('zTXt', Buffer.concat([Buffer.from('Author\0\0'), deflateSync('SECRET-ZTXT')])),
      // eXIf holds the TIFF structure without the JPEG segment's "Exif\0\0" prefix.
      pngChunk('eXIf', exifMeta.subarray(6)),
    ]);
    const before = await sharp(upload).metadata();
    expect(before.exif?.includes('SECRET-EXIF')).toBe(true);
    expect(before.comments?.map((c) => c.keyword)).toEqual(
      expect.arrayContaining(['Comment', 'Description', 'Author']),
    );

    const res = await put(id, upload, 'image/png');
    expect(res.statusCode, res.body).toBe(200);
    const got = (await served(id)).rawPayload;
    await expectOurJpeg(got, 358, 441);
    expect(got.includes('SECRET')).toBe(false);
    expect((await sharp(got).metadata()).comments).toBeUndefined();
  });

  it('keeps no metadata: a JPEG’s EXIF, ICC profile, XMP and comment are gone; its orientation is applied', async () => {
    const id = await person();
    const p = portrait();
    const upload = await sharp(p.data, { raw: { width: p.width, height: p.height, channels: 3 } })
      .jpeg({ quality: 85 })
      .withMetadata({ orientation: 6 })
      .withExifMerge({ IFD0: { ImageDescription: 'SECRET-EXIF' } })
      .withIccProfile('p3')
      .withXmp(
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>SECRET-XMP</dc:title></rdf:Description></rdf:RDF></x:xmpmeta>',
      )
      .toBuffer();
    const before = await sharp(upload).metadata();
    expect(before.orientation).toBe(6);
    expect(before.icc).toBeDefined();
    expect(before.xmp).toBeDefined();

    const res = await put(id, upload);
    expect(res.statusCode, res.body).toBe(200);
    // Orientation 6 turns the picture a quarter: it is stored upright, so 441 wide.
    expect(res.json()).toMatchObject({ width: 441, height: 358 });
    const got = (await served(id)).rawPayload;
    await expectOurJpeg(got, 441, 358);
    expect(got.includes('SECRET')).toBe(false);
    expect((await sharp(got).metadata()).orientation).toBeUndefined();
  });

  it('the test helpers make real pictures: fakeJpeg and the scenario placeholder decode', async () => {
    for (const image of [fakeJpeg(358, 441), fakeJpeg(358, 441, 4000), placeholderPhoto()]) {
      const { info } = await sharp(image, { failOn: 'warning' })
        .raw()
        .toBuffer({ resolveWithObject: true });
      expect(info).toMatchObject({ width: 358, height: 441, channels: 3 });
    }
    expect(fakeJpeg(358, 441, 4000)).toHaveLength(4000);
    const id = await person();
    expect((await put(id, fakeJpeg(358, 441, 2000))).statusCode).toBe(200);
  });
});

describe('photos that do not decode are refused (422) and change nothing', () => {
  /** A 21-byte JPEG: start of image and a start of frame declaring 358 × 441, nothing else. */
  const jpeg21 = (() => {
    const sof = Buffer.from([
      0xff, 0xc0, 0, 17, 8, 0, 0, 0, 0, 3, 1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0,
    ]);
    sof.writeUInt16BE(441, 5);
    sof.writeUInt16BE(358, 7);
    return Buffer.concat([Buffer.from([0xff, 0xd8]), sof]);
  })();
  /** A 33-byte PNG: signature and an IHDR chunk declaring 358 × 441, no image data. */
  const png33 = (() => {
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(358, 0);
    ihdr.writeUInt32BE(441, 4);
    ihdr[8] = 8;
    ihdr[9] = 2;
    return Buffer.concat([PNG_SIGNATURE, pngChunk('IHDR', ihdr)]);
  })();

  const cases: Array<[string, () => Promise<Buffer>]> = [
    ['a 33-byte PNG', async () => png33],
    [
      'a PNG header followed by HTML',
      async () =>
        Buffer.concat([
          png33,
          Buffer.from('<html><body><script>alert(document.cookie)</script></body></html>'),
        ]),
    ],
    ['a 21-byte JPEG', async () => jpeg21],
    [
      'a truncated JPEG',
      async () => {
        const full = await realJpeg();
        return full.subarray(0, Math.floor(full.length / 2));
      },
    ],
    [
      'a JPEG without its end (last two bytes cut)',
      async () => {
        const full = await realJpeg();
        return full.subarray(0, full.length - 2);
      },
    ],
    [
      'a JPEG with corrupt scan data',
      async () => {
        const broken = Buffer.from(await realJpeg());
        for (let i = 0; i < 64; i++) broken[Math.floor(broken.length / 2) + i * 7]! ^= 0x5a;
        return broken;
      },
    ],
    [
      'a truncated PNG',
      async () => {
        const full = await realPng();
        return full.subarray(0, full.length - 40);
      },
    ],
  ];

  for (const [name, make] of cases) {
    it(name, async () => {
      const bytes = await make();
      const id = await person();
      expect((await put(id, fakeJpeg(358, 441))).statusCode).toBe(200);
      const kept = (await served(id)).rawPayload;
      const contentType = bytes[0] === 0x89 ? 'image/png' : 'image/jpeg';
      const res = await put(id, bytes, contentType);
      expect(res.statusCode, res.body).toBe(422);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json().code).toBe('PHOTO_CORRUPT');
      expect((await served(id)).rawPayload.equals(kept)).toBe(true);
    });
  }

  it('the 33-byte PNG, the PNG with HTML and the 21-byte JPEG pass the header checks alone', () => {
    expect(jpeg21).toHaveLength(21);
    expect(png33).toHaveLength(33);
    expect(inspectPhoto(jpeg21)).toMatchObject({ width: 358, height: 441 });
    expect(inspectPhoto(png33)).toMatchObject({ width: 358, height: 441 });
  });

  it('answers in both languages', async () => {
    const id = await person();
    for (const [lang, text] of [
      ['en', 'does not decode'],
      ['zh-CN', '无法解码'],
    ] as const) {
      const res = await t.api({
        method: 'PUT',
        url: `/api/v1/persons/${id}/photo`,
        token: w.tokens.branchA,
        headers: { 'content-type': 'image/png' },
        payload: png33,
        lang,
      });
      expect(res.statusCode).toBe(422);
      expect(res.json().detail).toContain(text);
    }
  });
});

describe('decompression bombs are refused on their header, before any decoder runs', () => {
  it('a 40 kB PNG that inflates to 40 MB (2000 × 2500, 16-bit RGBA)', async () => {
    const id = await person();
    const bomb = png(2000, 2500, 16, 6, Buffer.alloc(2500 * (1 + 2000 * 8)));
    expect(bomb.length).toBeLessThan(t.config.photo.maxBytes);
    const opened = decoder.opened;
    const res = await put(id, bomb, 'image/png');
    expect(res.statusCode).toBe(413);
    expect(res.json().code).toBe('PHOTO_DECODED_TOO_LARGE');
    expect(decoder.opened).toBe(opened);
  });

  it('a small PNG declaring 50 000 × 50 000 pixels', async () => {
    const id = await person();
    const bomb = png(50_000, 50_000, 8, 2, Buffer.alloc(1 + 50_000 * 3));
    const opened = decoder.opened;
    const res = await put(id, bomb, 'image/png');
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('PHOTO_DIMENSIONS');
    expect(decoder.opened).toBe(opened);
  });

  it('a JPEG header declaring 60 000 × 60 000 pixels', async () => {
    const id = await person();
    const opened = decoder.opened;
    const res = await put(id, fakeJpeg(60_000, 60_000, 2000));
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('PHOTO_DIMENSIONS');
    expect(decoder.opened).toBe(opened);
  });

  it('while a photo that passes the header checks does reach the decoder', async () => {
    const id = await person();
    const opened = decoder.opened;
    expect((await put(id, fakeJpeg(358, 441))).statusCode).toBe(200);
    expect(decoder.opened).toBeGreaterThan(opened);
  });
});
