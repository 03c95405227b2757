// The shipped k6 scenarios, run by plain k6 (native TypeScript, no bundling): their init runs in
// the k6 under test (`k6 inspect`), their options are the ones the compiler derives in Node from
// the same tier, and tiergate's validator finds nothing wrong in them. With K6_BIN, real k6's
// inspect accepts them as well. And an exported script runs as is.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileOptions } from '../../../scenarios/lib/options.ts';
import { formatProblem, validateOptions } from '../../../scenarios/lib/validate-options.ts';
import { realK6, testK6 } from '../../../test/helpers/k6.ts';
import { startServer } from '../../../test/helpers/servers.ts';
import { planAdhoc, planTier } from '../../../thresholds/plan.ts';
import { BUILTIN_ROADMAPS } from '../../../thresholds/roadmaps/index.ts';
import type { K6Binary } from './binary.ts';
import { exportK6Script } from './export.ts';
import { PACKAGE_ROOT } from './paths.ts';

const run = promisify(execFile);
// Without vitest's BASE_URL (Vite's base path, "/"): k6 passes the environment on to __ENV.
const { BASE_URL: _vite, ...inherited } = process.env;
const env = { ...inherited, K6_NO_USAGE_REPORT: 'true' };
let k6: K6Binary;
let scratch: string;

beforeAll(async () => {
  k6 = await testK6();
  scratch = await mkdtemp(join(tmpdir(), 'tiergate-k6-scenarios-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

async function inspect(script: string, vars: Record<string, string>) {
  const args = [
    'inspect',
    script,
    ...Object.entries(vars).flatMap(([k, v]) => ['-e', `${k}=${v}`]),
  ];
  const { stdout } = await run(k6.path, args, { cwd: PACKAGE_ROOT, env });
  return JSON.parse(stdout) as {
    scenarios: Record<string, Record<string, unknown>>;
    thresholds: unknown;
  };
}

/** Go's duration text (`1m0s`, `1.25s`, `800ms`) → seconds. */
function goSeconds(text: unknown): number {
  let s = 0;
  for (const [, n, unit] of String(text).matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s|µs|us)/g)) {
    s += Number(n) * ({ h: 3600, m: 60, s: 1, ms: 0.001, us: 1e-6, µs: 1e-6 }[unit!] ?? 0);
  }
  return s;
}

/** Thresholds with k6's normalised durations (`1m0s`) read back as seconds. */
function thresholdsInSeconds(thresholds: unknown): unknown {
  return JSON.parse(JSON.stringify(thresholds), (key, value) =>
    key === 'delayAbortEval' ? goSeconds(value) : value,
  );
}

/** The parts of a scenario that carry the load, durations in seconds. */
function shape(s: Record<string, unknown>) {
  const stages = (s.stages as { duration: string; target: number }[] | undefined)?.map((st) => ({
    d: goSeconds(st.duration),
    target: st.target,
  }));
  return {
    executor: s.executor,
    start: goSeconds(s.startTime),
    timeUnit: s.timeUnit === undefined ? undefined : goSeconds(s.timeUnit),
    duration: s.duration === undefined ? undefined : goSeconds(s.duration),
    rate: s.rate,
    startRate: s.startRate,
    startVUs: s.startVUs,
    preAllocatedVUs: s.preAllocatedVUs,
    maxVUs: s.maxVUs,
    stages,
  };
}

describe('shipped scenarios under plain `k6 run scenarios/<roadmap>.ts`', () => {
  const tiers = BUILTIN_ROADMAPS.flatMap((r) => r.tiers.map((t) => ({ roadmap: r, tier: t })));

  it.each(tiers.map((x) => [x.roadmap.id, x.tier.id, x] as const))(
    '%s %s: options come from the same tier definition',
    async (roadmapId, tierId, { tier }) => {
      const target = 'http://127.0.0.1:9';
      const inspected = await inspect(`scenarios/${roadmapId}.ts`, {
        TIERGATE_TIER: tierId,
        BASE_URL: target,
      });
      const expected = compileOptions(planTier(tier, { roadmap: roadmapId, target }), {
        abortOnFail: true,
      }).options;
      // The stand-in prints the options as the script exported them: validated as the script
      // wrote them. A real k6 prints its own consolidated options, having accepted them itself.
      if (!realK6) {
        expect(validateOptions(inspected, { sequential: true }).map(formatProblem)).toEqual([]);
      }
      expect(thresholdsInSeconds(inspected.thresholds)).toEqual(
        thresholdsInSeconds(expected.thresholds),
      );
      expect(Object.keys(inspected.scenarios).sort()).toEqual(
        Object.keys(expected.scenarios).sort(),
      );
      for (const [name, s] of Object.entries(expected.scenarios)) {
        expect(shape(inspected.scenarios[name]!)).toEqual(
          shape(s as unknown as Record<string, unknown>),
        );
      }
    },
    30_000,
  );

  it('says what is missing or wrong in the -e variables', async () => {
    const fail = (script: string, vars: Record<string, string>) =>
      inspect(script, vars).then(
        () => '',
        (e: { stderr: string }) => e.stderr,
      );
    expect(await fail('scenarios/ecommerce.ts', { BASE_URL: 'http://x' })).toMatch(
      /set -e TIERGATE_TIER=<one of 1k, 10k/,
    );
    expect(await fail('scenarios/ecommerce.ts', { TIERGATE_TIER: '10k' })).toMatch(
      /set -e BASE_URL/,
    );
    expect(
      await fail('scenarios/ecommerce.ts', { TIERGATE_ROADMAP: 'zero-world', TIERGATE_TIER: '1m' }),
    ).toMatch(/runs the ecommerce roadmap's journey/);
    expect(await fail('scenarios/journey.ts', { TIERGATE_PLAN: 'plan.json' })).toMatch(
      /must be an absolute path/,
    );
  });
});

describe('exportK6Script', () => {
  it('writes a self-contained script k6 runs as is, with its options and plan', async () => {
    const server = await startServer();
    const moved = await startServer();
    try {
      const plan = planAdhoc({ url: `${server.url}/hello`, rate: 20, durationS: 2 });
      const [script, options, planFile] = await exportK6Script(plan, join(scratch, 'export'));
      expect(script).toMatch(/tiergate-adhoc\.js$/);
      const written = JSON.parse(await readFile(options!, 'utf8'));
      expect(validateOptions(written, { sequential: true }).map(formatProblem)).toEqual([]);
      expect(written.scenarios.steady).toMatchObject({
        executor: 'constant-arrival-rate',
        rate: 20,
      });
      // The options are written out at the top of the script, for a k6 user to edit.
      const source = await readFile(script!, 'utf8');
      const literal = /^export const options = (\{[\s\S]*?\n\});$/m.exec(source)?.[1];
      expect(JSON.parse(literal ?? 'null')).toEqual(written);
      expect(source.indexOf('export const options')).toBeLessThan(source.indexOf('import '));
      await run(k6.path, ['run', '--quiet', script!], { cwd: scratch, env });
      expect(Math.abs(server.received - 40)).toBeLessThanOrEqual(1);
      // BASE_URL in the environment sends the same load to another target.
      const before = server.received;
      await run(k6.path, ['run', '--quiet', script!], {
        cwd: scratch,
        env: { ...env, BASE_URL: `${moved.url}/` },
      });
      expect(server.received).toBe(before);
      expect(Math.abs(moved.received - 40)).toBeLessThanOrEqual(1);
      // The generic script runs the same plan from its file.
      const viaPlan = await inspect('scenarios/journey.ts', { TIERGATE_PLAN: planFile! });
      expect(viaPlan.scenarios.steady).toMatchObject({ rate: 20, timeUnit: '1s' });
    } finally {
      await Promise.all([server.close(), moved.close()]);
    }
  });
});
