// A shipped tier under the k6 under test through the CLI: passes against the demo, fails with exit 1 and
// the broken objective named when the demo's capacity is turned down, and a rollback trigger
// stops k6 early.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tiergate } from './helpers/cli.ts';
import { k6Env } from './helpers/k6.ts';
import { expectMet } from './helpers/verdicts.ts';

const work = () => mkdtempSync(join(tmpdir(), 'tiergate-k6-tier-'));

describe('ecommerce/10k under --engine k6', () => {
  const args = (dir: string) => [
    'run',
    '--engine',
    'k6',
    '--roadmap',
    'ecommerce',
    '--tier',
    '10k',
    '--target',
    'demo',
    '--duration',
    '15s',
    '--results-dir',
    join(dir, 'results'),
    '--summary-json',
    join(dir, 's.json'),
  ];

  it('passes against the demo', async () => {
    const dir = work();
    const r = await tiergate(args(dir), { cwd: dir, env: k6Env() });
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(readFileSync(join(dir, 's.json'), 'utf8'));
    expect(s.engine).toBe('k6');
    expectMet(s.verdict, s.objectives);
  });

  it('fails with exit 1 and names the objective when the demo is too small', async () => {
    const dir = work();
    const r = await tiergate([...args(dir), '--demo-capacity', '10'], { cwd: dir, env: k6Env() });
    // The broken objective is named either way. k6 lazily grows its VU pool, and against a
    // target far beyond capacity it can drop more than the 1 % budget of arrivals while it
    // does: then the run is inconclusive (exit 4), not failed — never a pass.
    expect(r.stdout).toMatch(/✗ checkout p95 [\d.]+ s > 1\.5 s/);
    expect([1, 4], r.stderr).toContain(r.code);
    if (r.code === 4) expect(r.stdout).toMatch(/could not be sent on time/);
  });
});

describe('rollback trigger under --engine k6', () => {
  it('a target that turns to errors makes the run stop early with the trigger named, exit 1', async () => {
    const dir = work();
    // The demo answers 500 to 40 % of requests: error_rate <= 5% over 3 s, held 2 s, armed after 2 s.
    const r = await tiergate(
      [
        'run',
        '--engine',
        'k6',
        '--target',
        'demo',
        '--path',
        '/products',
        '--rate',
        '40',
        '--duration',
        '30s',
        '--demo-error-rate',
        '0.4',
        '--summary-json',
        join(dir, 's.json'),
        '--results-dir',
        join(dir, 'results'),
        '--slo',
        'error_rate<50%',
        '--trigger',
        'error_rate<=5%:3s:2s:2s',
      ],
      { cwd: dir, env: k6Env() },
    );
    expect(r.code, r.stderr).toBe(1);
    const s = JSON.parse(readFileSync(join(dir, 's.json'), 'utf8'));
    expect(s.verdict).toBe('aborted');
    expect(s.abortedBy).toMatch(/error_rate/);
    expect(s.durationS).toBeLessThan(15);
  });
});
