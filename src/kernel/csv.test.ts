import { describe, expect, it } from 'vitest';
import { CsvSyntaxError, csvLine, decodeText, parseCsv, parseCsvRecords } from './csv.js';

describe('CSV', () => {
  it('parses quoted fields with commas, quotes and line breaks, and CRLF line ends', () => {
    expect(parseCsv('a,b,c\r\n"x,1","say ""hi""","two\nlines"\r\n')).toEqual([
      ['a', 'b', 'c'],
      ['x,1', 'say "hi"', 'two\nlines'],
    ]);
  });

  it('drops a byte-order mark and blank lines, and keeps empty fields', () => {
    expect(parseCsv('\ufeffcode,name\n\n500154001,汉丰街道\n,\n')).toEqual([['code', 'name'], ['500154001', '汉丰街道'], ['', '']]);
  });

  it('reports an unclosed quote with its line', () => {
    expect(() => parseCsv('a\n"b,c\nd')).toThrow(CsvSyntaxError);
    expect(() => parseCsv('a\n"b,c\nd')).toThrow(/line 3/);
  });

  it('maps records to the header with their line numbers', () => {
    const { header, records } = parseCsvRecords('code, name \n1,甲\n2,乙');
    expect(header).toEqual(['code', 'name']);
    expect(records).toEqual([
      { line: 2, values: { code: '1', name: '甲' } },
      { line: 3, values: { code: '2', name: '乙' } },
    ]);
  });

  it('decodes UTF-8, and falls back to GB18030 as Excel saves it on a Chinese system', () => {
    expect(decodeText(new TextEncoder().encode('汉丰街道'))).toBe('汉丰街道');
    const gbk = Uint8Array.from([0xba, 0xba, 0xb7, 0xe1]); // 汉丰 in GBK
    expect(decodeText(gbk)).toBe('汉丰');
  });

  it('writes values safely, defusing spreadsheet formulas', () => {
    expect(csvLine(['a,b', 'say "hi"', '=1+1', null, 3, new Date('2026-01-02T03:04:05Z')])).toBe(
      `"a,b","say ""hi""",'=1+1,,3,2026-01-02T03:04:05.000Z\r\n`,
    );
  });
});
