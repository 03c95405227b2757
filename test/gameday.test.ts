// Game days on a laptop, end to end through the real CLI: the demo's replicas behind the fault
// proxy, faults on the run's clock, windows, time to detect/recover, cleanup on every exit path.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readOpenFaults } from '../chaos/local/ledger.ts';
import { tiergate } from './helpers/cli.ts';
import { processState } from './helpers/process-state.ts';
import { expectMet } from './helpers/verdicts.ts';

const BIN = fileURLToPath(new URL('../bin/tiergate.js', import.meta.url));

function workDir() {
  const dir = mkdtempSync(join(tmpdir(), 'tiergate-gameday-'));
  return { dir, results: join(dir, 'results'), summary: join(dir, 's.json') };
}

const base = (fault: string, w: ReturnType<typeof workDir>, runId: string) => [
  'gameday',
  '--roadmap',
  'ecommerce',
  '--tier',
  '10k',
  '--target',
  'demo',
  '--fault',
  fault,
  '--rate',
  '60',
  '--results-dir',
  w.results,
  '--run-id',
  runId,
  '--summary-json',
  w.summary,
];

const readSummary = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

describe('tiergate gameday (local driver)', () => {
  it('latency fault: p95 in the fault window rises by the injected delay, then recovers', async () => {
    const w = workDir();
    const r = await tiergate(
      [...base('network-latency', w, 'lat'), '--steady', '8s', '--hold', '8s', '--recovery', '8s'],
      { cwd: w.dir },
    );
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const s = readSummary(w.summary);
    const faultP50 = s.windows.fault.latencyMs.p50;
    // 200 ms ± 50 ms jitter on every response: the fault window's median sits near 200 ms above steady.
    expect(faultP50 - s.windows.steady.latencyMs.p50).toBeGreaterThan(170);
    expect(faultP50 - s.windows.steady.latencyMs.p50).toBeLessThan(240);
    expect(s.windows.fault.latencyMs.p95).toBeGreaterThanOrEqual(200);
    // After removal latency returns: the recovery median is back near the steady one (medians,
    // because a 2-core machine running the target, proxy and generator has its own hiccups).
    expect(s.windows.recovery.latencyMs.p50).toBeLessThan(s.windows.steady.latencyMs.p50 + 10);
    expect(s.faults).toHaveLength(1);
    expect(s.faults[0].recovered).toBe(true);
    expect(s.faults[0].injectedAt).toBeGreaterThanOrEqual(8);
    expect(s.faults[0].injectedAt).toBeLessThan(8.5);
    // Recovery is immediate once the proxy stops delaying: the first good run starts within 2 s.
    expect(s.timeToRecoverS).not.toBeNull();
    expect(s.timeToRecoverS).toBeLessThanOrEqual(2);
    expectMet(s.gameDayVerdict, s.objectives);
    expect(r.stdout).toMatch(/time to recover/);
  });

  it('replica kill: errors spike while the killed replica is dropped, then traffic recovers', async () => {
    const w = workDir();
    const r = await tiergate(
      [...base('pod-kill', w, 'kill'), '--steady', '6s', '--hold', '6s', '--recovery', '8s'],
      { cwd: w.dir },
    );
    const s = readSummary(w.summary);
    expect(s.windows.steady.errors).toBe(0);
    // The proxy learns of the dead replica from refused connections (502s), then fails over to
    // the two live ones, retrying the dead address about once a second until it is restarted.
    expect(s.windows.fault.errors).toBeGreaterThan(0);
    expect(s.windows.fault.errors / s.windows.fault.requests).toBeLessThan(0.2);
    expect(s.windows.recovery.errors).toBe(0);
    expect(s.faults[0].recovered).toBe(true);
    // Verdict follows the objectives: the chaos error budget (≤ 5 %) holds, so it passes; the
    // tier's steady objectives were met before the fault.
    const budget = s.objectives.find((o: { id: string }) => o.id === 'chaos-error-budget');
    expect(budget.status).toBe(budget.observed <= 0.05 ? 'pass' : 'fail');
    expect(r.code).toBe(s.objectives.some((o: { status: string }) => o.status === 'fail') ? 1 : 0);
  });

  it('inconclusive: a target already failing before injection gets no fault injected', async () => {
    const w = workDir();
    const r = await tiergate(
      [
        ...base('network-latency', w, 'broken'),
        '--steady',
        '5s',
        '--hold',
        '3s',
        '--recovery',
        '3s',
        '--demo-error-rate',
        '0.3',
      ],
      { cwd: w.dir },
    );
    expect(r.code).toBe(4);
    const s = readSummary(w.summary);
    expect(s.verdict).toBe('inconclusive');
    expect(s.inconclusiveReasons.join(' ')).toMatch(/steady state was already broken/);
    expect(s.faults[0].injectedAt).toBeNull();
    expect(readOpenFaults(join(w.results, 'broken'))).toEqual([]);
    expect(existsSync(join(w.results, 'broken', 'faults.ledger.jsonl'))).toBe(false);
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} mid-fault: the fault is removed, the ledger says so, exit 130`, async () => {
      const w = workDir();
      const child = spawn(
        process.execPath,
        [
          BIN,
          ...base('network-latency', w, 'sig'),
          '--steady',
          '4s',
          '--hold',
          '30s',
          '--recovery',
          '5s',
        ],
        {
          cwd: w.dir,
          env: { ...process.env, NO_COLOR: '1' },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      const ledger = join(w.results, 'sig', 'faults.ledger.jsonl');
      await waitFor(
        () => existsSync(ledger) && readOpenFaults(join(w.results, 'sig')).length === 1,
        20_000,
      );
      await sleep(1000);
      child.kill(signal);
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect(code).toBe(130);
      expect(readOpenFaults(join(w.results, 'sig'))).toEqual([]);
      const run = JSON.parse(readFileSync(join(w.results, 'sig', 'run.json'), 'utf8'));
      expect(run.outcome.state).toBe('interrupted');
      expect(run.gameDay.faults[0].recovered).toBe(true);
      expect(run.events.map((e: { kind: string }) => e.kind)).toContain('fault-removed');
      expect(out).toMatch(/interrupted/i);
    });
  }

  it('chaos cleanup after a SIGKILL of the runner thaws the frozen replica it left', async () => {
    const w = workDir();
    const child = spawn(
      process.execPath,
      [
        BIN,
        ...base('replica-pause', w, 'killed'),
        '--steady',
        '4s',
        '--hold',
        '60s',
        '--recovery',
        '5s',
      ],
      {
        cwd: w.dir,
        stdio: 'ignore',
      },
    );
    const runDir = join(w.results, 'killed');
    await waitFor(() => readOpenFaults(runDir).length === 1, 20_000);
    const [fault] = readOpenFaults(runDir);
    const pid = fault!.pid!;
    expect(processState(pid)).toMatch(/^T/);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('exit', resolve));
    expect(processState(pid)).toMatch(/^T/);
    const r = await tiergate([
      'chaos',
      'cleanup',
      '--results-dir',
      w.results,
      '--run-id',
      'killed',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`resumed frozen process ${pid}`));
    expect(readOpenFaults(runDir)).toEqual([]);
    // Thawed, the orphaned demo replica notices its parent is gone and exits.
    await waitFor(() => !/^[TSR]/.test(processState(pid)), 10_000);
  });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(check: () => boolean, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(100);
  }
}
