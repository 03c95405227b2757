// Process faults on real child processes, and a replica set behind the fault proxy: killing one
// of two replicas degrades (a bounded number of 502s) instead of breaking, restarting it brings
// it back into rotation, and a frozen replica is always thawed on the way out.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { isRunning, kill, pause, resume } from './process-faults.ts';
import { FaultProxy } from './proxy.ts';
import { type Replica, ReplicaSet } from './replicas.ts';

const children: ChildProcess[] = [];

afterEach(() => {
  for (const c of children.splice(0)) {
    if (isRunning(c)) {
      c.kill('SIGCONT');
      c.kill('SIGKILL');
    }
  }
});

function idle(): ChildProcess {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  children.push(child);
  return child;
}

/** `ps` state letter(s) of a pid: 'T' when stopped, '' when gone. */
function psState(pid: number): string {
  try {
    return execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}

async function waitForState(pid: number, test: (s: string) => boolean): Promise<string> {
  const deadline = Date.now() + 2000;
  let s = psState(pid);
  while (!test(s) && Date.now() < deadline) {
    await sleep(20);
    s = psState(pid);
  }
  return s;
}

const SERVER = `
const http = require('node:http');
const s = http.createServer((req, res) => res.end(String(s.address().port)));
s.listen(0, '127.0.0.1', () => console.log('PORT ' + s.address().port));
process.on('SIGTERM', () => process.exit(0));
`;

async function startServer(): Promise<Replica> {
  const child = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  let out = '';
  for await (const chunk of child.stdout!) {
    out += String(chunk);
    if (/PORT \d+/.test(out)) break;
  }
  const port = /PORT (\d+)/.exec(out)?.[1];
  if (!port) throw new Error(`replica did not start: ${out}`);
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    stop: async () => {
      if (!isRunning(child)) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}

describe('process faults', () => {
  it('pause freezes a process (ps: T) and resume thaws it; kill waits for the exit', async () => {
    const child = idle();
    await once(child, 'spawn');
    const pid = child.pid!;
    pause(child);
    expect(await waitForState(pid, (s) => s.startsWith('T'))).toMatch(/^T/);
    resume(child);
    expect(await waitForState(pid, (s) => !s.startsWith('T'))).toMatch(/^[SR]/);
    pause(child); // SIGKILL takes a frozen process too
    await kill(child);
    expect(child.signalCode).toBe('SIGKILL');
    expect(isRunning(child)).toBe(false);
    await kill(child); // already gone: resolves at once
    resume(child); // a no-op once exited
    expect(() => pause(child)).toThrow(/exited/);
  });
});

describe('ReplicaSet behind the fault proxy', () => {
  it('kill one of two: a bounded number of 502s, then the other serves; restart rejoins', async () => {
    const replicas = new ReplicaSet(2, () => startServer());
    const proxy = new FaultProxy({ upstreams: [] });
    const pool = new Pool((await proxy.start()).url, { connections: 4 });
    try {
      proxy.setUpstreams(await replicas.startAll());
      replicas.onChange((urls) => proxy.setUpstreams(urls));
      const port = (u: string | undefined) => u?.split(':').pop();

      const burst = async (n: number) => {
        const seen: { status: number; body: string }[] = [];
        for (let i = 0; i < n / 4; i++) {
          const batch = await Promise.all(
            Array.from({ length: 4 }, async () => {
              const r = await pool.request({ method: 'GET', path: '/' });
              return { status: r.statusCode, body: await r.body.text() };
            }),
          );
          seen.push(...batch);
        }
        return seen;
      };

      const before = await burst(40);
      expect(new Set(before.map((r) => r.body))).toEqual(
        new Set([port(replicas.url(0)), port(replicas.url(1))]),
      );

      const killedPid = replicas.pid(0)!;
      await replicas.kill(0);
      expect(psState(killedPid)).toBe('');
      const during = await burst(100);
      const bad = during.filter((r) => r.status !== 200);
      // Only requests already on their way to the dead replica fail: at most one per
      // concurrent connection, then it is skipped.
      expect(bad.length).toBeGreaterThanOrEqual(1);
      expect(bad.length).toBeLessThanOrEqual(4);
      expect(bad.every((r) => r.status === 502)).toBe(true);
      const served = during.filter((r) => r.status === 200);
      expect(served.every((r) => r.body === port(replicas.url(1)))).toBe(true);

      await replicas.restart(0);
      expect(proxy.upstreamUrls()).toEqual([replicas.url(0), replicas.url(1)]);
      const after = await burst(40);
      expect(after.every((r) => r.status === 200)).toBe(true);
      expect(after.filter((r) => r.body === port(replicas.url(0))).length).toBeGreaterThan(10);
    } finally {
      await pool.destroy();
      await proxy.stop();
      await replicas.stopAll();
    }
  });

  it('stopAll thaws a frozen replica before stopping it', async () => {
    const replicas = new ReplicaSet(2, () => startServer());
    await replicas.startAll();
    const pid = replicas.pid(1)!;
    replicas.pause(1);
    expect(replicas.isPaused(1)).toBe(true);
    expect(await waitForState(pid, (s) => s.startsWith('T'))).toMatch(/^T/);
    // A graceful stop (SIGTERM) would hang on a frozen process: stopAll resumes it first.
    await replicas.stopAll();
    expect(psState(pid)).toBe('');
    expect(replicas.isPaused(1)).toBe(false);
  });
});
