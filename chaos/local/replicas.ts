// Replicas of a target that the runner started, for process faults: kill one and restart it,
// freeze one and thaw it. The proxy follows the set through onChange; a killed replica's
// address stays listed until it is restarted, as in a load balancer's config, so the proxy
// learns of the death from failed connections, as a real one does.
import type { ChildProcess } from 'node:child_process';
import { isRunning, kill, pause, resume } from './process-faults.ts';

export interface Replica {
  url: string;
  child: ChildProcess;
  /** Defaults to child.pid. */
  pid?: number;
  /** Stops the replica and resolves once it has exited. Called once, on a live replica. */
  stop(): Promise<void>;
}

/** Starts replica `index`; `signal` aborts the start-up. */
export type StartReplica = (index: number, signal: AbortSignal) => Promise<Replica>;

/**
 * How long a restart may take. A restart undoes a kill-replica fault, often while the run is
 * being interrupted: it runs on this deadline of its own, never on the run's abort signal.
 */
export const RESTART_DEADLINE_MS = 20_000;

export class ReplicaSet {
  private readonly replicas: (Replica | undefined)[];
  private readonly paused = new Set<number>();
  private listener: ((urls: string[]) => void) | undefined;

  constructor(
    private readonly count: number,
    private readonly start: StartReplica,
  ) {
    this.replicas = Array.from({ length: count }, () => undefined);
  }

  /** Starts every replica; `signal` (the run's Ctrl-C) aborts the start-up. */
  async startAll(signal?: AbortSignal): Promise<string[]> {
    await Promise.all(Array.from({ length: this.count }, (_, i) => this.restart(i, signal)));
    return this.urls();
  }

  /** URLs of the replicas started, killed ones included until they are restarted. */
  urls(): string[] {
    return this.replicas.filter((r): r is Replica => r !== undefined).map((r) => r.url);
  }

  url(index: number): string | undefined {
    return this.replicas[index]?.url;
  }

  pid(index: number): number | undefined {
    const r = this.replicas[index];
    return r?.pid ?? r?.child.pid;
  }

  isPaused(index: number): boolean {
    return this.paused.has(index);
  }

  /** Called with the new URL list whenever a replica is (re)started. */
  onChange(listener: (urls: string[]) => void): void {
    this.listener = listener;
  }

  private replica(index: number): Replica {
    const r = this.replicas[index];
    if (!r) throw new Error(`replica ${index} was not started (replicas: 0…${this.count - 1})`);
    return r;
  }

  /** SIGKILL, then wait until the process is gone (a frozen one dies too). */
  async kill(index: number): Promise<void> {
    const r = this.replica(index);
    await kill(r.child);
    this.paused.delete(index);
  }

  /**
   * Stops the replica if it still runs, starts it again and announces the new URL. Without a
   * `signal` the start-up has RESTART_DEADLINE_MS.
   */
  async restart(index: number, signal?: AbortSignal): Promise<void> {
    if (index < 0 || index >= this.count) {
      throw new Error(`no replica ${index} (replicas: 0…${this.count - 1})`);
    }
    const old = this.replicas[index];
    if (old) await this.stopOne(index, old);
    const fresh = await this.start(index, signal ?? AbortSignal.timeout(RESTART_DEADLINE_MS));
    this.replicas[index] = fresh;
    this.listener?.(this.urls());
  }

  /** Freezes the replica (SIGSTOP) until resume() or stopAll(). */
  pause(index: number): void {
    pause(this.replica(index).child);
    this.paused.add(index);
  }

  resume(index: number): void {
    const r = this.replicas[index];
    if (r) resume(r.child);
    this.paused.delete(index);
  }

  /** Thaws what is frozen (a frozen process left behind is a leaked fault), then stops all. */
  async stopAll(): Promise<void> {
    await Promise.all(this.replicas.map((r, i) => (r ? this.stopOne(i, r) : undefined)));
    this.replicas.fill(undefined);
  }

  private async stopOne(index: number, r: Replica): Promise<void> {
    // A frozen process cannot act on SIGTERM: thaw it first or a graceful stop hangs.
    this.resume(index);
    if (isRunning(r.child)) await r.stop();
  }
}
