// The --quick bench end to end: nginx, the local engine, k6, autocannon and wrk on this
// machine, bounded in time; its results JSON has every headline figure as a finite number.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { tsxExecArgv } from '../runner/tsx-loader.ts';

const RUN = fileURLToPath(new URL('./run.ts', import.meta.url));
const LIMIT_MS = 120_000;

const REQUIRED = [
  'localVsK6RateRatio',
  'localVsAutocannonThroughputRatio',
  'localLatencyOverheadP50Us',
  'rssMbAt1M',
  'rssMbAt10M',
  'k6IngestLinesPerSec',
  'gateEvalMs',
] as const;

const RATIOS = [
  'localVsK6RateRatio',
  'localVsAutocannonThroughputRatio',
  'localClosedVsAutocannonRatio',
  'localVsWrkThroughputRatio',
] as const;

function runBench(dir: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [...tsxExecArgv(), RUN, '--quick', '--results-dir', dir],
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
      for (const peer of ['k6', 'wrk', 'autocannon', 'nginx', 'node']) {
        expect(versions[peer], peer).toMatch(/\d+\.\d+/);
      }
      expect(await readFile(join(dir, 'latest.md'), 'utf8')).toBe(stdout);
      expect(stdout).toMatch(/\| Open-model rate held, 1 core \|/);
      expect(stdout).toMatch(/### Targets/);
    },
    LIMIT_MS + 10_000,
  );
});
