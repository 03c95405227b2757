// The calls tiergate makes on Chaos Mesh objects: create, read, delete, and the conditions and
// Events that tell how an experiment is doing.
import { CoreV1Api, CustomObjectsApi, type KubeConfig } from '@kubernetes/client-node';
import { hasCondition, kubeStatus } from '../../runner/kube/client.ts';
import { CHAOS_GROUP, CHAOS_VERSION, type ChaosObject, PLURALS } from './types.ts';

export type ConditionType = 'Selected' | 'AllInjected' | 'AllRecovered' | 'Paused';

export interface LiveExperiment {
  metadata: { name: string; namespace: string; deletionTimestamp?: string };
  status?: {
    conditions?: { type: string; status: string }[];
    experiment?: { containerRecords?: { id: string; phase: string }[] };
  };
}

export class ChaosApi {
  private readonly custom: CustomObjectsApi;
  private readonly core: CoreV1Api;

  constructor(kc: KubeConfig) {
    this.custom = kc.makeApiClient(CustomObjectsApi);
    this.core = kc.makeApiClient(CoreV1Api);
  }

  private ref(o: { kind: string; metadata: { namespace: string; name?: string } }) {
    const plural = PLURALS[o.kind as keyof typeof PLURALS];
    if (plural === undefined) throw new Error(`not a Chaos Mesh kind tiergate knows: ${o.kind}`);
    return { group: CHAOS_GROUP, version: CHAOS_VERSION, namespace: o.metadata.namespace, plural };
  }

  async create(o: ChaosObject): Promise<void> {
    await this.custom.createNamespacedCustomObject({ ...this.ref(o), body: o });
  }

  /** The object as the cluster has it, or undefined once it is gone. */
  async read(o: ChaosObject): Promise<LiveExperiment | undefined> {
    try {
      return (await this.custom.getNamespacedCustomObject({
        ...this.ref(o),
        name: o.metadata.name,
      })) as LiveExperiment;
    } catch (err) {
      if (kubeStatus(err) === 404) return undefined;
      throw err;
    }
  }

  /** Deletes it (already gone is fine). */
  async delete(o: ChaosObject): Promise<void> {
    try {
      await this.custom.deleteNamespacedCustomObject({ ...this.ref(o), name: o.metadata.name });
    } catch (err) {
      if (kubeStatus(err) !== 404) throw err;
    }
  }

  /** The experiment's recent Events, one line each (newest last). */
  async events(o: ChaosObject): Promise<string[]> {
    const list = await this.core.listNamespacedEvent({
      namespace: o.metadata.namespace,
      fieldSelector: `involvedObject.name=${o.metadata.name}`,
    });
    return list.items.slice(-5).map((e) => `${e.reason ?? e.type}: ${e.message ?? ''}`.trim());
  }
}

export function condition(live: LiveExperiment | undefined, type: ConditionType): boolean {
  return hasCondition(live, type);
}

export function describeObject(o: ChaosObject): string {
  return `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`;
}
