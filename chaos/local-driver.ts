// The local chaos driver: network faults through the proxy, process faults on the replicas the
// runner started, each written to the ledger before it is applied.
import type { FaultSpec, ScheduledFault } from '../thresholds/gameday.ts';
import type { ChaosDriver, InjectedFault } from './driver.ts';
import { isProxyFault } from './local/faults.ts';
import { FaultLedger } from './local/ledger.ts';
import type { FaultProxy } from './local/proxy.ts';
import type { ReplicaSet } from './local/replicas.ts';

export class LocalChaosDriver implements ChaosDriver {
  readonly name = 'local' as const;
  private readonly ledger: FaultLedger;

  constructor(
    private readonly proxy: FaultProxy,
    private readonly replicas: ReplicaSet | undefined,
    runDir: string,
  ) {
    this.ledger = new FaultLedger(runDir);
  }

  async preflight(faults: ScheduledFault[]): Promise<void> {
    for (const f of faults) this.check(f.fault);
  }

  private check(fault: FaultSpec): void {
    if (fault.kind === 'kubernetes-only') {
      throw new Error(`${fault.chaos} needs a cluster: run this game day with --chaos chaos-mesh`);
    }
    if ((fault.kind === 'kill-replica' || fault.kind === 'pause-replica') && !this.replicas) {
      throw new Error(`${fault.kind} needs replicas the runner started: use --target demo`);
    }
  }

  async inject(f: ScheduledFault): Promise<InjectedFault> {
    const fault = f.fault;
    this.check(fault);
    if (isProxyFault(fault)) {
      this.ledger.applying(f.id, fault.kind);
      const id = this.proxy.inject(fault);
      return this.handle(f.id, async () => this.proxy.remove(id));
    }
    const replicas = this.replicas!;
    if (fault.kind === 'kill-replica') {
      this.ledger.applying(f.id, fault.kind, replicas.pid(fault.replica));
      await replicas.kill(fault.replica);
      return this.handle(f.id, () => replicas.restart(fault.replica));
    }
    if (fault.kind === 'pause-replica') {
      this.ledger.applying(f.id, fault.kind, replicas.pid(fault.replica));
      replicas.pause(fault.replica);
      return this.handle(f.id, async () => replicas.resume(fault.replica));
    }
    throw new Error(`fault ${fault.kind} cannot be applied locally`);
  }

  private handle(id: string, undo: () => Promise<void>): InjectedFault {
    let removing: Promise<void> | undefined;
    return {
      remove: () => {
        removing ??= undo().then(() => this.ledger.removed(id));
        return removing;
      },
    };
  }
}
