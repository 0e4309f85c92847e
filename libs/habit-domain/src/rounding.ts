/** Rounds half away from zero to a number of decimals (figures are stored and compared rounded). */
export function roundTo(value: number, decimals: number): number {
  const scale = 10 ** decimals;
  return (Math.sign(value) * Math.round(Math.abs(value) * scale)) / scale;
}
