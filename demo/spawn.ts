// Starts the demo in its own process (so it never shares an event loop with the load
// generator) and waits for its listening line. This is what `--target demo` runs.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { nodeArgsFor, ownModule } from '../core/own-modules.ts';
import { toFlags } from './flags.ts';
import { type DemoOptions, resolveDemoOptions } from './options.ts';

export interface SpawnedDemo {
  url: string;
  pid: number;
  child: ChildProcess;
  /** SIGTERM, then SIGKILL after 3 s; resolves once the process has exited. Idempotent. */
  stop(): Promise<void>;
}

export interface SpawnDemoOptions {
  /** Aborts the start-up (the child is killed); once started, stop() is the caller's job. */
  signal?: AbortSignal;
  /** How long to wait for the listening line (default 15 s: from a clone, tsx compiles on first start). */
  readyTimeoutMs?: number;
}

const MAIN = ownModule('./main.ts', import.meta.url);
const KILL_AFTER_MS = 3000;
const STDERR_TAIL = 8192;

export async function spawnDemo(
  options: Partial<DemoOptions>,
  opts: SpawnDemoOptions = {},
): Promise<SpawnedDemo> {
  resolveDemoOptions(options); // a bad option throws here, naming it, before anything starts
  opts.signal?.throwIfAborted();
  const readyTimeoutMs = opts.readyTimeoutMs ?? 15_000;
  // The IPC channel lets the child notice if this process dies without stopping it (see main.ts).
  const child = spawn(
    process.execPath,
    [...nodeArgsFor(MAIN), fileURLToPath(MAIN), ...toFlags(options)],
    {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    },
  );

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const kill = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS);
      child.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      child.kill('SIGTERM');
    });
    return stopping;
  };

  const url = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    const onStderr = (chunk: Buffer): void => {
      stderr = (stderr + chunk.toString()).slice(-STDERR_TAIL);
    };
    const settle = (): void => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      child.stdout?.off('data', onStdout);
      child.stderr?.off('data', onStderr);
      child.off('close', onClose);
      child.off('error', onError);
    };
    const fail = (why: string | Error): void => {
      settle();
      child.kill('SIGKILL');
      const tail = stderr.trim();
      reject(
        typeof why === 'string'
          ? new Error(`demo target did not start: ${why}${tail ? `\n${tail}` : ''}`)
          : why,
      );
    };
    const onStdout = (chunk: Buffer): void => {
      stdout += chunk.toString();
      const end = stdout.indexOf('\n');
      if (end < 0) return;
      const line = stdout.slice(0, end);
      const url = listeningUrl(line);
      if (url === undefined) {
        fail(`unexpected first line on stdout: ${line.slice(0, 200)}`);
        return;
      }
      settle();
      child.stdout?.resume(); // nothing more is printed there; keep the pipe drained regardless
      child.stderr?.pipe(process.stderr); // the demo writes there only on errors
      resolve(url);
    };
    // 'close' rather than 'exit': by then its stderr has been read to the end.
    const onClose = (code: number | null, signal: NodeJS.Signals | null): void =>
      fail(`it exited (${signal ?? `code ${code}`}) before listening`);
    const onError = (err: Error): void => fail(`cannot run ${process.execPath}: ${err.message}`);
    const onAbort = (): void => fail(opts.signal?.reason as Error);
    const timer = setTimeout(
      () => fail(`no listening line within ${readyTimeoutMs} ms`),
      readyTimeoutMs,
    );
    child.stdout?.on('data', onStdout);
    child.stderr?.on('data', onStderr);
    child.once('close', onClose);
    child.once('error', onError);
    opts.signal?.addEventListener('abort', onAbort, { once: true });
  });

  return { url, pid: child.pid!, child, stop };
}

function listeningUrl(line: string): string | undefined {
  try {
    const event = JSON.parse(line) as { event?: unknown; url?: unknown };
    return event.event === 'listening' && typeof event.url === 'string' ? event.url : undefined;
  } catch {
    return undefined;
  }
}
