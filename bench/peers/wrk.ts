// wrk as a peer: closed loop, one thread pinned to the generator core; its req/s is the
// practical ceiling of one core against the target, its --latency percentiles the round trip
// of a C client (measured from the actual send, like any closed-loop tool).
import { execFileSync } from 'node:child_process';
import { runChild } from '../lib/child.ts';
import { GENERATOR_CORE, pinned } from '../lib/pin.ts';

export const WRK = '/usr/bin/wrk';

export interface WrkRun {
  connections: number;
  durationS: number;
  reqPerSec: number;
  /** Latency distribution (µs) from `--latency`. */
  p50Us: number;
  p75Us: number;
  p90Us: number;
  p99Us: number;
  peakRssMb: number;
}

export function wrkVersion(): string {
  // `wrk -v` prints its version line and exits 1.
  try {
    return execFileSync(WRK, ['-v'], { encoding: 'utf8' }).split('\n')[0]?.trim() ?? '';
  } catch (err) {
    const out = String((err as { stdout?: string }).stdout ?? '');
    return (
      out
        .split('\n')[0]
        ?.replace(/Copyright.*$/, '')
        .trim() ?? ''
    );
  }
}

const UNIT_US: Record<string, number> = { us: 1, ms: 1000, s: 1_000_000 };

/** `50%  466.00us` → 466; `99%    5.63ms` → 5630. */
export function parseWrkPercentile(out: string, p: number): number {
  const m = new RegExp(`^\\s*${p}%\\s+([\\d.]+)(us|ms|s)\\s*$`, 'm').exec(out);
  if (!m) return Number.NaN;
  return Number(m[1]) * (UNIT_US[m[2]!] ?? Number.NaN);
}

export function parseWrkRate(out: string): number {
  return Number(/^Requests\/sec:\s+([\d.]+)/m.exec(out)?.[1] ?? Number.NaN);
}

export async function runWrk(url: string, connections: number, durationS: number): Promise<WrkRun> {
  const [cmd, args] = pinned(GENERATOR_CORE, WRK, [
    '-t1',
    `-c${connections}`,
    `-d${durationS}s`,
    '--latency',
    url,
  ]);
  const r = await runChild(cmd, args, { timeoutMs: (durationS + 20) * 1000 });
  if (r.code !== 0) throw new Error(`wrk exited with ${r.code}: ${r.stderr.trim()}`);
  return {
    connections,
    durationS,
    reqPerSec: parseWrkRate(r.stdout),
    p50Us: parseWrkPercentile(r.stdout, 50),
    p75Us: parseWrkPercentile(r.stdout, 75),
    p90Us: parseWrkPercentile(r.stdout, 90),
    p99Us: parseWrkPercentile(r.stdout, 99),
    peakRssMb: r.peakRssMb,
  };
}
