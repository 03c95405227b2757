// Number formatting that works everywhere the model runs: k6's JavaScript runtime reads
// `toLocaleString`'s first argument as a radix, so thresholds/ never calls it.

/** `1234567.5` → `1,234,567.5` (at most three decimals). */
export function grouped(n: number): string {
  const sign = n < 0 ? '-' : '';
  const [whole = '0', fraction] = String(Math.round(Math.abs(n) * 1000) / 1000).split('.');
  const withCommas = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction ? `${sign}${withCommas}.${fraction}` : `${sign}${withCommas}`;
}
