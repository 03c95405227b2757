// `tiergate gate` on stored runs: a run killed mid-way (SIGKILL, no cleanup) is never a pass,
// its checkpoint is there from the first second, and re-gating a finished game day keeps every
// objective the run was judged on. Real CLI, real servers on 127.0.0.1.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, tiergate } from './helpers/cli.ts';
import { startServer, type TestServer } from './helpers/servers.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const runJson = (dir: string) => JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));

describe('tiergate gate on a stored run', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  it('a SIGKILLed run leaves a checkpoint within seconds, and gating it is exit 3, never a pass', async () => {
    const root = mkdtempSync(join(tmpdir(), 'tiergate-killed-'));
    const dir = join(root, 'killed');
    const child = spawn(
      process.execPath,
      [
        BIN,
        ...['run', '--target', server.url, '--rate', '20', '--duration', '20s'],
        ...['--slo', 'p99<300ms', '--quiet', '--results-dir', root, '--run-id', 'killed'],
      ],
      { stdio: 'ignore', env: { ...process.env, NO_COLOR: '1' } },
    );
    const exited = new Promise((r) => child.once('exit', r));
    const startedAt = Date.now();
    while (!existsSync(join(dir, 'run.json')) && Date.now() - startedAt < 15_000) await sleep(100);
    // One more second of load, so the checkpoint holds requests that all passed the objective.
    await sleep(1500);
    const firstCheckpointS = (Date.now() - startedAt) / 1000;
    child.kill('SIGKILL');
    await exited;

    const stored = runJson(dir);
    expect(stored.complete).toBe(false);
    const r = await tiergate(['gate', dir, '--summary-json', join(root, 's.json')]);
    expect(r.code, r.stdout + r.stderr).toBe(3);
    expect(r.stdout).not.toMatch(/Gate: PASS/);
    expect(r.stdout).toMatch(/Gate: INCONCLUSIVE/);
    expect(r.stdout).toMatch(/the run did not finish/);
    const summary = JSON.parse(readFileSync(join(root, 's.json'), 'utf8'));
    expect(summary.exitCode).toBe(3);
    expect(summary.verdict).toBe('errored');
    // The checkpoint itself says the run had not finished.
    expect(stored.outcome.state).toBe('errored');
    expect(stored.exitCode).toBe(3);
    // Checkpointed from the first second, not the tenth (the CLI's start-up counts in this).
    expect(firstCheckpointS).toBeLessThan(8);
  }, 60_000);

  it('re-gating a finished game day keeps every objective it was judged on, game-day ones included', async () => {
    const root = mkdtempSync(join(tmpdir(), 'tiergate-regate-'));
    const args = [
      ...['gameday', '--roadmap', 'ecommerce', '--tier', '10k', '--fault', 'network-latency'],
      ...['--target', 'demo', '--steady', '4s', '--hold', '3s', '--recovery', '5s', '--quiet'],
      ...['--results-dir', root, '--run-id', 'gd'],
    ];
    // Pass, fail or inconclusive (a busy machine's generator can fall behind): all re-gate alike.
    const ran = await tiergate(args);
    expect([0, 1, 4], ran.stderr).toContain(ran.code);
    const stored = runJson(join(root, 'gd'));
    const storedIds = stored.verdict.objectives.map((o: { id: string }) => o.id);
    expect(storedIds).toEqual(expect.arrayContaining(['chaos-p99', 'recovery-time']));

    const r = await tiergate(['gate', join(root, 'gd'), '--summary-json', join(root, 's.json')]);
    const summary = JSON.parse(readFileSync(join(root, 's.json'), 'utf8'));
    expect(summary.objectives.map((o: { id: string }) => o.id)).toEqual(storedIds);
    expect(summary.objectives.map((o: { status: string }) => o.status)).toEqual(
      stored.verdict.objectives.map((o: { status: string }) => o.status),
    );
    expect(r.code).toBe(ran.code);
  }, 120_000);
});
