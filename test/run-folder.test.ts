// The run folder through the real CLI: run ids are names (never paths), a used id is refused
// unless --force, a run in progress holds its folder, and a results folder that cannot be
// written is one line — before any load when it is read-only, after the load (exit 3, and a
// run.json that says so) when the disk fills up. Real HTTP server on 127.0.0.1, real tmpfs.
import { execFileSync, spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statfsSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BIN, type CliResult, tiergate } from './helpers/cli.ts';
import { startServer, type TestServer } from './helpers/servers.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

const mounts: string[] = [];
afterEach(() => {
  for (let m = mounts.pop(); m; m = mounts.pop()) execFileSync('umount', [m]);
});

/** A small tmpfs of its own (tests run as root here and in CI), unmounted after the test. */
function tmpfs(sizeKb: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'tiergate-tmpfs-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKb}k`, 'tmpfs', dir]);
  mounts.push(dir);
  return dir;
}

const adhoc = (results: string, runId: string, duration = '1s', ...more: string[]) => [
  'run',
  '--target',
  `${server.url}/`,
  '--rate',
  '10',
  '--duration',
  duration,
  '--slo',
  'p99<1s',
  '--results-dir',
  results,
  '--run-id',
  runId,
  ...more,
];

const noStack = (r: CliResult) => {
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.stderr).not.toMatch(/internal error/);
};

/** A run in the background; `stderr` grows as it prints (its plan comes just before the load). */
function background(args: string[], cwd?: string) {
  const child = spawn(process.execPath, [BIN, ...args], {
    ...(cwd ? { cwd } : {}),
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  const out = { stderr: '' };
  child.stderr.on('data', (d: Buffer) => (out.stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const loading = () => waitFor(() => out.stderr.includes('Plan:'), 20_000);
  return { child, out, exited, loading };
}

async function waitFor(check: () => boolean, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('--run-id', () => {
  it('is a name, not a path: ../, .., absolute, a/b and 300 characters are exit 2 before any load', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tiergate-runid-'));
    const results = join(dir, 'a', 'results');
    const before = server.received;
    for (const id of ['../../escaped', '..', join(dir, 'abs'), 'a/b', 'x'.repeat(300), '']) {
      const r = await tiergate(adhoc(results, id), { cwd: dir });
      expect(r.code, `${id}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(/--run-id .* is not a run id/);
      noStack(r);
    }
    expect(server.received).toBe(before);
    expect(existsSync(join(dir, 'escaped'))).toBe(false);
    expect(existsSync(join(dir, 'abs'))).toBe(false);
    expect(existsSync(results)).toBe(false);
  });

  it('a used id is refused (exit 2) and its run kept; --force replaces it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tiergate-runid-'));
    const results = join(dir, 'results');
    expect((await tiergate(adhoc(results, 'nightly'), { cwd: dir })).code).toBe(0);
    const first = readFileSync(join(results, 'nightly', 'run.json'), 'utf8');
    const before = server.received;
    const again = await tiergate(adhoc(results, 'nightly'), { cwd: dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/run folder .*nightly already exists: --run-id nightly was used/);
    expect(again.stderr).toMatch(/--force/);
    noStack(again);
    expect(server.received).toBe(before);
    expect(readFileSync(join(results, 'nightly', 'run.json'), 'utf8')).toBe(first);
    const forced = await tiergate(adhoc(results, 'nightly', '1s', '--force'), { cwd: dir });
    expect(forced.code, forced.stderr).toBe(0);
    const second = JSON.parse(readFileSync(join(results, 'nightly', 'run.json'), 'utf8'));
    expect(second.startedAt).not.toBe(JSON.parse(first).startedAt);
    expect(readdirSync(join(results, 'nightly'))).not.toContain('run.lock');
  });

  it('two runs with the same id at once: the second is refused while the first holds the lock', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tiergate-runid-'));
    const results = join(dir, 'results');
    const run1 = background(adhoc(results, 'twice', '4s'), dir);
    const first = run1.child;
    const exited = run1.exited;
    await run1.loading();
    // Even --force does not take a folder from a live run.
    const second = await tiergate(adhoc(results, 'twice', '1s', '--force'), { cwd: dir });
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(
      new RegExp(`run twice is in progress \\(process ${first.pid} holds .*run\\.lock\\)`),
    );
    noStack(second);
    const code = await exited;
    const run = JSON.parse(readFileSync(join(results, 'twice', 'run.json'), 'utf8'));
    // The first run is untouched by the second (its verdict may be inconclusive, exit 4, when
    // the second's start-up takes the CPU from its generator on a small machine).
    expect(run.complete).toBe(true);
    expect(code).toBe(run.exitCode);
    expect(run.plan.durationS).toBe(4);
  });

  it('a lock left by a SIGKILLed run is stale: --force takes the folder over', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tiergate-runid-'));
    const results = join(dir, 'results');
    const victim = background(adhoc(results, 'killed', '30s'), dir);
    await victim.loading();
    await new Promise((r) => setTimeout(r, 1000));
    victim.child.kill('SIGKILL');
    await victim.exited;
    const plain = await tiergate(adhoc(results, 'killed'), { cwd: dir });
    expect(plain.code).toBe(2);
    expect(plain.stderr).toMatch(/already exists/);
    const forced = await tiergate(adhoc(results, 'killed', '1s', '--force'), { cwd: dir });
    expect(forced.code, forced.stderr).toBe(0);
  });
});

describe('results folder write errors', () => {
  it('read-only: one line with the path and EROFS, exit 2, before any load', async () => {
    const mount = tmpfs(256);
    execFileSync('mount', ['-o', 'remount,ro', mount]);
    const before = server.received;
    const r = await tiergate(adhoc(join(mount, 'results'), 'ro'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `tiergate: cannot write ${join(mount, 'results')}: EROFS (read-only file system)`,
    );
    expect(r.stderr).toMatch(/fix: the filesystem is read-only: pass --results-dir/);
    noStack(r);
    expect(server.received).toBe(before);
  });

  it('a file in the way of the results folder: exit 2 naming it, before any load', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tiergate-runid-'));
    writeFileSync(join(dir, 'results'), 'not a folder');
    const before = server.received;
    const r = await tiergate(adhoc(join(dir, 'results'), 'x'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/tiergate: cannot write .*results(\/x)?: (EEXIST|ENOTDIR)/);
    noStack(r);
    expect(server.received).toBe(before);
  });

  it('disk full after the load: one line naming report.html and ENOSPC, exit 3, and run.json says errored', async () => {
    const mount = tmpfs(512);
    const results = join(mount, 'results');
    const run = background(adhoc(results, 'full', '3s'));
    await run.loading();
    // Leave room for run.json (a few KB) but not for report.html (~70 KB).
    const fs = statfsSync(mount);
    writeFileSync(join(mount, 'filler'), Buffer.alloc(fs.bavail * fs.bsize - 48 * 1024));
    const code = await run.exited;
    const { stderr } = run.out;
    expect(code, stderr).toBe(3);
    expect(stderr).toMatch(
      /tiergate: cannot write \S+\/full\/report\.html: ENOSPC \(no space left on device\)/,
    );
    expect(stderr).toMatch(/fix: free some disk space/);
    noStack({ code, stdout: '', stderr });
    const stored = JSON.parse(readFileSync(join(results, 'full', 'run.json'), 'utf8'));
    expect(stored.exitCode).toBe(3);
    expect(stored.outcome.state).toBe('errored');
    expect(stored.outcome.reason).toMatch(/results not written: cannot write .*ENOSPC/);
    // No report of a verdict the process did not exit with.
    expect(readdirSync(join(results, 'full')).sort()).toEqual(['run.json']);
  });
});

describe('disk full with no room even for run.json', () => {
  it('exit 3 with one line; no run.json claims a pass', async () => {
    const mount = tmpfs(512);
    const results = join(mount, 'results');
    mkdirSync(results);
    const run = background(adhoc(results, 'nospace', '3s'));
    await run.loading();
    const fs = statfsSync(mount);
    writeFileSync(join(mount, 'filler'), Buffer.alloc(fs.bavail * fs.bsize));
    const code = await run.exited;
    const { stderr } = run.out;
    expect(code, stderr).toBe(3);
    expect(stderr).toMatch(/tiergate: cannot write \S+: ENOSPC/);
    expect(stderr).not.toMatch(/\n\s+at |internal error/);
    const file = join(results, 'nospace', 'run.json');
    if (existsSync(file)) {
      const run = JSON.parse(readFileSync(file, 'utf8'));
      expect(run.complete === false || run.exitCode === 3).toBe(true);
    }
  });
});
