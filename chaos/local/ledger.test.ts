// The fault ledger on disk: open faults until removed, a torn last line tolerated, and cleanup
// thawing a frozen process a dead run left behind.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { appendFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupLedger, FaultLedger, LEDGER_FILE, readLedger, readOpenFaults } from './ledger.ts';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) {
    c.kill('SIGCONT');
    c.kill('SIGKILL');
  }
});

const runDir = () => join(mkdtempSync(join(tmpdir(), 'tiergate-ledger-')), 'run-1');

function psState(pid: number): string {
  try {
    return execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}

async function idle(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  children.push(child);
  await once(child, 'spawn');
  return child;
}

describe('fault ledger', () => {
  it('lists faults applied and not removed; no file until the first fault', () => {
    const dir = runDir();
    const ledger = new FaultLedger(dir);
    expect(existsSync(join(dir, LEDGER_FILE))).toBe(false);
    expect(readOpenFaults(dir)).toEqual([]);
    ledger.applying('lat', 'latency');
    ledger.applying('frz', 'pause-replica', 4242, 'replica 0');
    expect(readOpenFaults(dir).map((f) => f.id)).toEqual(['lat', 'frz']);
    expect(readOpenFaults(dir)[1]).toMatchObject({
      kind: 'pause-replica',
      target: 'replica 0',
      pid: 4242,
    });
    ledger.removed('lat');
    expect(readOpenFaults(dir).map((f) => f.id)).toEqual(['frz']);
    const all = readLedger(dir);
    expect(all[0]?.removedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(Date.parse(all[0]!.removedAt!)).toBeGreaterThanOrEqual(Date.parse(all[0]!.appliedAt));
    // JSON lines: one applied line per fault, one removed line per removal.
    const lines = readFileSync(join(dir, LEDGER_FILE), 'utf8').trim().split('\n');
    expect(lines.map((l) => JSON.parse(l).event)).toEqual(['applied', 'applied', 'removed']);
    // A crash mid-write leaves a torn last line: it is skipped, not fatal.
    appendFileSync(join(dir, LEDGER_FILE), '{"event":"removed","id":"fr');
    expect(readOpenFaults(dir).map((f) => f.id)).toEqual(['frz']);
  });

  it('cleanupLedger thaws a frozen pid, settles the rest, and is a no-op the second time', async () => {
    const dir = runDir();
    const frozen = await idle();
    const gone = await idle();
    const gonePid = gone.pid!;
    gone.kill('SIGKILL');
    await once(gone, 'exit');

    const ledger = new FaultLedger(dir);
    ledger.applying('frz', 'pause-replica', frozen.pid, 'replica 0');
    frozen.kill('SIGSTOP');
    ledger.applying('old', 'pause-replica', gonePid, 'replica 1');
    ledger.applying('lat', 'latency');
    ledger.applying('done', 'latency');
    ledger.removed('done');
    for (let i = 0; i < 50 && !psState(frozen.pid!).startsWith('T'); i++) await sleep(20);
    expect(psState(frozen.pid!)).toMatch(/^T/);

    const actions = cleanupLedger(dir);
    expect(actions).toHaveLength(3);
    expect(actions[0]).toMatch(new RegExp(`resumed frozen process ${frozen.pid}`));
    expect(actions[1]).toMatch(new RegExp(`process ${gonePid} .* is gone`));
    expect(actions[2]).toMatch(/lat \(latency\) lived in the fault proxy/);
    for (let i = 0; i < 50 && psState(frozen.pid!).startsWith('T'); i++) await sleep(20);
    expect(psState(frozen.pid!)).toMatch(/^[SR]/);
    expect(readOpenFaults(dir)).toEqual([]);
    expect(cleanupLedger(dir)).toEqual([]);
  });
});
