// k6's duration strings: what scripts write (`30s`, `1m30s`, `800ms`, a bare number of ms) and
// what k6 prints back (Go's time.Duration text: `1m30s`, `1.5s`, `800ms`, `0s`).
import { UNIT_MS } from '../../scenarios/lib/validate-options.ts';

/** Milliseconds of a k6 duration, or undefined when it is not one. */
export function parseDurationMs(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  let ms = 0;
  let rest = text;
  while (rest.length > 0) {
    const m = /^(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/.exec(rest);
    if (!m) return undefined;
    ms += Number(m[1]) * (UNIT_MS[m[2]!] ?? 0);
    rest = rest.slice(m[0].length);
  }
  return ms;
}

/** Go's formatting of a duration (k6 inspect prints options with it). */
export function goDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1) return `${trim(ms * 1000)}µs`;
  if (ms < 1000) return `${trim(ms)}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  if (h > 0) return `${h}h${m}m${trim(s)}s`;
  if (m > 0) return `${m}m${trim(s)}s`;
  return `${trim(s)}s`;
}

function trim(n: number): string {
  return String(Number(n.toFixed(9)));
}
