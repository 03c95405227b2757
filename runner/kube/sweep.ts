// Sweeping tiergate's objects off a cluster by label (`tiergate chaos cleanup`): list each kind,
// delete what carries the labels, then wait — bounded — until each object is gone or says its
// effect is undone. A kind whose CRD is not installed is skipped and reported, not fatal; an
// object that vanished meanwhile is fine; nothing is called done that was not seen done.
import type { KubeConfig } from '@kubernetes/client-node';
import { CustomObjectsApi } from '@kubernetes/client-node';
import { kubeReason, kubeStatus } from './client.ts';
import { RUN_ID_LABEL, tiergateSelector } from './labels.ts';

/** An object as a list or a read returns it (only what the sweep looks at). */
export interface LiveObject {
  metadata?: {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
    finalizers?: string[];
    deletionTimestamp?: string | Date;
  };
  status?: { conditions?: { type?: string; status?: string }[] };
}

/** One kind the sweep handles, with the calls it takes. */
export interface SweepKind {
  /** `PodChaos`, `TestRun`, `ConfigMap`. */
  kind: string;
  /** `podchaos.chaos-mesh.org`: the resource as RBAC and CRDs name it. */
  resource: string;
  /** Who installs the kind (`Chaos Mesh`, `k6-operator`), for "not installed" notes. */
  product: string;
  list(namespace: string | undefined, labelSelector: string): Promise<LiveObject[]>;
  /** Undefined once the object is gone (404). */
  read(namespace: string, name: string): Promise<LiveObject | undefined>;
  remove(namespace: string, name: string): Promise<void>;
  /** The live object says its effect is undone (Chaos Mesh: the AllRecovered condition). */
  recovered?(live: LiveObject): boolean;
}

export type SweepOutcome =
  /** Confirmed gone (GET → 404). */
  | 'deleted'
  /** Still there (terminating) but reports its effect undone. */
  | 'recovered'
  /** Still there after the wait, effect not reported undone: recovery unverified. */
  | 'terminating'
  /** Deleted, but it could not be read back to verify. */
  | 'unverified'
  /** The delete was refused. */
  | 'failed';

export interface SweptObject {
  kind: string;
  namespace: string;
  name: string;
  runId: string | undefined;
  outcome: SweepOutcome;
  detail?: string;
}

export interface SweepProblem {
  kind: string;
  resource: string;
  status: number | undefined;
  message: string;
}

export interface SweepReport {
  objects: SweptObject[];
  /** Kinds whose list answered 404: their CRD is not installed. */
  notInstalled: SweepKind[];
  /** Kinds whose list answered 403. */
  forbidden: SweepProblem[];
  /** Kinds whose list failed otherwise (the cluster unreachable, a server error). */
  failed: SweepProblem[];
}

export interface SweepOptions {
  namespace?: string;
  runId?: string;
  /** Run-id label values of runs still in progress: their objects are left alone. */
  skipRunLabels?: ReadonlySet<string>;
  /** How long deleted objects may take to go or report recovery. */
  recoverTimeoutMs: number;
  pollMs?: number;
  /** Progress notes (the wait). */
  log?: (line: string) => void;
}

/** A custom resource kind, through the CustomObjects API. */
export function customKind(
  kc: KubeConfig,
  k: {
    kind: string;
    group: string;
    version: string;
    plural: string;
    product: string;
    recovered?: (live: LiveObject) => boolean;
  },
): SweepKind {
  const custom = kc.makeApiClient(CustomObjectsApi);
  const ref = { group: k.group, version: k.version, plural: k.plural };
  return {
    kind: k.kind,
    resource: `${k.plural}.${k.group}`,
    product: k.product,
    async list(namespace, labelSelector) {
      const list = (
        namespace === undefined
          ? await custom.listClusterCustomObject({ ...ref, labelSelector })
          : await custom.listNamespacedCustomObject({ ...ref, namespace, labelSelector })
      ) as { items?: LiveObject[] };
      return list.items ?? [];
    },
    async read(namespace, name) {
      try {
        return (await custom.getNamespacedCustomObject({ ...ref, namespace, name })) as LiveObject;
      } catch (err) {
        if (kubeStatus(err) === 404) return undefined;
        throw err;
      }
    },
    async remove(namespace, name) {
      await custom.deleteNamespacedCustomObject({
        ...ref,
        namespace,
        name,
        propagationPolicy: 'Background',
      });
    },
    ...(k.recovered !== undefined ? { recovered: k.recovered } : {}),
  };
}

interface Pending {
  k: SweepKind;
  o: SweptObject;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Lists, deletes and waits for every tiergate-labelled object of `kinds`. */
export async function sweep(kinds: readonly SweepKind[], opts: SweepOptions): Promise<SweepReport> {
  const labelSelector = tiergateSelector(opts.runId);
  const report: SweepReport = { objects: [], notInstalled: [], forbidden: [], failed: [] };
  const pending: Pending[] = [];
  for (const k of kinds) {
    let items: LiveObject[];
    try {
      items = await k.list(opts.namespace, labelSelector);
    } catch (err) {
      const status = kubeStatus(err);
      if (status === 404) {
        report.notInstalled.push(k);
        continue;
      }
      const problem = { kind: k.kind, resource: k.resource, status, message: kubeReason(err) };
      if (status === 403) {
        report.forbidden.push(problem);
        continue;
      }
      report.failed.push(problem);
      // No HTTP answer at all: the cluster is not reachable, so the other kinds would fail alike.
      if (status === undefined) break;
      continue;
    }
    for (const item of items) {
      const namespace = item.metadata?.namespace ?? '';
      const name = item.metadata?.name ?? '';
      const label = item.metadata?.labels?.[RUN_ID_LABEL];
      if (label !== undefined && opts.skipRunLabels?.has(label)) {
        opts.log?.(`left ${k.kind} ${namespace}/${name}: its run is still in progress`);
        continue;
      }
      const o: SweptObject = {
        kind: k.kind,
        namespace,
        name,
        runId: label,
        outcome: 'terminating',
      };
      report.objects.push(o);
      try {
        await k.remove(namespace, name);
      } catch (err) {
        if (kubeStatus(err) === 404) {
          o.outcome = 'deleted';
          o.detail = 'it was already gone';
          continue;
        }
        o.outcome = 'failed';
        o.detail = kubeReason(err);
        continue;
      }
      pending.push({ k, o });
    }
  }
  await awaitRemoval(pending, opts);
  return report;
}

/** Polls each deleted object until it is gone or reports recovery, or the time is up. */
async function awaitRemoval(pending: Pending[], opts: SweepOptions): Promise<void> {
  const deadline = Date.now() + opts.recoverTimeoutMs;
  let waiting = pending;
  let announced = false;
  const lastSeen = new Map<SweptObject, LiveObject>();
  /** The last read that failed, per object: a blip is retried until the deadline. */
  const unreadable = new Map<SweptObject, string>();
  for (;;) {
    const still: Pending[] = [];
    for (const p of waiting) {
      let live: LiveObject | undefined;
      try {
        live = await p.k.read(p.o.namespace, p.o.name);
        unreadable.delete(p.o);
      } catch (err) {
        unreadable.set(p.o, kubeReason(err));
        still.push(p);
        continue;
      }
      if (live === undefined) {
        p.o.outcome = 'deleted';
        delete p.o.detail;
      } else if (p.k.recovered?.(live)) {
        p.o.outcome = 'recovered';
        p.o.detail = 'it reports AllRecovered; the object goes when its finalizer is released';
      } else {
        lastSeen.set(p.o, live);
        still.push(p);
      }
    }
    waiting = still;
    if (waiting.length === 0) return;
    if (Date.now() >= deadline) break;
    if (!announced) {
      announced = true;
      opts.log?.(
        `waiting up to ${opts.recoverTimeoutMs / 1000} s for ${waiting.length} deleted object(s) to go or report recovery (--recover-timeout)`,
      );
    }
    await sleep(Math.min(opts.pollMs ?? 250, Math.max(0, deadline - Date.now())));
  }
  for (const p of waiting) {
    const failedRead = unreadable.get(p.o);
    if (failedRead !== undefined) {
      p.o.outcome = 'unverified';
      p.o.detail = `deleted, but it cannot be read back: ${failedRead}`;
      continue;
    }
    const finalizers = lastSeen.get(p.o)?.metadata?.finalizers ?? [];
    p.o.outcome = 'terminating';
    p.o.detail =
      `recovery unverified: neither gone nor ${p.k.recovered ? 'AllRecovered' : 'released'} within ${opts.recoverTimeoutMs / 1000} s` +
      (finalizers.length > 0 ? ` (finalizers: ${finalizers.join(', ')})` : '');
  }
}
