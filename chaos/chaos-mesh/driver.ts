// The Chaos Mesh driver: each fault is an experiment, written to the run's fault ledger before
// it is created, then awaited until Chaos Mesh reports it Selected and AllInjected. Removing it
// deletes the object and waits until Chaos Mesh reports AllRecovered or the object is gone
// (its finalizer stays until the fault is undone); otherwise the recovery is unverified.
import type { KubeConfig } from '@kubernetes/client-node';
import { clusterName } from '../../runner/kube/access.ts';
import { kubeReason, kubeStatus } from '../../runner/kube/client.ts';
import type { ScheduledFault } from '../../thresholds/gameday.ts';
import { type ChaosDriver, type InjectedFault, RemovalUnverified } from '../driver.ts';
import { FaultLedger } from '../local/ledger.ts';
import {
  ChaosApi,
  type ConditionType,
  condition,
  describeObject,
  type LiveExperiment,
} from './api.ts';
import { type ChaosMeshPlan, DEFAULT_INJECT_TIMEOUT_S } from './manifests.ts';
import { preflightChaosMesh } from './preflight.ts';
import type { ChaosMeshTarget } from './target.ts';
import type { ChaosObject, ExperimentObject } from './types.ts';

/** Ledger kinds of cluster objects start with this (`chaos cleanup` sweeps them by label). */
export const CHAOS_MESH_LEDGER_KIND = 'chaos-mesh';

export interface ChaosMeshDriverOptions {
  kc: KubeConfig;
  target: ChaosMeshTarget;
  plan: ChaosMeshPlan;
  runDir: string;
  /** Each of Selected and AllInjected must come within this. Default 30 s. */
  injectTimeoutMs?: number;
  /** AllRecovered (or the object gone) must come within this after deletion. Default 60 s. */
  recoverTimeoutMs?: number;
  log?: (line: string) => void;
}

const POLL_MS = 250;

export class ChaosMeshDriver implements ChaosDriver {
  readonly name = 'chaos-mesh' as const;
  private readonly api: ChaosApi;
  private readonly ledger: FaultLedger;

  constructor(private readonly o: ChaosMeshDriverOptions) {
    this.api = new ChaosApi(o.kc);
    this.ledger = new FaultLedger(o.runDir);
  }

  async preflight(faults: ScheduledFault[]): Promise<void> {
    const kinds = faults.map((f) => this.objectOf(f).kind);
    const pods = await preflightChaosMesh(this.o.kc, this.o.target, kinds);
    this.o.log?.(`chaos-mesh: selector matches ${pods} pod(s) in ${this.o.target.namespace}`);
  }

  private objectOf(f: ScheduledFault): ExperimentObject {
    const planned = this.o.plan.experiments.find((e) => e.fault.id === f.id);
    if (planned === undefined)
      throw new Error(`fault ${f.id} has no Chaos Mesh experiment in the plan`);
    return planned.object;
  }

  async inject(f: ScheduledFault, stop: AbortSignal): Promise<InjectedFault> {
    const object = this.objectOf(f);
    this.ledger.applying(
      f.id,
      `${CHAOS_MESH_LEDGER_KIND}:${object.kind}`,
      undefined,
      describeObject(object),
      clusterName(this.o.kc),
    );
    try {
      await this.api.create(object);
    } catch (err) {
      const reason = `${describeObject(object)} was not created: ${kubeReason(err)}`;
      // Refused outright (invalid, forbidden): nothing was created, the entry is closed. A 409
      // means an object of that name exists (an earlier run's?): its entry stays for cleanup.
      const status = kubeStatus(err);
      if (status === 409) throw new Error(`${reason} (an earlier run with this --run-id?)`);
      if (status !== undefined && status >= 400 && status < 500) {
        this.ledger.removed(f.id);
        throw new Error(reason);
      }
      // No answer (a timeout, a lost connection): the object may exist, so it is taken away.
      try {
        await this.remove(f.id, object);
      } catch (removal) {
        throw new RemovalUnverified(`${reason}; then ${(removal as Error).message}`);
      }
      throw new Error(reason);
    }
    let removing: Promise<void> | undefined;
    const handle: InjectedFault = {
      remove: () => {
        removing ??= this.remove(f.id, object);
        return removing;
      },
    };
    try {
      const timeout = this.o.injectTimeoutMs ?? DEFAULT_INJECT_TIMEOUT_S * 1000;
      await this.waitFor(object, 'Selected', timeout, stop);
      const live = await this.waitFor(object, 'AllInjected', timeout, stop);
      const records = live?.status?.experiment?.containerRecords?.length ?? 0;
      this.o.log?.(`chaos-mesh: ${describeObject(object)} injected into ${records} target(s)`);
      return handle;
    } catch (err) {
      // Not (fully) injected, or the run is ending: some targets may carry the fault already,
      // so it is taken away, and a removal that cannot be confirmed is what gets reported.
      try {
        await handle.remove();
      } catch (removal) {
        throw new RemovalUnverified(
          `${(err as Error).message}; then ${(removal as Error).message}`,
        );
      }
      throw err;
    }
  }

  private async waitFor(
    o: ChaosObject,
    type: ConditionType,
    timeoutMs: number,
    stop: AbortSignal,
  ): Promise<LiveExperiment | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (stop.aborted) throw new Error(`${describeObject(o)}: the run stopped before ${type}`);
      const live = await this.api.read(o);
      if (live === undefined) throw new Error(`${describeObject(o)} disappeared before ${type}`);
      if (condition(live, type)) return live;
      if (Date.now() >= deadline) {
        const events = await this.api.events(o).catch(() => []);
        throw new Error(
          `${describeObject(o)} not ${type} within ${timeoutMs / 1000} s` +
            (events.length > 0
              ? `; events: ${events.join(' | ')}`
              : '; no events (is chaos-controller-manager running?)'),
        );
      }
      await sleep(POLL_MS);
    }
  }

  private async remove(id: string, o: ChaosObject): Promise<void> {
    await this.api.delete(o);
    const timeoutMs = this.o.recoverTimeoutMs ?? 60_000;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const live = await this.api.read(o);
      if (live === undefined || condition(live, 'AllRecovered')) break;
      if (Date.now() >= deadline) {
        const events = await this.api.events(o).catch(() => []);
        throw new Error(
          `recovery unverified: ${describeObject(o)} was deleted but Chaos Mesh reported neither AllRecovered nor its removal within ${timeoutMs / 1000} s` +
            (events.length > 0 ? `; events: ${events.join(' | ')}` : ''),
        );
      }
      await sleep(POLL_MS);
    }
    this.ledger.removed(id);
    this.o.log?.(`chaos-mesh: ${describeObject(o)} recovered`);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
