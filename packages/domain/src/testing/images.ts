/** Test images: just enough bytes for the header checks, no real picture. */
/** A minimal JPEG header: SOI, an APP0 segment, then SOF0 carrying the dimensions. */
export function fakeJpeg(width: number, height: number, padTo = 0): Buffer {
  const app0 = Buffer.from([
    0xff,
    0xe0,
    0x00,
    0x10,
    ...Buffer.from('JFIF\0'),
    1,
    1,
    0,
    0,
    1,
    0,
    1,
    0,
    0,
  ]);
  const sof = Buffer.alloc(19);
  sof.writeUInt16BE(0xffc0, 0);
  sof.writeUInt16BE(17, 2);
  sof[4] = 8;
  sof.writeUInt16BE(height, 5);
  sof.writeUInt16BE(width, 7);
  const body = Buffer.concat([Buffer.from([0xff, 0xd8]), app0, sof]);
  return padTo > body.length ? Buffer.concat([body, Buffer.alloc(padTo - body.length)]) : body;
}
