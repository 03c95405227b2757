// `tiergate chaos cleanup` on a cluster, the Chaos Mesh part: the kinds tiergate creates, swept
// by label (runner/kube/sweep.ts). Deleting an experiment asks Chaos Mesh to undo its fault; its
// `chaos-mesh/records` finalizer holds the object until it has, and the AllRecovered condition
// says so — so an experiment counts as cleaned up only once it is gone or AllRecovered.
import type { KubeConfig } from '@kubernetes/client-node';
import { hasCondition } from '../../runner/kube/client.ts';
import { customKind, type SweepKind } from '../../runner/kube/sweep.ts';
import { CHAOS_GROUP, CHAOS_VERSION, PLURALS } from './types.ts';

export const CHAOS_MESH_PRODUCT = 'Chaos Mesh';

/** Every Chaos Mesh kind tiergate may create (experiments, Schedule, Workflow). */
export function chaosMeshSweepKinds(kc: KubeConfig): SweepKind[] {
  return Object.entries(PLURALS).map(([kind, plural]) =>
    customKind(kc, {
      kind,
      group: CHAOS_GROUP,
      version: CHAOS_VERSION,
      plural,
      product: CHAOS_MESH_PRODUCT,
      recovered: (live) => hasCondition(live, 'AllRecovered'),
    }),
  );
}
