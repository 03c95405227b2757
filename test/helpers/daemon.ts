// A server process a test starts (etcd, kube-apiserver, Prometheus): its output kept for the
// error message, stopped with SIGTERM then SIGKILL, and never outliving the test process.
import { type ChildProcess, spawn } from 'node:child_process';

export interface Daemon {
  readonly name: string;
  /** The last lines it printed, for error messages. */
  output(): string;
  /** Resolves once `ready()` is true; rejects if it exits first or the time runs out. */
  waitReady(ready: () => Promise<boolean>, timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export function startDaemon(name: string, command: string, args: string[]): Daemon {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-8000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited: string | undefined;
  const closed = new Promise<void>((resolve) => {
    child.once('error', (err) => {
      exited = err.message;
      running.delete(child);
      resolve();
    });
    child.once('exit', (code, signal) => {
      exited = `exited with ${code ?? signal}`;
      running.delete(child);
      resolve();
    });
  });
  return {
    name,
    output: () => tail,
    async waitReady(ready, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (exited !== undefined) throw new Error(`${name} ${exited}:\n${tail}`);
        if (await ready().catch(() => false)) return;
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error(`${name} not ready within ${timeoutMs} ms:\n${tail}`);
    },
    async stop() {
      if (exited !== undefined) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await closed;
      clearTimeout(timer);
    },
  };
}
