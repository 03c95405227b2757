// A test-only stand-in for Chaos Mesh's controller manager and chaos-daemon, which need a real
// cluster: it watches (polls) the experiments in one namespace of the test API server and moves
// them through the states Chaos Mesh would. A new experiment gets the `chaos-mesh/records`
// finalizer and records for the pods its selector and mode pick (as pkg/selector/generic does),
// then Selected with AllInjected still False, then AllInjected once `onInject` has applied the
// matching local fault (so the effect shows in the metrics); `neverInject` stops it at Selected.
// A deleted one is recovered (`onRecover`) and released; `neverRecover` keeps it forever.
import {
  ApiextensionsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  type KubeConfig,
} from '@kubernetes/client-node';
import {
  CHAOS_GROUP,
  CHAOS_VERSION,
  EMBEDDED_FIELD,
  type ExperimentKind,
  PLURALS,
} from '../../chaos/chaos-mesh/types.ts';

export const RECORDS_FINALIZER = 'chaos-mesh/records';

export interface FakeExperiment {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace: string;
    resourceVersion?: string;
    finalizers?: string[];
    deletionTimestamp?: string;
    labels?: Record<string, string>;
  };
  spec: {
    selector?: { labelSelectors?: Record<string, string>; namespaces?: string[] };
    mode?: string;
    value?: string;
  } & Record<string, unknown>;
  status?: unknown;
}

export interface ChaosControllerOptions {
  kc: KubeConfig;
  namespace: string;
  onInject?: (o: FakeExperiment) => void | Promise<void>;
  onRecover?: (o: FakeExperiment) => void | Promise<void>;
  /** Never recover a deleted experiment (its finalizer stays): recovery cannot be verified. */
  neverRecover?: boolean;
  /** Select the pods but never report AllInjected (a chaos-daemon that does not answer). */
  neverInject?: boolean;
}

export interface ChaosController {
  /** What happened, in order: `injected PodChaos/name`, `recovered …`. */
  readonly log: string[];
  readonly errors: string[];
  stop(): Promise<void>;
}

const EXPERIMENT_KINDS = Object.keys(EMBEDDED_FIELD) as ExperimentKind[];

function conditions(injected: boolean, recovered: boolean, selected: boolean) {
  const c = (type: string, on: boolean) => ({ type, status: on ? 'True' : 'False' });
  return [
    c('Selected', selected),
    c('AllInjected', injected),
    c('AllRecovered', recovered),
    c('Paused', false),
  ];
}

/** How many of `count` pods Chaos Mesh's selector picks for a mode and value (rounding up). */
function picks(mode: string | undefined, value: string | undefined, count: number): number {
  const v = Number(value);
  if (mode === 'all') return count;
  if (mode === 'fixed') return Math.min(v, count);
  if (mode?.endsWith('percent')) return Math.ceil((count * v) / 100);
  return Math.min(1, count);
}

export async function startChaosController(o: ChaosControllerOptions): Promise<ChaosController> {
  const custom = o.kc.makeApiClient(CustomObjectsApi);
  const core = o.kc.makeApiClient(CoreV1Api);
  const withStatusSubresource = new Set<string>();
  const crds = o.kc.makeApiClient(ApiextensionsV1Api);
  for (const kind of EXPERIMENT_KINDS) {
    const crd = await crds.readCustomResourceDefinition({
      name: `${PLURALS[kind]}.${CHAOS_GROUP}`,
    });
    if (crd.spec.versions[0]?.subresources?.status !== undefined) withStatusSubresource.add(kind);
  }
  const log: string[] = [];
  const errors: string[] = [];
  let running = true;

  const ref = (kind: string) => ({
    group: CHAOS_GROUP,
    version: CHAOS_VERSION,
    namespace: o.namespace,
    plural: PLURALS[kind as keyof typeof PLURALS],
  });

  /** Writes the object (finalizers) and its status, through /status where the CRD has it. */
  async function write(x: FakeExperiment, status: unknown): Promise<FakeExperiment> {
    const where = { ...ref(x.kind), name: x.metadata.name };
    if (!withStatusSubresource.has(x.kind)) {
      return (await custom.replaceNamespacedCustomObject({
        ...where,
        body: { ...x, status },
      })) as FakeExperiment;
    }
    const updated = (await custom.replaceNamespacedCustomObject({
      ...where,
      body: x,
    })) as FakeExperiment;
    return (await custom.replaceNamespacedCustomObjectStatus({
      ...where,
      body: { ...updated, status },
    })) as FakeExperiment;
  }

  async function inject(x: FakeExperiment): Promise<void> {
    const labels = x.spec.selector?.labelSelectors ?? {};
    const labelSelector = Object.entries(labels)
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    const pods = await core.listNamespacedPod({ namespace: o.namespace, labelSelector });
    const picked = pods.items.slice(0, picks(x.spec.mode, x.spec.value, pods.items.length));
    const records = picked.map((p) => ({
      id: `${o.namespace}/${p.metadata?.name}`,
      selectorKey: '.',
      phase: 'Not Injected',
      injectedCount: 0,
      recoveredCount: 0,
    }));
    x.metadata.finalizers = [...(x.metadata.finalizers ?? []), RECORDS_FINALIZER];
    if (records.length === 0) {
      await write(x, {
        conditions: conditions(false, false, false),
        experiment: { desiredPhase: 'Run' },
      });
      await core.createNamespacedEvent({
        namespace: o.namespace,
        body: {
          metadata: { generateName: `${x.metadata.name}.` },
          involvedObject: {
            kind: x.kind,
            name: x.metadata.name,
            namespace: o.namespace,
            apiVersion: x.apiVersion,
          },
          reason: 'Failed',
          message: 'no target has been selected',
          type: 'Warning',
        },
      });
      log.push(`nothing selected ${x.kind}/${x.metadata.name}`);
      return;
    }
    const selected = await write(x, {
      conditions: conditions(false, false, true),
      experiment: { desiredPhase: 'Run', containerRecords: records },
    });
    log.push(`selected ${x.kind}/${x.metadata.name}`);
    if (o.neverInject) return;
    await o.onInject?.(x);
    const injected = records.map((r) => ({ ...r, phase: 'Injected', injectedCount: 1 }));
    await write(
      { ...selected, kind: x.kind, apiVersion: x.apiVersion },
      {
        conditions: conditions(true, false, true),
        experiment: { desiredPhase: 'Run', containerRecords: injected },
      },
    );
    log.push(`injected ${x.kind}/${x.metadata.name}`);
  }

  async function recover(x: FakeExperiment): Promise<void> {
    await o.onRecover?.(x);
    x.metadata.finalizers = (x.metadata.finalizers ?? []).filter((f) => f !== RECORDS_FINALIZER);
    // Released: the API server removes the object now (its deletion was waiting for us).
    await custom.replaceNamespacedCustomObject({ ...ref(x.kind), name: x.metadata.name, body: x });
    log.push(`recovered ${x.kind}/${x.metadata.name}`);
  }

  const handled = new Set<string>();
  async function pass(): Promise<void> {
    for (const kind of EXPERIMENT_KINDS) {
      const list = (await custom.listNamespacedCustomObject(ref(kind))) as {
        items: FakeExperiment[];
      };
      for (const item of list.items) {
        const x = { ...item, kind, apiVersion: `${CHAOS_GROUP}/${CHAOS_VERSION}` };
        const key = `${kind}/${x.metadata.name}`;
        const held = x.metadata.finalizers?.includes(RECORDS_FINALIZER) ?? false;
        try {
          if (x.metadata.deletionTimestamp !== undefined) {
            if (held && !o.neverRecover) await recover(x);
          } else if (!held && !handled.has(key)) {
            handled.add(key);
            await inject(x);
          }
        } catch (err) {
          handled.delete(key); // a conflict: try again on the next pass
          if ((err as { code?: number }).code !== 409)
            errors.push(`${key}: ${(err as Error).message}`);
        }
      }
    }
  }

  const loop = (async () => {
    while (running) {
      await pass().catch((err: Error) => errors.push(err.message));
      await new Promise((r) => setTimeout(r, 150));
    }
  })();

  return {
    log,
    errors,
    async stop() {
      running = false;
      await loop;
    },
  };
}
