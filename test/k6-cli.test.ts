// `tiergate run --engine k6`: the k6 under test (K6_BIN, else the stand-in), several processes, one global gate.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tiergate } from './helpers/cli.ts';
import { k6Env } from './helpers/k6.ts';

describe('tiergate run --engine k6', () => {
  it('runs an ad-hoc rate on 2 k6 processes and merges them into one summary', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tiergate-k6-'));
    const r = await tiergate(
      [
        'run',
        '--engine',
        'k6',
        '--processes',
        '2',
        '--target',
        'demo',
        '--path',
        '/health',
        '--rate',
        '50',
        '--duration',
        '6s',
        '--slo',
        'error_rate<1%',
        '--quiet',
        '--results-dir',
        join(dir, 'results'),
        '--run-id',
        'k6',
        '--summary-json',
        join(dir, 's.json'),
      ],
      { cwd: dir, env: k6Env() },
    );
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(readFileSync(join(dir, 's.json'), 'utf8'));
    expect(summary.engine).toBe('k6');
    expect(summary.generators).toBe(2);
    expect(Math.abs(summary.requests - 300)).toBeLessThanOrEqual(3);
    expect(summary.errors).toBe(0);
    const run = JSON.parse(readFileSync(join(dir, 'results', 'k6', 'run.json'), 'utf8'));
    expect(run.engine.version).toMatch(/^v\d+\.\d+\.\d+/);
    expect(run.engineThresholds).toHaveLength(2);
    expect(r.stdout).toMatch(/k6 measures service time/);
  });
});
