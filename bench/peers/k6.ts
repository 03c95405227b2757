// k6 as a peer: one `k6 run` of a constant-arrival-rate scenario against the bench's target,
// pinned to the generator core, its end-of-test summary written by handleSummary.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runChild } from '../lib/child.ts';
import { GENERATOR_CORE, pinned } from '../lib/pin.ts';

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
