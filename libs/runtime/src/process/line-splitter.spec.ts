import { LineSplitter, MAX_LINE_BYTES } from './line-splitter';

describe('LineSplitter', () => {
  it('hands out complete lines only, keeping a partial one (and empty lines) until its end arrives', () => {
    const splitter = new LineSplitter();
    expect(splitter.push(Buffer.from('one\ntw'))).toEqual(['one']);
    expect(splitter.push(Buffer.from('o'))).toEqual([]);
    expect(splitter.push(Buffer.from('\n\nthree\nfour'))).toEqual(['two', '', 'three']);
    expect(splitter.push(Buffer.from('\n'))).toEqual(['four']);
  });

  it('keeps a UTF-8 character whole when a read ends inside it', () => {
    const bytes = Buffer.from('café ✓\n');
    const splitter = new LineSplitter();
    const cut = bytes.indexOf(Buffer.from('✓')) + 1;
    expect(splitter.push(bytes.subarray(0, cut))).toEqual([]);
    expect(splitter.push(bytes.subarray(cut))).toEqual(['café ✓']);
  });

  it('cuts a line longer than 64 KiB into pieces, never inside a character', () => {
    // 1 + 2 × 40 000 bytes: the cut at 64 KiB would fall in the middle of an 'é'.
    const long = `a${'é'.repeat(40_000)}`;
    const splitter = new LineSplitter();
    const pieces = splitter.push(Buffer.from(long.slice(0, 30_000)));
    pieces.push(...splitter.push(Buffer.from(`${long.slice(30_000)}\nnext\n`)));
    expect(pieces).toHaveLength(3);
    expect(Buffer.byteLength(pieces[0])).toBe(MAX_LINE_BYTES - 1);
    expect(pieces.join('')).toBe(`${long}next`);
    expect(pieces[2]).toBe('next');
    expect(pieces.join('')).not.toContain('\uFFFD');
  });

  it('keeps a line of exactly 64 KiB whole', () => {
    const line = 'x'.repeat(MAX_LINE_BYTES);
    expect(new LineSplitter().push(Buffer.from(`${line}\n`))).toEqual([line]);
  });
});
