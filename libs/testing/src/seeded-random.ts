/**
 * A seeded random generator (mulberry32) for property tests: the same seed gives the same sequence, so a
 * failure names a seed that reproduces it.
 */
export function seededRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)];
  const chance = (probability: number) => next() < probability;
  const shuffle = <T>(items: T[]): T[] => {
    for (let index = items.length - 1; index > 0; index--) {
      const other = int(0, index);
      [items[index], items[other]] = [items[other], items[index]];
    }
    return items;
  };
  return { int, pick, chance, shuffle };
}

export type SeededRandom = ReturnType<typeof seededRandom>;
