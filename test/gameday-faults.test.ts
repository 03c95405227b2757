// Local game days whose faults go wrong on the runner's side, through the real CLI with the
// demo's replicas: a fault that cannot be recorded is a run that could not complete (exit 3,
// never a gate failure blamed on the system), and a pod-kill interrupted by Ctrl-C or SIGTERM
// still restarts its replica (cleanup on its own deadline, not the run's aborted signal).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLedger, readOpenFaults } from '../chaos/local/ledger.ts';
import { BIN } from './helpers/cli.ts';

function gameday(fault: string, runId: string, steady: string, hold: string) {
  const dir = mkdtempSync(join(tmpdir(), 'tiergate-gd-faults-'));
  const results = join(dir, 'results');
  const args = [
    BIN,
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
    '40',
    '--results-dir',
    results,
    '--run-id',
    runId,
    '--steady',
    steady,
    '--hold',
    hold,
    '--recovery',
    '3s',
  ];
  const child = spawn(process.execPath, args, {
    cwd: dir,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = { stdout: '', stderr: '' };
  child.stdout.on('data', (d: Buffer) => (out.stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out.stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { child, out, exited, runDir: join(results, runId) };
}

async function waitFor(check: () => boolean, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('local game day faults that go wrong on the runner side', () => {
  it('a fault whose ledger cannot be written is exit 3 with the reason, not a gate failure', async () => {
    const g = gameday('network-latency', 'noledger', '5s', '3s');
    // Once the proxy is up (the run folder is claimed), put a folder where the ledger goes.
    await waitFor(() => g.out.stderr.includes('fault proxy'), 30_000);
    mkdirSync(join(g.runDir, 'faults.ledger.jsonl'), { recursive: true });
    const code = await g.exited;
    const all = g.out.stdout + g.out.stderr;
    expect(code, all).toBe(3);
    expect(all).toMatch(
      /fault network-latency-1 could not be injected: cannot write \S+faults\.ledger\.jsonl: EISDIR/,
    );
    expect(all).not.toMatch(/\n\s+at /);
    const run = JSON.parse(readFileSync(join(g.runDir, 'run.json'), 'utf8'));
    expect(run.exitCode).toBe(3);
    expect(run.outcome.state).toBe('errored');
    expect(run.outcome.reason).toMatch(/could not be injected/);
    expect(run.gameDay.faults[0].injectedAtS).toBeNull();
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} during pod-kill: the replica is restarted, the ledger entry closed, exit 130`, async () => {
      const g = gameday('pod-kill', 'podkill', '4s', '30s');
      await waitFor(() => readOpenFaults(g.runDir).length === 1, 30_000);
      await new Promise((r) => setTimeout(r, 1000));
      g.child.kill(signal);
      const code = await g.exited;
      const all = g.out.stdout + g.out.stderr;
      expect(code, all).toBe(130);
      expect(all).not.toMatch(/cleanup of fault .* failed/);
      expect(readOpenFaults(g.runDir)).toEqual([]);
      expect(readLedger(g.runDir).map((e) => e.kind)).toEqual(['kill-replica']);
      const run = JSON.parse(readFileSync(join(g.runDir, 'run.json'), 'utf8'));
      expect(run.outcome.state).toBe('interrupted');
      expect(run.gameDay.faults[0].recovered).toBe(true);
      expect(run.events.map((e: { kind: string }) => e.kind)).toContain('fault-removed');
      expect(existsSync(join(g.runDir, 'run.lock'))).toBe(false);
    });
  }
});
