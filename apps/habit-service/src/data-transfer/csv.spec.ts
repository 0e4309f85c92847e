import { CsvError, parseCsv } from './csv';

describe('parseCsv', () => {
  it('reads plain records with their line numbers, skipping empty lines', () => {
    expect(parseCsv('Date,Value\n2026-01-01,2\n\n2026-01-02,0\n')).toEqual([
      { line: 1, cells: ['Date', 'Value'] },
      { line: 2, cells: ['2026-01-01', '2'] },
      { line: 4, cells: ['2026-01-02', '0'] },
    ]);
  });

  it('reads quoted fields with commas, doubled quotes and line breaks, and CRLF line ends', () => {
    const rows = parseCsv('\uFEFFName,Question\r\n"Run, far","Did you ""really"" run?"\r\n"Two\nlines",x\r\nlast,');
    expect(rows).toEqual([
      { line: 1, cells: ['Name', 'Question'] },
      { line: 2, cells: ['Run, far', 'Did you "really" run?'] },
      { line: 3, cells: ['Two\nlines', 'x'] },
      { line: 5, cells: ['last', ''] },
    ]);
  });

  it('refuses an unclosed quote and a quote inside an unquoted field, naming the line', () => {
    expect(() => parseCsv('a,b\n"open,c\nd')).toThrow(new CsvError(2, 'a quoted field is never closed'));
    expect(() => parseCsv('a,b\nab"c,d')).toThrow('line 2: a quote in the middle of an unquoted field');
  });
});
