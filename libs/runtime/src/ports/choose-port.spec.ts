import { choosePort } from './choose-port';

const range = { from: 8100, to: 8103 };
const none = new Set<number>();

describe('choosePort', () => {
  it('takes the preferred port when it is in range and free', () => {
    expect(choosePort({ range, preferred: 8102, taken: none, busy: none })).toBe(8102);
  });

  it('falls back to the lowest free port when the preferred one is leased or busy', () => {
    expect(choosePort({ range, preferred: 8102, taken: new Set([8102]), busy: none })).toBe(8100);
    expect(choosePort({ range, preferred: 8102, taken: new Set([8100]), busy: new Set([8102, 8101]) })).toBe(8103);
  });

  it('ignores a preferred port outside the range or not an integer', () => {
    expect(choosePort({ range, preferred: 9000, taken: none, busy: none })).toBe(8100);
    expect(choosePort({ range, preferred: 8101.5, taken: none, busy: none })).toBe(8100);
  });

  it('returns the lowest free port without a preference', () => {
    expect(choosePort({ range, taken: new Set([8100]), busy: new Set([8101]) })).toBe(8102);
  });

  it('returns null when every port is leased or busy', () => {
    expect(choosePort({ range, preferred: 8100, taken: new Set([8100, 8101]), busy: new Set([8102, 8103]) })).toBeNull();
  });

  it('returns null for an empty range', () => {
    expect(choosePort({ range: { from: 8101, to: 8100 }, taken: none, busy: none })).toBeNull();
  });
});
