// `tiergate run --engine k6`: the k6 under test (K6_BIN, else the stand-in), several processes, one global gate.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
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

describe('k6 options the validator refuses', () => {
  // 0.1 ms rounds to a 0s constant-arrival-rate duration, which k6 refuses.
  const tiny = ['--target', 'http://127.0.0.1:9', '--rate', '10', '--duration', '0.1ms'];
  const refused = /the plan's k6 options: scenarios\.steady\.duration: "0s" must be longer than 0s/;

  it('stop run --engine k6 before anything starts, even the search for k6 (exit 2)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tiergate-k6-'));
    const args = ['run', '--engine', 'k6', '--results-dir', join(dir, 'results'), ...tiny];
    const r = await tiergate(args, { cwd: dir, env: { K6_BIN: join(dir, 'no-k6-here') } });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(refused);
    expect(existsSync(join(dir, 'results'))).toBe(false);
  });

  it('stop k6 export before a file is written, and a k6-operator dry run (exit 2)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tiergate-k6-'));
    const exported = await tiergate(['k6', 'export', '--out', join(dir, 'out'), ...tiny]);
    expect(exported.code, exported.stderr).toBe(2);
    expect(exported.stderr).toMatch(refused);
    expect(existsSync(join(dir, 'out'))).toBe(false);
    const operator = ['--engine', 'k6-operator', '--parallelism', '1', '--namespace', 'load'];
    const prometheus = ['--prometheus-url', 'http://127.0.0.1:9', '--dry-run'];
    const dry = await tiergate(['run', ...operator, ...prometheus, ...tiny]);
    expect(dry.code, dry.stderr).toBe(2);
    expect(dry.stderr).toMatch(refused);
  });
});
