import { describe, expect, it } from 'vitest';
import { numberCell, textCell, toCsv } from '../../src-shared/csv';

describe('CSV export', () => {
  it('quotes per RFC 4180: commas, quotes and newlines; CRLF line ends', () => {
    const csv = toCsv(
      [
        { header: 'name', kind: 'text', value: (r: { name: string; v: number }) => r.name },
        { header: 'value', kind: 'number', value: (r) => r.v },
      ],
      [
        { name: 'plain', v: 1 },
        { name: 'a, b', v: 2 },
        { name: 'say "hi"', v: 3 },
        { name: 'two\nlines', v: 4 },
      ],
    );
    expect(csv).toBe('name,value\r\nplain,1\r\n"a, b",2\r\n"say ""hi""",3\r\n"two\nlines",4\r\n');
  });

  it('neutralises text cells that would run as formulas', () => {
    expect(textCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(textCell('+1+1')).toBe("'+1+1");
    expect(textCell('-2+3')).toBe("'-2+3");
    expect(textCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(textCell('\tcmd')).toBe("'\tcmd");
    expect(textCell('\rcmd')).toBe(`"'\rcmd"`);
    expect(textCell('safe=still safe')).toBe('safe=still safe');
  });

  it('neutralises formulas behind leading blanks or line breaks (OWASP), leaves other text alone', () => {
    const blanks = ['\n', '\r', '\t', ' ', '   ', '\u00a0', '\ufeff', '\u200b', '\u3000', ' \u00a0\t\r\n'];
    for (const blank of blanks) {
      for (const start of ['=', '+', '-', '@']) {
        const cell = `${blank}${start}HYPERLINK("http://x")`;
        const neutral = `'${cell}`;
        const expected = /[",\r\n]/.test(neutral) ? `"${neutral.replace(/"/g, '""')}"` : neutral;
        expect(textCell(cell), JSON.stringify(cell)).toBe(expected);
      }
    }
    expect(textCell('\nnext line')).toBe(`"'\nnext line"`);
    expect(textCell(' note')).toBe(' note');
    expect(textCell('\u00a0a = b')).toBe('\u00a0a = b');
    expect(textCell('learningRate=-0.1')).toBe('learningRate=-0.1');
  });

  it('keeps numbers as numbers next to neutralised text', () => {
    const csv = toCsv(
      [
        { header: 'note', kind: 'text', value: (r: { note: string; v: number }) => r.note },
        { header: 'value', kind: 'number', value: (r) => r.v },
      ],
      [{ note: ' -1', v: -1 }, { note: '\u00a0+2', v: -0.5 }],
    );
    expect(csv).toBe("note,value\r\n' -1,-1\r\n'\u00a0+2,-0.5\r\n");
  });

  it('keeps numeric columns numeric: negatives untouched, NaN and infinities spelled out', () => {
    expect(numberCell(-0.25)).toBe('-0.25');
    expect(numberCell(1e-8)).toBe('1e-8');
    expect(numberCell(NaN)).toBe('NaN');
    expect(numberCell(Infinity)).toBe('Infinity');
    expect(numberCell(-Infinity)).toBe('-Infinity');
    expect(numberCell(null)).toBe('');
    expect(numberCell(0)).toBe('0');
  });
});
