// `--prove` through the real CLI: the plan lengthens its steady stage until the tier's
// objectives can be proven, says so, and refuses to do it under a game day; the quick start
// run with it is longer and passes, every objective proven.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tiergate } from './helpers/cli.ts';

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

  it('run --gameday --prove is refused before anything runs (exit 2)', async () => {
    const r = await tiergate(['run', ...tier, '--gameday', 'network-latency', '--prove']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--prove lengthens the steady stage of a plain run/);
  });
});
