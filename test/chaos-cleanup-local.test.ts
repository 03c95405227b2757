// `tiergate chaos cleanup --local-only` does not trust its ledgers: a run still in progress is
// left alone (its frozen replica stays frozen until its own runner thaws it), a ledger line is
// validated like a config (pid -1 or 0 would signal a whole group: never acted on), and a pid
// is signalled only while it is still the process the fault froze (a reused pid is not).
// Real CLI, real processes; the "canary" is a stopped process that a stray SIGCONT would wake.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readOpenFaults } from '../chaos/local/ledger.ts';
import { BIN, tiergate } from './helpers/cli.ts';
import { processState } from './helpers/process-state.ts';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) {
    c.kill('SIGCONT');
    c.kill('SIGKILL');
  }
});

async function waitFor(check: () => boolean, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A stopped process: woken by any SIGCONT that reaches it. */
async function canary(): Promise<number> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  children.push(child);
  await once(child, 'spawn');
  child.kill('SIGSTOP');
  await waitFor(() => processState(child.pid!).startsWith('T'), 5000);
  return child.pid!;
}

function resultsWithLedger(lines: object[]): { results: string; runDir: string } {
  const results = join(mkdtempSync(join(tmpdir(), 'tiergate-cleanup-local-')), 'results');
  const runDir = join(results, 'gd');
  mkdirSync(runDir, { recursive: true });
  writeFileSync(
    join(runDir, 'faults.ledger.jsonl'),
    lines.map((l) => `${JSON.stringify(l)}\n`).join(''),
  );
  return { results, runDir };
}

const applied = (more: object) => ({
  event: 'applied',
  id: 'replica-pause-1',
  kind: 'pause-replica',
  target: 'replica 0',
  appliedAt: new Date().toISOString(),
  ...more,
});

/** start time (field 22) and argv of a live pid, as the ledger records them. */
function identity(pid: number): { startTicks: number; argv: string[] } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const startTicks = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
  const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  return { startTicks, argv };
}

const cleanup = (results: string) =>
  tiergate(['chaos', 'cleanup', '--local-only', '--results-dir', results]);

describe('chaos cleanup --local-only: the ledger is input', () => {
  for (const pid of [-1, 0]) {
    it(`an entry with pid ${pid} is invalid: nothing is signalled, exit 3 naming the line`, async () => {
      const stopped = await canary();
      const { results, runDir } = resultsWithLedger([applied({ pid })]);
      const r = await cleanup(results);
      expect(r.code, r.stdout + r.stderr).toBe(3);
      expect(r.stdout).toMatch(
        new RegExp(`invalid ledger line, not acted on: \\S+faults\\.ledger\\.jsonl:1: pid ${pid}`),
      );
      expect(r.stderr).toMatch(/cleanup incomplete: 1 local fault could not be undone/);
      // A SIGCONT to -1 (every process) or 0 (our group) would have woken it.
      expect(processState(stopped)).toMatch(/^T/);
      expect(r.stdout).not.toMatch(/resumed/);
      expect(readFileSync(join(runDir, 'faults.ledger.jsonl'), 'utf8')).not.toMatch(/removed/);
    });
  }

  it('a reused pid (another start time and command line) is not signalled; the entry is closed', async () => {
    const stopped = await canary();
    const now = identity(stopped);
    const { results, runDir } = resultsWithLedger([
      applied({ pid: stopped, startTicks: now.startTicks - 100, argv: ['node', 'demo/main.ts'] }),
    ]);
    const r = await cleanup(results);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`pid ${stopped} is now another process, not signalled`));
    expect(processState(stopped)).toMatch(/^T/);
    expect(readOpenFaults(runDir)).toEqual([]);
  });

  it('an entry without the start time cannot be verified: not signalled, left open, exit 3', async () => {
    const stopped = await canary();
    const { results, runDir } = resultsWithLedger([applied({ pid: stopped })]);
    const r = await cleanup(results);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(new RegExp(`cannot tell whether process ${stopped} is still`));
    expect(processState(stopped)).toMatch(/^T/);
    expect(readOpenFaults(runDir)).toHaveLength(1);
  });

  it('the same process (start time and command line match) is thawed', async () => {
    const stopped = await canary();
    const { results, runDir } = resultsWithLedger([
      applied({ pid: stopped, ...identity(stopped) }),
    ]);
    const r = await cleanup(results);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`resumed frozen process ${stopped}`));
    await waitFor(() => !processState(stopped).startsWith('T'), 5000);
    expect(readOpenFaults(runDir)).toEqual([]);
  });

  it('a game day still in progress is left alone: its frozen replica stays frozen', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tiergate-cleanup-live-'));
    const results = join(dir, 'results');
    const runner = spawn(
      process.execPath,
      [
        BIN,
        'gameday',
        '--roadmap',
        'ecommerce',
        '--tier',
        '10k',
        '--target',
        'demo',
        '--fault',
        'replica-pause',
        '--rate',
        '20',
        '--quiet',
        '--results-dir',
        results,
        '--run-id',
        'live',
        '--steady',
        '3s',
        '--hold',
        '60s',
        '--recovery',
        '3s',
      ],
      { cwd: dir, stdio: 'ignore' },
    );
    children.push(runner);
    const runDir = join(results, 'live');
    await waitFor(() => readOpenFaults(runDir).length === 1, 30_000);
    const pid = readOpenFaults(runDir)[0]!.pid!;
    expect(processState(pid)).toMatch(/^T/);
    const r = await cleanup(results);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(
        `live: still in progress \\(process ${runner.pid} holds its run\\.lock\\): left alone`,
      ),
    );
    expect(r.stdout).not.toMatch(/resumed/);
    expect(processState(pid)).toMatch(/^T/);
    expect(readOpenFaults(runDir)).toHaveLength(1);
    // Its own runner removes the fault when it stops.
    runner.kill('SIGINT');
    expect(await once(runner, 'exit')).toEqual([130, null]);
    expect(readOpenFaults(runDir)).toEqual([]);
  });
});
