// `tiergate chaos cleanup`: undoes what killed runs left behind. First on this machine, from
// their fault ledgers (frozen processes thawed) — whatever the cluster says; then on a cluster
// (when a kubeconfig is at hand), every Chaos Mesh experiment and TestRun carrying tiergate's
// labels, of one run or all, deleted and watched until it is gone or reports recovery. A ledger
// entry for a cluster object is closed only once that object is seen gone on the swept cluster.
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { CHAOS_MESH_PRODUCT, chaosMeshSweepKinds } from '../../chaos/chaos-mesh/cleanup.ts';
import {
  type ClusterVerdict,
  cleanupLedger,
  isClusterFault,
  LEDGER_FILE,
  readLedgerChecked,
  readOpenFaults,
  type SweptCluster,
  settleClusterFaults,
} from '../../chaos/local/ledger.ts';
import { RunError, UsageError } from '../../core/errors.ts';
import { EXIT } from '../../core/exit-codes.ts';
import { checkRunId } from '../../core/run-id.ts';
import type { Terminal } from '../../core/terminal.ts';
import { k6OperatorSweepKinds } from '../engines/k6-operator/cleanup.ts';
import { clusterName } from '../kube/access.ts';
import { type KubeAccess, kubeReason, loadKubeConfig } from '../kube/client.ts';
import { labelValue } from '../kube/labels.ts';
import {
  type SweepKind,
  type SweepOutcome,
  type SweepReport,
  type SweptObject,
  sweep,
} from '../kube/sweep.ts';
import { liveLockHolder } from '../run/run-folder.ts';
import { parseDuration } from './options/plan-from-options.ts';

export interface ChaosCleanupFlags extends KubeAccess {
  runId?: string;
  resultsDir?: string;
  namespace?: string;
  localOnly?: boolean;
  recoverTimeout?: string;
}

export const DEFAULT_CLEANUP_RECOVER_TIMEOUT_S = 60;

const OUTCOME: Record<SweepOutcome, string> = {
  deleted: 'deleted',
  recovered: 'recovered',
  terminating: 'still terminating',
  unverified: 'unverified',
  failed: 'not deleted',
};

function objectLine(o: SweptObject): string {
  const run = o.runId !== undefined ? `run ${o.runId}` : 'no run id';
  return `${OUTCOME[o.outcome]} ${o.kind} ${o.namespace}/${o.name} (${run})${o.detail ? `: ${o.detail}` : ''}`;
}

/** The cluster to sweep, or why there is none. Decided before anything is touched. */
function clusterToSweep(flags: ChaosCleanupFlags, term: Terminal): KubeConfig | string {
  if (flags.localOnly) return '--local-only';
  try {
    return loadKubeConfig(flags);
  } catch (err) {
    // No cluster configured is normal on a laptop; a kubeconfig asked for by name must work.
    if (flags.kubeconfig !== undefined || flags.context !== undefined) throw err;
    term.info(`cluster sweep skipped: ${(err as Error).message}`);
    return 'no kubeconfig';
  }
}

/** "Chaos Mesh (no chaos-mesh.org CRDs)" when a product is wholly absent, else its resources. */
function notInstalledNote(kinds: readonly SweepKind[], missing: readonly SweepKind[]): string {
  const parts: string[] = [];
  for (const product of new Set(missing.map((k) => k.product))) {
    const all = kinds.filter((k) => k.product === product);
    const gone = missing.filter((k) => k.product === product);
    if (gone.length === all.length && gone.length > 1) {
      const group = gone[0]!.resource.slice(gone[0]!.resource.indexOf('.') + 1);
      parts.push(`${product} (no ${group} CRDs)`);
    } else if (gone.length === all.length) {
      parts.push(`${product} (no ${gone[0]!.resource} CRD)`);
    } else {
      parts.push(gone.map((k) => k.resource).join(', '));
    }
  }
  return parts.join('; ');
}

interface ClusterPart {
  server: string;
  report: SweepReport;
  /** The cluster did not answer at all. */
  unreachable: boolean;
  /** Reasons the sweep is incomplete (exit 3), and what to do. */
  problems: string[];
  hints: string[];
}

async function sweepCluster(
  kc: KubeConfig,
  flags: ChaosCleanupFlags,
  recoverTimeoutMs: number,
  term: Terminal,
  live: ReadonlyMap<string, number>,
): Promise<{ part: ClusterPart; kinds: SweepKind[] }> {
  const server = clusterName(kc);
  const kinds = [...chaosMeshSweepKinds(kc), ...k6OperatorSweepKinds(kc)];
  const report = await sweep(kinds, {
    ...(flags.namespace !== undefined ? { namespace: flags.namespace } : {}),
    ...(flags.runId !== undefined ? { runId: flags.runId } : {}),
    skipRunLabels: new Set([...live.keys()].map(labelValue)),
    recoverTimeoutMs,
    log: (line) => term.info(line),
  });
  const part: ClusterPart = { server, report, unreachable: false, problems: [], hints: [] };
  for (const o of report.objects) term.out(objectLine(o));

  if (report.notInstalled.length > 0) {
    term.info(
      `not installed on ${server}, skipped: ${notInstalledNote(kinds, report.notInstalled)}`,
    );
  }
  if (report.forbidden.length > 0) {
    const resources = report.forbidden.map((p) => p.resource).join(', ');
    const what = plural(report.forbidden.length, 'kind');
    if (flags.namespace === undefined) {
      term.info(`not allowed to list across all namespaces of ${server}: ${resources}`);
      part.problems.push(`not allowed to list ${what} across all namespaces`);
      part.hints.push('pass --namespace <ns> to sweep a namespace you may list and delete in');
    } else {
      term.info(`not allowed to list in namespace ${flags.namespace} of ${server}: ${resources}`);
      part.problems.push(`not allowed to list ${what} in namespace ${flags.namespace}`);
      part.hints.push('ask for a Role granting list, get and delete on them');
    }
  }
  const unreachable = report.failed.find((p) => p.status === undefined);
  if (unreachable !== undefined) {
    part.unreachable = true;
    part.problems.push(`cannot reach ${server}: ${unreachable.message}`);
    part.hints.push(
      'check --kubeconfig/--context, or pass --local-only to handle the fault ledgers alone',
    );
  }
  for (const p of report.failed.filter((f) => f.status !== undefined)) {
    term.info(`could not list ${p.resource} on ${server}: ${p.message}`);
    part.problems.push(`could not list ${p.resource} (${p.message})`);
  }
  const count = (outcome: SweepOutcome) => report.objects.filter((o) => o.outcome === outcome);
  const terminating = count('terminating');
  if (terminating.length > 0) {
    part.problems.push(`${terminating.length} object(s) still terminating: recovery unverified`);
    const o = terminating[0]!;
    const mesh = kinds.find((k) => k.kind === o.kind)?.product === CHAOS_MESH_PRODUCT;
    part.hints.push(
      `${mesh ? 'is chaos-controller-manager running? ' : ''}See why with kubectl describe -n ${o.namespace} ${o.kind.toLowerCase()} ${o.name}, then run cleanup again (or raise --recover-timeout)`,
    );
  }
  const unverified = count('unverified');
  if (unverified.length > 0) {
    part.problems.push(`${unverified.length} deleted object(s) could not be read back`);
  }
  const failed = count('failed');
  if (failed.length > 0) part.problems.push(`${failed.length} object(s) could not be deleted`);
  return { part, kinds };
}

/** How `settleClusterFaults` asks the swept cluster about a ledger entry's object. */
function sweptCluster(
  part: ClusterPart,
  kinds: readonly SweepKind[],
  flags: ChaosCleanupFlags,
  tally: { stillThere: number; unreadable: number },
): SweptCluster {
  return {
    server: part.server,
    async check(ref): Promise<ClusterVerdict> {
      if (flags.namespace !== undefined && ref.namespace !== flags.namespace) {
        return { gone: false, why: `it is outside --namespace ${flags.namespace}` };
      }
      const kind = kinds.find((k) => k.kind === ref.kind);
      if (kind === undefined)
        return { gone: false, why: `${ref.kind} is not a kind tiergate sweeps` };
      if (part.report.notInstalled.includes(kind)) {
        return {
          gone: false,
          why: `${kind.resource} is not installed on ${part.server}, so this run's fault was on another cluster (pass its --kubeconfig/--context)`,
        };
      }
      try {
        if ((await kind.read(ref.namespace, ref.name)) === undefined) return { gone: true };
      } catch (err) {
        tally.unreadable++;
        return { gone: false, why: `cannot read it on ${part.server}: ${kubeReason(err)}` };
      }
      const swept = part.report.objects.find(
        (o) => o.kind === ref.kind && o.namespace === ref.namespace && o.name === ref.name,
      );
      // What the sweep found is reported (and judged) above; here only what it did not find.
      if (swept?.outcome === 'recovered') {
        return {
          gone: false,
          why: `it reports AllRecovered but is still on ${part.server}; closed once it is gone`,
        };
      }
      if (swept !== undefined) return { gone: false, why: `it is still on ${part.server}` };
      tally.stillThere++;
      return {
        gone: false,
        why: `it is still on ${part.server} without tiergate's labels for this run, so the sweep left it`,
      };
    },
  };
}

/** Runs whose runner is alive (it holds the run folder's lock), by id → its pid. */
async function liveRuns(
  results: string,
  runId: string | undefined,
  term: Terminal,
): Promise<Map<string, number>> {
  const names = runId !== undefined ? [runId] : existsSync(results) ? readdirSync(results) : [];
  const live = new Map<string, number>();
  for (const run of names) {
    const pid = await liveLockHolder(join(results, run));
    if (pid === undefined) continue;
    live.set(run, pid);
    term.out(`${run}: still in progress (process ${pid} holds its run.lock): left alone`);
  }
  return live;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export async function chaosCleanupCommand(
  flags: ChaosCleanupFlags,
  term: Terminal,
): Promise<number> {
  const results = resolve(flags.resultsDir ?? 'results');
  const recoverTimeoutMs =
    (parseDuration('--recover-timeout', flags.recoverTimeout) ??
      DEFAULT_CLEANUP_RECOVER_TIMEOUT_S) * 1000;
  if (flags.namespace === '') throw new UsageError('--namespace needs a namespace name');
  if (flags.runId !== undefined) checkRunId(flags.runId);
  const cluster = clusterToSweep(flags, term);
  // Without a cluster to sweep, a run id must name a run folder (a typo would find nothing).
  if (typeof cluster === 'string' && flags.runId !== undefined) {
    if (!existsSync(join(results, flags.runId))) {
      throw new UsageError(`no run ${flags.runId} in ${results}`);
    }
  }
  const withLedger = (
    flags.runId !== undefined ? [flags.runId] : existsSync(results) ? readdirSync(results) : []
  ).filter((run) => existsSync(join(results, run, LEDGER_FILE)));
  // A run still going owns its faults: its own cleanup removes them, not this sweep.
  const live = await liveRuns(results, flags.runId, term);
  const runs = withLedger.filter((run) => !live.has(run));

  // This machine first: a cluster that cannot be swept must not keep a process frozen.
  let local = 0;
  let localOpen = 0;
  for (const run of runs) {
    // Lines that are not valid ledger lines are never acted on, and keep cleanup from "clean".
    const { issues } = readLedgerChecked(join(results, run));
    for (const issue of issues) term.out(`${run}: invalid ledger line, not acted on: ${issue}`);
    localOpen += issues.length;
    const actions = cleanupLedger(join(results, run));
    for (const action of actions) term.out(`${run}: ${action}`);
    // What it could not undo (a process not ours to resume) stays open in the ledger.
    const open = readOpenFaults(join(results, run)).filter((f) => !isClusterFault(f)).length;
    local += actions.length - open;
    localOpen += open;
  }

  let part: ClusterPart | undefined;
  let kinds: SweepKind[] = [];
  if (typeof cluster !== 'string')
    ({ part, kinds } = await sweepCluster(cluster, flags, recoverTimeoutMs, term, live));

  const tally = { stillThere: 0, unreadable: 0 };
  const against =
    part === undefined
      ? { notSwept: cluster as string }
      : part.unreachable
        ? { notSwept: `${part.server} could not be reached` }
        : sweptCluster(part, kinds, flags, tally);
  let closed = 0;
  let leftOpen = 0;
  for (const run of runs) {
    for (const s of await settleClusterFaults(join(results, run), against)) {
      term.out(`${run}: ${s.line}`);
      if (s.closed) closed++;
      else leftOpen++;
    }
  }

  const objects = part?.report.objects ?? [];
  const problems = [...(part?.problems ?? [])];
  const hints = [...(part?.hints ?? [])];
  if (localOpen > 0) {
    problems.unshift(`${plural(localOpen, 'local fault')} could not be undone`);
    hints.unshift(
      'run cleanup as the user who ran the game day; a line it names as invalid or unverifiable needs a look by hand',
    );
  }
  if (part === undefined && leftOpen > 0 && cluster !== '--local-only') {
    // Faults on a cluster nobody checked may still be live: not "clean".
    problems.push(
      `${plural(leftOpen, 'cluster fault')} not checked (${cluster as string}): ${leftOpen === 1 ? 'it' : 'they'} may still be in place`,
    );
    hints.push('pass --kubeconfig/--context of the cluster the game day ran on');
  }
  if (tally.stillThere > 0) {
    problems.push(
      `${plural(tally.stillThere, 'ledger entry names', 'ledger entries name')} an object still on the cluster that the sweep did not find`,
    );
  }
  if (tally.unreadable > 0 && problems.length === 0) {
    problems.push(
      `${plural(tally.unreadable, 'ledger entry', 'ledger entries')} could not be checked on the cluster`,
    );
  }
  const where = part === undefined ? '' : ` and no tiergate object on ${part.server}`;
  if (
    live.size === 0 &&
    objects.length === 0 &&
    local === 0 &&
    localOpen === 0 &&
    closed === 0 &&
    leftOpen === 0 &&
    problems.length === 0
  ) {
    term.out(`nothing to clean up: no open fault in the ledgers${where}`);
    return EXIT.pass;
  }
  const parts: string[] = [];
  if (part !== undefined && !part.unreachable) {
    const by = (outcome: SweepOutcome) => objects.filter((o) => o.outcome === outcome).length;
    const outcomes = (Object.keys(OUTCOME) as SweepOutcome[])
      .filter((o) => by(o) > 0)
      .map((o) => `${by(o)} ${OUTCOME[o]}${o === 'terminating' ? ' (recovery unverified)' : ''}`);
    const incomplete = part.report.forbidden.length + part.report.failed.length > 0;
    const found = objects.length === 0 ? 'no object' : plural(objects.length, 'object');
    parts.push(
      `${found} ${incomplete ? 'found ' : ''}on ${part.server}${incomplete ? ' (sweep incomplete)' : ''}${outcomes.length > 0 ? `: ${outcomes.join(', ')}` : ''}`,
    );
  }
  if (live.size > 0) parts.push(`${plural(live.size, 'run')} still in progress left alone`);
  if (local > 0) parts.push(`${plural(local, 'local fault')} settled`);
  if (closed + leftOpen > 0) {
    parts.push(
      `cluster ledger entries: ${closed} closed${leftOpen > 0 ? `, ${leftOpen} left open` : ''}`,
    );
  }
  term.out(`cleanup: ${parts.length > 0 ? parts.join('; ') : 'nothing was undone'}`);
  if (problems.length > 0) {
    throw new RunError(
      `cleanup incomplete: ${problems.join('; ')}`,
      hints.length > 0
        ? [...new Set(hints)].join('; ')
        : 'run cleanup again once the cluster answers',
    );
  }
  return EXIT.pass;
}
