// The CLI end to end: the README's quick start passing and failing, the usage and run errors,
// with exit codes checked. Real processes, the real demo service, 127.0.0.1 only.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, tiergate } from './helpers/cli.ts';
import { expectMet } from './helpers/verdicts.ts';

const work = () => mkdtempSync(join(tmpdir(), 'tiergate-cli-'));

/** The README's quick start (shortened), with more flags. */
const quickStart = (duration: string, ...more: string[]) => [
  'run',
  '--roadmap',
  'ecommerce',
  '--tier',
  '10k',
  '--target',
  'demo',
  '--duration',
  duration,
  ...more,
];

describe('tiergate run (quick start)', () => {
  it('passes the ecommerce 10k tier against the demo and writes the results folder', async () => {
    const dir = work();
    const r = await tiergate(
      quickStart(
        '20s',
        '--results-dir',
        join(dir, 'results'),
        '--run-id',
        'pass',
        '--summary-json',
        join(dir, 'summary.json'),
      ),
      { cwd: dir },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('Plan: ecommerce / 10k');
    // 20 s meet every objective but cannot prove 99.9 % availability: WARN, exit 0.
    expect(r.stdout).toMatch(/Gate: WARN — \d of \d+ objectives met but unproven/);
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    expect(summary.verdict).toBe('warn');
    expectMet(summary.verdict, summary.objectives);
    expect(summary.exitCode).toBe(0);
    // What the run cannot prove fails under --strict.
    const strict = await tiergate(['gate', join(dir, 'results', 'pass'), '--strict'], { cwd: dir });
    expect(strict.code, strict.stderr).toBe(1);
    expect(strict.stdout).toMatch(
      /availability 100% meets >= 99\.9%, unproven: proving it needs ≥ 2,995 requests/,
    );
    expect(summary.requests).toBeGreaterThan(200);
    expect(summary.errors).toBe(0);
    expect(summary.dropped).toBe(0);
    expect(summary.latencyMs.p95).toBeGreaterThan(0);
    expect(summary.objectives.length).toBeGreaterThan(2);
    expect(readdirSync(join(dir, 'results', 'pass')).sort()).toEqual(
      expect.arrayContaining(['junit.xml', 'latency.hlog', 'run.json', 'summary.md']),
    );
  });

  it('runs the quick start with a game day in the steady stage: the fault shows, then recovers', async () => {
    const dir = work();
    const r = await tiergate(
      quickStart(
        '30s',
        '--gameday',
        'network-latency',
        '--results-dir',
        join(dir, 'results'),
        '--summary-json',
        join(dir, 's.json'),
      ),
      { cwd: dir },
    );
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(readFileSync(join(dir, 's.json'), 'utf8'));
    expectMet(s.gameDayVerdict, s.objectives);
    // The steady state is judged on the ramp's steady stage, not on the ramp-up before it.
    expect(s.windows.steady.startS).toBeGreaterThan(0);
    expect(s.windows.fault.startS).toBeGreaterThan(s.windows.steady.startS);
    expect(s.windows.fault.latencyMs.p50 - s.windows.steady.latencyMs.p50).toBeGreaterThan(150);
    expect(s.windows.recovery.latencyMs.p50).toBeLessThan(s.windows.steady.latencyMs.p50 + 20);
    expect(s.faults).toHaveLength(1);
    expect(s.faults[0].recovered).toBe(true);
    expect(r.stderr).toMatch(/game day network-latency in the steady stage/);

    const k8s = await tiergate(quickStart('30s', '--gameday', 'cpu-stress'));
    expect(k8s.code).toBe(2);
    expect(k8s.stderr).toMatch(/cpu-stress is Kubernetes only/);
    const typo = await tiergate(quickStart('30s', '--gameday', 'network-latncy'));
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/did you mean network-latency/);
  });

  it('fails the same tier with exit 1 when the demo has too little capacity, naming the objective', async () => {
    const dir = work();
    const r = await tiergate(
      quickStart(
        '20s',
        '--demo-capacity',
        '10',
        '--results-dir',
        join(dir, 'results'),
        '--summary-json',
        join(dir, 's.json'),
      ),
      { cwd: dir },
    );
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/FAIL/);
    const summary = JSON.parse(readFileSync(join(dir, 's.json'), 'utf8'));
    expect(summary.verdict === 'fail' || summary.verdict === 'aborted').toBe(true);
    const failed = summary.objectives.filter((o: { status: string }) => o.status === 'fail');
    expect(failed.length + (summary.abortedBy ? 1 : 0)).toBeGreaterThan(0);
    expect(r.stdout).toMatch(/> [\d.]+ \S+ \(\+\d+%\)/);
  });
});

describe('tiergate run (ad-hoc) and errors', () => {
  it('exits 3 with one line when the target refuses connections', async () => {
    const r = await tiergate([
      'run',
      '--target',
      'http://127.0.0.1:9/',
      '--rate',
      '10',
      '--duration',
      '2s',
      '--quiet',
    ]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/unreachable: connection refused/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 2 naming the flag for bad usage, and runs nothing', async () => {
    const r = await tiergate(['run', '--target', 'demo', '--rate', 'fast', '--duration', '2s']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--rate "fast" is not valid/);
    const slo = await tiergate([
      'run',
      '--target',
      'demo',
      '--rate',
      '5',
      '--duration',
      '2s',
      '--slo',
      'p99<3',
    ]);
    expect(slo.code).toBe(2);
    expect(slo.stderr).toMatch(/latency limits need a unit/);
  });

  it('exits 2 naming the field of an invalid config file', async () => {
    const dir = work();
    writeFileSync(
      join(dir, 'tiergate.yaml'),
      'roadmaps:\n  - id: x\n    name: X\n    description: d\n    seeds: []\n    tiers:\n      - id: t\n        name: T\n        load: { rps: 5 }\n        stages: [{ duration: "5 minutes", target: 1, steady: true }]\n        journey: { name: j, requests: [{ name: a, path: / }] }\n        objectives: []\n',
    );
    const r = await tiergate(['tiers'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/stages\[0\]\.duration/);
    expect(r.stderr).toMatch(/5 minutes/);
  });

  it('runs an ad-hoc constant rate against the demo with --slo and reports it', async () => {
    const dir = work();
    const r = await tiergate(
      [
        'run',
        '--target',
        'demo',
        '--path',
        '/health',
        '--rate',
        '50',
        '--duration',
        '4s',
        '--slo',
        'p99<300ms',
        '--slo',
        'error_rate<1%',
        '--results-dir',
        join(dir, 'results'),
        '--summary-json',
        join(dir, 's.json'),
      ],
      { cwd: dir },
    );
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(readFileSync(join(dir, 's.json'), 'utf8'));
    expect(summary.requests).toBe(200);
    expect(summary.targetRps).toBe(50);
    expect(summary.objectives.map((o: { expression: string }) => o.expression)).toEqual([
      'p99 < 300 ms',
      'error_rate < 1%',
    ]);
  });
});

describe('tiergate tiers, plan, gate, --help', () => {
  it('lists roadmaps and shows a tier with its citations', async () => {
    const list = await tiergate(['tiers']);
    expect(list.code).toBe(0);
    for (const id of ['ecommerce', 'zero-world', 'bookedbarber', 'ai-platform'])
      expect(list.stdout).toContain(id);
    const tier = await tiergate(['tiers', 'ecommerce', '10k']);
    expect(tier.code).toBe(0);
    expect(tier.stdout).toMatch(/002_c7c80fd92324b3a9\.txt:\d+/);
    expect(tier.stdout).toMatch(/25\.0 req\/s/);
  });

  it('plans without sending a request, and refuses a tier beyond one machine', async () => {
    const plan = await tiergate([
      'plan',
      '--roadmap',
      'ecommerce',
      '--tier',
      '10k',
      '--duration',
      '60s',
    ]);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toMatch(/steady window/);
    const big = await tiergate([
      'run',
      '--roadmap',
      'bookedbarber',
      '--tier',
      'target',
      '--target',
      'demo',
    ]);
    expect(big.code).toBe(2);
    expect(big.stderr).toMatch(/k6-operator/);
    const adhoc = await tiergate([
      'run',
      '--rate',
      '90000',
      '--duration',
      '5s',
      '--target',
      'http://127.0.0.1:9',
    ]);
    expect(adhoc.code).toBe(2);
    expect(adhoc.stderr).toContain('tiergate: ad-hoc run: peak 90,000 req/s is beyond');
    expect(adhoc.stderr).toContain('--workers N');
  });

  it('stops writing quietly when the reader closes the pipe (`tiergate tiers | head -1`)', async () => {
    const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [BIN, 'tiers', 'ecommerce', '10k'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      // Like `head -1` that has read its line: the pipe is closed before tiergate writes.
      child.stdout.destroy();
      child.on('exit', (code) => resolve({ code, stderr }));
    });
    expect(r.stderr).not.toMatch(/EPIPE|Unhandled/);
    expect(r.code).toBe(0);
  });

  it('has --help for every command', async () => {
    for (const cmd of ['run', 'plan', 'tiers', 'gate', 'demo']) {
      const r = await tiergate([cmd, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/Usage: tiergate/);
    }
  });
});

describe('tiergate gate with a baseline', () => {
  it('re-evaluates a stored run against a pinned baseline and flags the regression', async () => {
    const dir = work();
    const results = join(dir, 'results');
    const adhoc = [
      'run',
      '--target',
      'demo',
      '--path',
      '/products',
      '--rate',
      '40',
      '--duration',
      '4s',
      '--results-dir',
      results,
      '--slo',
      'p95<=2x baseline',
    ];
    const fast = await tiergate([...adhoc, '--run-id', 'fast', '--demo-service-time', '5'], {
      cwd: dir,
    });
    // Without a baseline the relative objective has nothing to compare with: it fails closed.
    expect(fast.code).toBe(1);
    expect(fast.stdout).toMatch(/no baseline run given/);
    const slow = await tiergate([...adhoc, '--run-id', 'slow', '--demo-service-time', '40'], {
      cwd: dir,
    });
    expect(slow.code).toBe(1);
    const s = join(dir, 's.json');
    const regressed = await tiergate([
      'gate',
      join(results, 'slow'),
      '--baseline',
      join(results, 'fast'),
      '--summary-json',
      s,
    ]);
    expect(regressed.code).toBe(1);
    const summary = JSON.parse(readFileSync(s, 'utf8'));
    const o = summary.objectives[0];
    expect(o.status).toBe('fail');
    expect(o.baseline).toBeGreaterThan(4);
    expect(o.baseline).toBeLessThan(20);
    expect(o.limit).toBeCloseTo(2 * o.baseline, 6);
    expect(o.observed).toBeGreaterThan(40);
    const same = await tiergate([
      'gate',
      join(results, 'fast', 'run.json'),
      '--baseline',
      join(results, 'fast'),
    ]);
    expect(same.code).toBe(0);
  });
});
