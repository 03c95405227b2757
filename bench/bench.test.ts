// The --quick bench end to end: nginx, the local engine, autocannon and wrk on this machine, and
// k6 when K6_BIN names one (else it says k6 was not measured and leaves out every ratio to k6),
// bounded in time; its results JSON has every headline figure as a finite number. The stand-in
// is never benchmarked as k6.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { nodeArgsFor } from '../core/own-modules.ts';
import { realK6, STANDIN_K6 } from '../test/helpers/k6.ts';
import { benchK6 } from './peers/k6.ts';

const RUN = new URL('./run.ts', import.meta.url);
const LIMIT_MS = 120_000;

const REQUIRED = [
  'localVsAutocannonThroughputRatio',
  'localLatencyOverheadP50Us',
  'rssMbAt1M',
  'rssMbAt10M',
  'k6IngestLinesPerSec',
  'gateEvalMs',
] as const;

const RATIOS = [
  'localVsAutocannonThroughputRatio',
  'localClosedVsAutocannonRatio',
  'localVsWrkThroughputRatio',
] as const;

function runBench(dir: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [...nodeArgsFor(RUN), fileURLToPath(RUN), '--quick', '--results-dir', dir],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGINT');
      reject(new Error(`bench --quick did not finish in ${LIMIT_MS} ms\n${stderr}`));
    }, LIMIT_MS);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

let dir: string | undefined;
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('npm run bench -- --quick', () => {
  it(
    'measures every figure side by side and writes the results',
    async () => {
      dir = await mkdtemp(join(tmpdir(), 'tiergate-bench-test-'));
      const { code, stdout, stderr } = await runBench(dir);
      expect(code, stderr).toBe(0);
      const results = JSON.parse(await readFile(join(dir, 'latest.json'), 'utf8')) as Record<
        string,
        unknown
      >;
      expect(results.mode).toBe('quick');
      for (const key of [...REQUIRED, ...RATIOS]) {
        expect(typeof results[key], key).toBe('number');
        expect(Number.isFinite(results[key]), `${key} = ${results[key]}`).toBe(true);
      }
      for (const key of RATIOS) expect(results[key] as number, key).toBeGreaterThan(0);
      const versions = results.versions as Record<string, string>;
      for (const peer of ['wrk', 'autocannon', 'nginx', 'node']) {
        expect(versions[peer], peer).toMatch(/\d+\.\d+/);
      }
      expect(await readFile(join(dir, 'latest.md'), 'utf8')).toBe(stdout);
      expect(stdout).toMatch(/\| Open-model rate held, 1 core \|/);
      expect(stdout).toMatch(/### Targets/);
      if (realK6) {
        expect(results.k6).toEqual({ measured: true });
        expect(results.localVsK6RateRatio as number).toBeGreaterThan(0);
        expect(versions.k6).toMatch(/\d+\.\d+/);
        expect(stdout).toMatch(/vs k6/);
      } else {
        const why = 'set K6_BIN=<path to your k6> to measure k6';
        expect(results.k6).toEqual({ measured: false, why });
        expect(results.localVsK6RateRatio).toBeUndefined();
        expect(results.k6SustainedRps).toBeUndefined();
        expect(versions.k6).toBeUndefined();
        expect((results.raw as Record<string, unknown>).comparable).toBeUndefined();
        expect(stdout).toContain(`k6 not measured: ${why}.`);
        expect(stdout).not.toMatch(/vs k6|Same bar as k6|Peak RSS, same load/);
        expect(stderr).toContain(`k6: not measured: ${why}`);
      }
    },
    LIMIT_MS + 10_000,
  );
});

describe('the k6 the bench measures', () => {
  it('is none without K6_BIN, whatever k6 is on PATH', async () => {
    expect(await benchK6({ PATH: process.env.PATH })).toEqual({
      measured: false,
      why: 'set K6_BIN=<path to your k6> to measure k6',
    });
  });

  it("is never tiergate's test stand-in, even when K6_BIN names it", async () => {
    const peer = await benchK6({ K6_BIN: STANDIN_K6 });
    expect(peer.measured).toBe(false);
    expect(peer.measured ? '' : peer.why).toMatch(/K6_BIN names tiergate's test stand-in, not k6/);
  });
});
