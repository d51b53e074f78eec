import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from './csv.js';
import { columnName, writeXlsx } from './xlsx-write.js';

describe('writeXlsx', () => {
  it('writes a workbook whose text columns keep 18-digit numbers as text', async () => {
    const bytes = await writeXlsx([
      {
        name: '错误报告',
        columns: [{ header: '姓名' }, { header: '身份证号', text: true }, { header: '行' }],
        rows: [
          ['张三', '330902199001011234', 2],
          ['<&>', null, 3.5],
        ],
      },
    ]);
    const files = unzipSync(bytes);
    expect(Object.keys(files).sort()).toEqual([
      '[Content_Types].xml',
      '_rels/.rels',
      'xl/_rels/workbook.xml.rels',
      'xl/styles.xml',
      'xl/workbook.xml',
      'xl/worksheets/sheet1.xml',
    ]);
    const sheet = strFromU8(files['xl/worksheets/sheet1.xml']!);
    expect(sheet).toContain(
      '<c r="B2" s="2" t="inlineStr"><is><t xml:space="preserve">330902199001011234</t>',
    );
    expect(sheet).toContain('<c r="C2"><v>2</v></c>');
    expect(sheet).toContain('&lt;&amp;&gt;');
    expect(sheet).not.toContain('r="B3"');
    expect(strFromU8(files['xl/workbook.xml']!)).toContain('name="错误报告"');
  });

  // 100,000 rows are a second or two of work: other requests must get turns meanwhile.
  it('lets timers run while it writes a large sheet', async () => {
    const rows = Array.from({ length: 30_000 }, (_, i) => [`职工${i}`, '330902199001011234', i]);
    let ticks = 0;
    const timer = setInterval(() => (ticks += 1), 1);
    try {
      const bytes = await writeXlsx([
        {
          name: 'S',
          columns: [{ header: 'a' }, { header: 'b', text: true }, { header: 'c' }],
          rows,
        },
      ]);
      expect(strFromU8(unzipSync(bytes)['xl/worksheets/sheet1.xml']!)).toContain('r="C30001"');
    } finally {
      clearInterval(timer);
    }
    expect(ticks).toBeGreaterThan(0);
  });

  it('refuses invalid or duplicate sheet names', async () => {
    await expect(writeXlsx([{ name: 'a/b', columns: [], rows: [] }])).rejects.toThrow(/sheet name/);
    await expect(
      writeXlsx([
        { name: 'A', columns: [], rows: [] },
        { name: 'a', columns: [], rows: [] },
      ]),
    ).rejects.toThrow(/duplicate/);
  });

  it('names columns like Excel', () => {
    expect([0, 25, 26, 51, 52, 701, 702].map(columnName)).toEqual([
      'A',
      'Z',
      'AA',
      'AZ',
      'BA',
      'ZZ',
      'AAA',
    ]);
  });
});

describe('toCsv', () => {
  it('quotes, starts with a BOM and ends lines with CRLF', () => {
    expect(
      toCsv(
        ['a', 'b'],
        [
          ['x,y', 'say "hi"'],
          [1, null],
        ],
      ),
    ).toBe('\ufeffa,b\r\n"x,y","say ""hi"""\r\n1,\r\n');
  });

  it('guards text cells against formula injection, not numbers', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvCell('+86 138')).toBe("'+86 138");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell(-5)).toBe('-5');
  });
});
