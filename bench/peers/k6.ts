// k6 as a peer: one `k6 run` of a constant-arrival-rate scenario against the bench's target,
// pinned to the generator core, its end-of-test summary written by handleSummary. tiergate has
// no k6 of its own: the bench measures k6 only when K6_BIN names one.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findK6 } from '../../runner/engines/k6/binary.ts';
import { runChild } from '../lib/child.ts';
import { GENERATOR_CORE, pinned } from '../lib/pin.ts';

/** Whether the bench measures k6: which one, or why not. */
export type K6Peer =
  | { measured: true; path: string; version: string }
  | { measured: false; why: string };

const SET_K6_BIN = 'set K6_BIN=<path to your k6> to measure k6';

/**
 * The k6 of K6_BIN (a k6 merely on PATH is not taken for the one meant). tiergate's test
 * stand-in runs tiergate's own engine behind k6's interface: benchmarked as k6 it would compare
 * tiergate with itself, so it is refused.
 */
export async function benchK6(env: NodeJS.ProcessEnv = process.env): Promise<K6Peer> {
  const explicit = env.K6_BIN;
  if (!explicit) return { measured: false, why: SET_K6_BIN };
  const k6 = await findK6({ explicit });
  if (/tiergate test stand-in/.test(k6.versionLine)) {
    return { measured: false, why: `K6_BIN names tiergate's test stand-in, not k6: ${SET_K6_BIN}` };
  }
  return { measured: true, path: k6.path, version: k6.versionLine };
}

export interface K6RateRun {
  rate: number;
  durationS: number;
  iterations: number;
  dropped: number;
  achievedRps: number;
  /** k6's own http_req_duration percentiles (ms; it measures from the actual send). */
  p50Ms: number;
  p99Ms: number;
  peakRssMb: number;
}

interface Summary {
  metrics: Record<string, { values: Record<string, number> } | undefined>;
}

function script(url: string, rate: number, durationS: number, vus: number, out: string): string {
  return `import http from 'k6/http';
export const options = {
  discardResponseBodies: true,
  summaryTrendStats: ['med', 'p(99)'],
  scenarios: {
    bench: {
      executor: 'constant-arrival-rate',
      rate: ${rate},
      timeUnit: '1s',
      duration: '${durationS}s',
      preAllocatedVUs: ${vus},
      maxVUs: ${vus},
      gracefulStop: '2s',
    },
  },
};
export default function () {
  http.get(${JSON.stringify(url)});
}
export function handleSummary(data) {
  return { ${JSON.stringify(out)}: JSON.stringify(data) };
}
`;
}

/** One bounded k6 run at `rate` req/s for `durationS`, with `vus` VUs (one connection each). */
export async function runK6Rate(
  binary: string,
  url: string,
  rate: number,
  durationS: number,
  vus: number,
): Promise<K6RateRun> {
  const dir = await mkdtemp(join(tmpdir(), 'tiergate-bench-k6-'));
  try {
    const summaryFile = join(dir, 'summary.json');
    const file = join(dir, 'bench.js');
    await writeFile(file, script(url, rate, durationS, vus, summaryFile));
    const [cmd, args] = pinned(GENERATOR_CORE, binary, [
      'run',
      '--quiet',
      '--no-usage-report',
      '--no-thresholds',
      file,
    ]);
    const r = await runChild(cmd, args, {
      timeoutMs: (durationS + 30) * 1000,
      env: { ...process.env, K6_NO_USAGE_REPORT: 'true', K6_NO_COLOR: 'true' },
    });
    if (r.code !== 0) {
      throw new Error(
        `k6 exited with ${r.code}: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`,
      );
    }
    const summary = JSON.parse(await readFile(summaryFile, 'utf8')) as Summary;
    const value = (metric: string, key: string): number =>
      summary.metrics[metric]?.values[key] ?? 0;
    const iterations = value('iterations', 'count');
    return {
      rate,
      durationS,
      iterations,
      dropped: value('dropped_iterations', 'count'),
      achievedRps: iterations / durationS,
      p50Ms: value('http_req_duration', 'med'),
      p99Ms: value('http_req_duration', 'p(99)'),
      peakRssMb: r.peakRssMb,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
