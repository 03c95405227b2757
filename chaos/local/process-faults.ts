// Process faults on targets the runner started as child processes: kill (SIGKILL), and freeze
// and thaw (SIGSTOP / SIGCONT). A frozen process outlives the runner if nothing thaws it, so
// whoever pauses must resume on every exit path (ReplicaSet does; the ledger covers crashes).
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/** True while the child has not exited (a stopped child is still running). */
export function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/** SIGKILL, then wait until the process has exited. Resolves at once if it already has. */
export async function kill(child: ChildProcess, timeoutMs = 5000): Promise<void> {
  if (!isRunning(child)) return;
  const exited = once(child, 'exit', { signal: AbortSignal.timeout(timeoutMs) });
  child.kill('SIGKILL');
  try {
    await exited;
  } catch (err) {
    if (isRunning(child)) {
      throw new Error(`process ${child.pid} did not exit within ${timeoutMs} ms of SIGKILL`, {
        cause: err,
      });
    }
  }
}

/** Freezes the process (SIGSTOP). Undo with {@link resume}. */
export function pause(child: ChildProcess): void {
  if (!isRunning(child) || !child.kill('SIGSTOP')) {
    throw new Error(`cannot pause process ${child.pid}: it has exited`);
  }
}

/** Thaws a frozen process (SIGCONT). A no-op once the process has exited. */
export function resume(child: ChildProcess): void {
  if (isRunning(child)) child.kill('SIGCONT');
}
