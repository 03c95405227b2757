// `--prove` through the real CLI: the plan lengthens its steady stage until the tier's
// objectives can be proven, and says so (under a game day: the part before its first fault);
// the quick start run with it is longer and passes, every objective proven.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, tiergate } from './helpers/cli.ts';

const tier = ['--roadmap', 'ecommerce', '--tier', '10k', '--target', 'demo', '--duration', '60s'];

describe('--prove', () => {
  it('plan: the steady stage grows from 40 s to 126 s and every objective can be proven', async () => {
    const plain = await tiergate(['plan', ...tier]);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).toMatch(/~1,000 in steady: too few to prove it \(≥ 2,995 needed/);
    const r = await tiergate(['plan', ...tier, '--prove']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/peak\s+25\.0 req\/s over 2\.43m/);
    expect(r.stdout).toMatch(/16s \+2\.1m\s+25\.0 → 25\.0 req\/s\s+← steady window/);
    expect(r.stdout).toMatch(/--prove: the steady stage is 126 s instead of 40 s/);
    expect(r.stdout).not.toMatch(/too few to prove it/);
    expect(r.stdout).toMatch(/~3,150 in steady: can prove it \(≥ 2,995 needed\)/);
  });

  const results = mkdtempSync(join(tmpdir(), 'tiergate-prove-'));
  afterAll(() => rmSync(results, { recursive: true, force: true }));

  it('run: the quick start with --prove lasts 146 s and passes with every objective proven', async () => {
    const r = await tiergate(['run', ...tier, '--prove', '--quiet', '--results-dir', results], {
      timeoutMs: 240_000,
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/--prove: the steady stage is 126 s instead of 40 s/);
    expect(r.stdout).toMatch(
      /availability >= 99\.9%\s+steady\s+100%\s+99\.9%\s+≥ 99\.9\d*%\s+PASS\s+3,1\d\d/,
    );
    expect(r.stdout).not.toMatch(/UNPROVEN/);
    expect(r.stdout).toMatch(/Gate: PASS — all 4 objectives met/);
  }, 300_000);

  it('run --gameday --prove: the steady state before the first fault is made long enough to prove', async () => {
    // The run itself would take 6.65 min: read its plan, then stop it as a user would (Ctrl-C).
    const child = spawn(
      process.execPath,
      [BIN, 'run', ...tier, '--gameday', 'network-latency', '--prove', '--results-dir', results],
      { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    const collect = (d: Buffer) => {
      out += d.toString();
      if (/steady; latency in/.test(out)) child.kill('SIGINT');
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const code = await new Promise<number | null>((done) => child.on('exit', done));
    expect(code, out).toBe(130);
    // A third of the steady stage precedes the fault: 126 s at 25 req/s, 3,150 requests.
    expect(out).toMatch(
      /--prove: the steady stage is 379 s instead of 40 s, so that the steady state before the game day's first fault can prove its objectives/,
    );
    expect(out).toMatch(/steady state 16s–142s, then latency at 142s for 20s/);
    expect(out).toMatch(/~3,150 in steady: can prove it \(≥ 2,995 needed\)/);
    expect(out).not.toMatch(/too few to prove it/);
  }, 60_000);
});
