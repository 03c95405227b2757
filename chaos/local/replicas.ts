// Replicas of a target the runner started, for process faults: kill and restart one, freeze
// and thaw one. The proxy follows the live set through onChange.
import type { ChildProcess } from 'node:child_process';

export interface Replica {
  url: string;
  pid: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

export class ReplicaSet {
  private readonly replicas: (Replica | undefined)[];
  private readonly paused = new Set<number>();
  private listener: ((urls: string[]) => void) | undefined;

  constructor(
    private readonly count: number,
    private readonly start: (index: number) => Promise<Replica>,
  ) {
    this.replicas = Array.from({ length: count }, () => undefined);
  }

  async startAll(): Promise<void> {
    await Promise.all(Array.from({ length: this.count }, (_, i) => this.restart(i)));
  }

  urls(): string[] {
    return this.replicas.filter((r): r is Replica => r !== undefined).map((r) => r.url);
  }

  pid(index: number): number | undefined {
    return this.replicas[index]?.pid;
  }

  onChange(listener: (urls: string[]) => void): void {
    this.listener = listener;
  }

  private replica(index: number): Replica {
    const r = this.replicas[index];
    if (!r) throw new Error(`replica ${index} is not running (replicas: 0…${this.count - 1})`);
    return r;
  }

  /**
   * SIGKILL, then wait until the process is gone. Its address stays in the list, as it would in
   * a load balancer's config: the proxy finds out from refused connections, as a real one does.
   */
  async kill(index: number): Promise<void> {
    const r = this.replica(index);
    if (r.child.exitCode === null && r.child.signalCode === null) {
      const exited = new Promise((resolve) => r.child.once('exit', resolve));
      r.child.kill('SIGKILL');
      await exited;
    }
  }

  async restart(index: number): Promise<void> {
    this.replicas[index] = await this.start(index);
    this.listener?.(this.urls());
  }

  pause(index: number): void {
    process.kill(this.replica(index).pid, 'SIGSTOP');
    this.paused.add(index);
  }

  resume(index: number): void {
    const r = this.replicas[index];
    if (r) process.kill(r.pid, 'SIGCONT');
    this.paused.delete(index);
  }

  /** Thaws what is frozen (a frozen process left behind is a leaked fault), then stops all. */
  async stopAll(): Promise<void> {
    for (const i of [...this.paused]) this.resume(i);
    await Promise.all(this.replicas.map((r) => r?.stop()));
    this.replicas.fill(undefined);
  }
}
