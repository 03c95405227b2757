// `tiergate gameday --chaos chaos-mesh`: the game day's faults as Chaos Mesh experiments on
// the pods `--selector` picks in `--namespace`, while the load goes to `--target` (the service
// those pods serve). `--dry-run` prints the experiments and touches no cluster.
import { ChaosMeshDriver } from '../../chaos/chaos-mesh/driver.ts';
import { type ChaosMeshPlan, planChaosMesh } from '../../chaos/chaos-mesh/manifests.ts';
import { UsageError } from '../../core/errors.ts';
import { EXIT } from '../../core/exit-codes.ts';
import { resolveRunId } from '../../core/run-id.ts';
import type { Terminal } from '../../core/terminal.ts';
import type { GameDay } from '../../thresholds/gameday.ts';
import type { LoadPlan } from '../../thresholds/model.ts';
import { CHAOS_NAMESPACES_ENV, type ChaosNamespaces } from '../config/user-config.ts';
import { type KubeAccess, loadKubeConfig } from '../kube/client.ts';
import { yamlStream } from '../kube/yaml.ts';
import type { Prepared } from '../run/conduct.ts';
import { type ChaosMeshFlags, chaosMeshTarget } from './options/chaos-mesh-flags.ts';
import { parseDuration } from './options/plan-from-options.ts';

export interface ChaosMeshGameDayFlags extends ChaosMeshFlags, KubeAccess {
  dryRun?: boolean;
  injectTimeout?: string;
  recoverTimeout?: string;
  runId?: string;
}

/** Flags that only mean something with --chaos chaos-mesh. */
const MESH_ONLY: (keyof ChaosMeshGameDayFlags)[] = [
  'namespace',
  'selector',
  'mode',
  'value',
  'allowWideBlast',
  'port',
  'volumePath',
  'kubeconfig',
  'context',
  'dryRun',
  'injectTimeout',
  'recoverTimeout',
];

const FLAG_NAMES: Record<string, string> = {
  allowWideBlast: 'allow-wide-blast',
  volumePath: 'volume-path',
  dryRun: 'dry-run',
  injectTimeout: 'inject-timeout',
  recoverTimeout: 'recover-timeout',
};

export function refuseMeshFlags(flags: ChaosMeshGameDayFlags): void {
  const given = MESH_ONLY.find((k) => flags[k] !== undefined && flags[k] !== false);
  if (given !== undefined) {
    throw new UsageError(
      `--${FLAG_NAMES[given] ?? given} is for --chaos chaos-mesh`,
      'add --chaos chaos-mesh, or drop the flag for a local game day',
    );
  }
}

export function planMeshGameDay(
  g: GameDay,
  flags: ChaosMeshGameDayFlags,
): { runId: string; mesh: ChaosMeshPlan } {
  const runId = resolveRunId(flags.runId, `gameday-${g.id}`);
  const injectTimeoutMs = timeoutMs('--inject-timeout', flags.injectTimeout);
  const injectTimeoutS = injectTimeoutMs === undefined ? undefined : injectTimeoutMs / 1000;
  return { runId, mesh: planChaosMesh(g, chaosMeshTarget(flags), runId, injectTimeoutS) };
}

/**
 * Faults go only where the project said they may: a namespace in the config's
 * `chaosNamespaces` or in TIERGATE_CHAOS_NAMESPACES. A `--namespace` typed on a command line
 * alone (say, prod for shop) is refused before the cluster is asked anything.
 */
export function requireChaosNamespace(namespace: string, allowed: ChaosNamespaces): void {
  if (allowed.names.includes(namespace)) return;
  const where = allowed.file ? `${allowed.file}'s chaosNamespaces` : 'no config file';
  const listed = allowed.names.length > 0 ? ` (allowed: ${allowed.names.join(', ')})` : '';
  throw new UsageError(
    `--namespace ${namespace} is not allow-listed for chaos${listed}`,
    `add it to chaosNamespaces in tiergate.config.* (now: ${where}) or set ${CHAOS_NAMESPACES_ENV}=${namespace}`,
  );
}

export function printMeshManifests(runId: string, mesh: ChaosMeshPlan, term: Terminal): number {
  term.out(yamlStream(mesh.experiments.map((e) => e.object)).trimEnd());
  term.info(
    `tiergate: --dry-run: run ${runId}, nothing was sent to a cluster (--run-id ${runId} creates these exact objects)`,
  );
  for (const note of mesh.notes) term.info(`note: ${note}`);
  return EXIT.pass;
}

/** The load plan adjusted for the experiments (fresh connections for HTTPChaos), with notes. */
export function adaptPlan(plan: LoadPlan, mesh: ChaosMeshPlan): LoadPlan {
  return {
    ...plan,
    notes: [...plan.notes, ...mesh.notes],
    ...(mesh.freshConnections ? { freshConnections: true } : {}),
  };
}

function timeoutMs(flag: string, value: string | undefined): number | undefined {
  const s = parseDuration(flag, value);
  return s === undefined ? undefined : s * 1000;
}

/** What conductRun calls: the driver, checked against the cluster before any load. */
export function meshPrepare(
  g: GameDay,
  flags: ChaosMeshGameDayFlags & { target?: string },
  mesh: ChaosMeshPlan,
  term: Terminal,
): (cleanup: unknown, runDir: string) => Promise<Prepared> {
  const target = flags.target;
  if (target === undefined || target === 'demo') {
    throw new UsageError(
      `--chaos chaos-mesh needs --target <url>: the service the selected pods serve${target === 'demo' ? " (the demo runs on this machine, out of Chaos Mesh's reach)" : ''}`,
      'e.g. --target http://checkout.shop.svc:8080 (as this machine reaches it)',
    );
  }
  const injectTimeoutMs = timeoutMs('--inject-timeout', flags.injectTimeout);
  const recoverTimeoutMs = timeoutMs('--recover-timeout', flags.recoverTimeout);
  return async (_cleanup, runDir) => {
    const kc = loadKubeConfig(flags);
    const driver = new ChaosMeshDriver({
      kc,
      target: chaosMeshTarget(flags),
      plan: mesh,
      runDir,
      ...(injectTimeoutMs !== undefined ? { injectTimeoutMs } : {}),
      ...(recoverTimeoutMs !== undefined ? { recoverTimeoutMs } : {}),
      log: (line) => term.info(line),
    });
    await driver.preflight(g.faults);
    for (const e of mesh.experiments)
      term.info(
        `chaos-mesh: ${e.object.kind} ${e.object.metadata.namespace}/${e.object.metadata.name} at ${e.fault.atS}s for ${e.fault.holdS}s`,
      );
    return { target, gameDay: { definition: g, driver } };
  };
}
