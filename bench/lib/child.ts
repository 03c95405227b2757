// Runs one bounded child process: stdout and stderr collected, peak RSS (VmHWM) read from
// /proc while it runs, killed when it overruns its time limit.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';

export interface ChildResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Peak resident set (MB) of the process itself, from /proc/<pid>/status VmHWM. */
  peakRssMb: number;
  wallMs: number;
}

export interface ChildOptions {
  timeoutMs: number;
  env?: NodeJS.ProcessEnv;
  /** The pid whose VmHWM is read is the child's; through taskset it is the same process (exec). */
  pollRssMs?: number;
}

async function vmHwmMb(pid: number): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
    return kb === undefined ? undefined : Number(kb) / 1024;
  } catch {
    return undefined;
  }
}

/** Children still running, so an interrupted bench can stop them. */
const running = new Set<ChildProcess>();

/** Kills every child still running (the bench was interrupted). */
export function killChildren(): void {
  for (const child of running) child.kill('SIGKILL');
}

export function runChild(command: string, args: string[], o: ChildOptions): Promise<ChildResult> {
  const started = performance.now();
  const child = spawn(command, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: o.env ?? process.env,
  });
  running.add(child);
  let stdout = '';
  let stderr = '';
  let peak = 0;
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    // Only the tail matters for error messages.
    stderr = (stderr + d).slice(-20_000);
  });
  const poll = setInterval(() => {
    if (child.pid === undefined) return;
    void vmHwmMb(child.pid).then((mb) => {
      if (mb !== undefined && mb > peak) peak = mb;
    });
  }, o.pollRssMs ?? 200);
  const killer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs);
  return new Promise((resolve, reject) => {
    child.on('error', (err) => {
      running.delete(child);
      clearInterval(poll);
      clearTimeout(killer);
      reject(err);
    });
    child.on('close', (code) => {
      running.delete(child);
      clearInterval(poll);
      clearTimeout(killer);
      resolve({ code, stdout, stderr, peakRssMb: peak, wallMs: performance.now() - started });
    });
  });
}

/** The last line of a child's stdout parsed as JSON (children print their result last). */
export function lastJson<T>(r: ChildResult, what: string): T {
  const line = r.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line) as T;
  } catch {
    throw new Error(
      `${what} printed no result (exit ${r.code}): ${r.stderr.trim().split('\n').slice(-5).join(' | ')}`,
    );
  }
}
