// The main thread's side of one VU: its worker, the requests it makes (performed here and
// answered on its sync port), the samples it reports, and one call at a time.
import { fileURLToPath } from 'node:url';
import { MessageChannel, Worker } from 'node:worker_threads';
import { buildSync } from 'esbuild';
import type { FromVu, HttpRequest, HttpResponse, InitInfo, ToVu, VuSample } from './protocol.ts';

export type Done = Extract<FromVu, { type: 'done' }>;

export interface VuHooks {
  /** Performs one request of this VU (its samples are the caller's to make). */
  request(req: HttpRequest, vu: Vu): Promise<HttpResponse>;
  samples(samples: VuSample[]): void;
}

const WORKER = fileURLToPath(new URL('./vu-worker.ts', import.meta.url));
let workerCode: string | undefined;

/**
 * The VU worker as one plain script, built once per process: a worker then starts in tens of
 * milliseconds, without a TypeScript loader of its own.
 */
function vuWorkerCode(): string {
  workerCode ??= buildSync({
    entryPoints: [WORKER],
    bundle: true,
    write: false,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    logLevel: 'silent',
  }).outputFiles[0]!.text;
  return workerCode;
}

export class Vu {
  private readonly worker: Worker;
  private readonly flag = new SharedArrayBuffer(4);
  private pending: ((d: Done) => void) | undefined;
  /** Stopped by the test (its iteration, if any, is interrupted). */
  stopped = false;
  private exited = false;
  /** Aborts the request in flight when the VU is stopped hard. */
  inFlight: AbortController | undefined;
  /** Resolves with the script's options once the VU's init ran; rejects with its error. */
  readonly ready: Promise<InitInfo>;
  busy = false;
  iterations = 0;

  constructor(
    readonly id: number,
    code: string,
    scriptPath: string,
    env: Record<string, string>,
    private hooks: VuHooks,
  ) {
    const { port1, port2 } = new MessageChannel();
    this.worker = new Worker(vuWorkerCode(), {
      eval: true,
      workerData: { code, scriptPath, id, env, flag: this.flag, port: port2 },
      transferList: [port2],
      stdout: false,
      stderr: false,
    });
    const flag = new Int32Array(this.flag);
    port1.on('message', (req: HttpRequest) => {
      void this.hooks.request(req, this).then((res) => {
        if (!this.alive) return;
        port1.postMessage(res);
        Atomics.store(flag, 0, 1);
        Atomics.notify(flag, 0);
      });
    });
    port1.unref();
    this.ready = new Promise((resolve, reject) => {
      this.worker.on('message', (m: FromVu) => {
        if (m.type === 'ready') resolve(m.info);
        else if (m.type === 'initError')
          reject(Object.assign(new Error(m.message), { aborted: m.aborted }));
        else if (m.type === 'samples') this.hooks.samples(m.samples);
        else if (m.type === 'done') {
          const settle = this.pending;
          this.pending = undefined;
          settle?.(m);
        }
      });
      this.worker.once('error', (err) => reject(err));
      this.worker.once('exit', () => {
        this.exited = true;
        reject(new Error(`VU ${id} exited`));
        const settle = this.pending;
        this.pending = undefined;
        settle?.({ type: 'done', startMs: 0, endMs: 0, error: 'interrupted' });
      });
    });
    this.ready.catch(() => undefined);
  }

  /** Hands the VU's requests and samples to the test from now on (VU 0 runs setup and teardown). */
  attach(hooks: VuHooks): void {
    this.hooks = hooks;
  }

  /** Runs one call in the VU; resolves when it returned (or the VU was stopped). */
  call(message: ToVu): Promise<Done> {
    if (this.pending) throw new Error(`VU ${this.id} is busy`);
    return new Promise((resolve) => {
      this.pending = resolve;
      this.worker.postMessage(message);
    });
  }

  get alive(): boolean {
    return !this.stopped && !this.exited;
  }

  /** Stops the VU at once (an iteration past its graceful stop is interrupted, as in k6). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.inFlight?.abort();
    await this.worker.terminate();
  }
}
