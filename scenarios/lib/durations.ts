// Seconds → k6 duration strings. Whole seconds stay readable (`300s`); fractions (a plan
// shrunk with --scale) are written in whole milliseconds, which k6 parses exactly.
export function k6Duration(seconds: number): string {
  const ms = Math.round(seconds * 1000);
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
