/**
 * Terminal column width of a string: CJK ideographs and full-width forms take two columns,
 * combining marks none. Enough of Unicode's East Asian Width for Chinese regulation text.
 */
const WIDE: readonly [number, number][] = [
  [0x1100, 0x115f], // Hangul Jamo initials
  [0x2e80, 0x303e], // CJK radicals, punctuation 、。〔〕《》
  [0x3041, 0x33ff], // kana, CJK symbols
  [0x3400, 0x4dbf], // CJK extension A
  [0x4e00, 0x9fff], // CJK unified ideographs
  [0xa000, 0xa4cf], // Yi
  [0xac00, 0xd7a3], // Hangul syllables
  [0xf900, 0xfaff], // CJK compatibility ideographs
  [0xfe30, 0xfe4f], // CJK compatibility forms
  [0xff00, 0xff60], // full-width forms ，（）：
  [0xffe0, 0xffe6], // full-width signs ￥
  [0x1f300, 0x1f64f], // pictographs, emoticons
  [0x1f900, 0x1f9ff],
  [0x20000, 0x3fffd], // CJK extensions B and later
];

const COMBINING = /\p{M}/u;

export function charWidth(char: string): number {
  const cp = char.codePointAt(0) ?? 0;
  if (cp === 0 || COMBINING.test(char)) return 0;
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return 0;
  return WIDE.some(([lo, hi]) => cp >= lo && cp <= hi) ? 2 : 1;
}

export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += charWidth(char);
  return width;
}

/** Pad on the right to `width` columns. */
export function padEnd(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

/** Break into lines of at most `width` columns, preferring to break after a space or comma. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  let lineWidth = 0;
  for (const token of text.split(/(?<=[ ,，、])/u)) {
    const word = line ? token : token.trimStart(); // no line starts with a space
    const w = displayWidth(word);
    if (lineWidth + w <= width) {
      line += word;
      lineWidth += w;
      continue;
    }
    if (line) lines.push(line.trimEnd());
    line = '';
    lineWidth = 0;
    for (const char of word.trimStart()) {
      const cw = charWidth(char);
      if (lineWidth + cw > width && line) {
        lines.push(line);
        line = '';
        lineWidth = 0;
      }
      line += char;
      lineWidth += cw;
    }
  }
  if (line || lines.length === 0) lines.push(line.trimEnd());
  return lines;
}
