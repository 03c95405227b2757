// `tiergate chaos cleanup`: undoes what killed runs left behind. Locally, from their fault
// ledgers; on a cluster (when a kubeconfig is at hand), every Chaos Mesh experiment and TestRun
// carrying tiergate's labels, of one run or all.
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { cleanupExperiments } from '../../chaos/chaos-mesh/cleanup.ts';
import { cleanupLedger, LEDGER_FILE } from '../../chaos/local/ledger.ts';
import { cleanupTestRuns } from '../engines/k6-operator/cleanup.ts';
import { RunError, UsageError } from '../errors.ts';
import { EXIT } from '../exit-codes.ts';
import { clusterName } from '../kube/access.ts';
import { type KubeFlags, kubeStatus, loadKubeConfig } from '../kube/client.ts';
import type { Terminal } from './terminal.ts';

export interface ChaosCleanupFlags extends KubeFlags {
  runId?: string;
  resultsDir?: string;
  namespace?: string;
  localOnly?: boolean;
}

/** Deletes tiergate's objects on the cluster; false when there is no cluster to sweep. */
async function sweepCluster(flags: ChaosCleanupFlags, term: Terminal): Promise<number | false> {
  if (flags.localOnly) return false;
  let kc: ReturnType<typeof loadKubeConfig>;
  try {
    kc = loadKubeConfig(flags);
  } catch (err) {
    // No cluster configured is normal on a laptop; a kubeconfig asked for by name must work.
    if (flags.kubeconfig !== undefined || flags.context !== undefined) throw err;
    term.info(`cluster sweep skipped: ${(err as Error).message}`);
    return false;
  }
  const opts = {
    ...(flags.namespace !== undefined ? { namespace: flags.namespace } : {}),
    ...(flags.runId !== undefined ? { runId: flags.runId } : {}),
  };
  let removed: string[];
  try {
    removed = [...(await cleanupExperiments(kc, opts)), ...(await cleanupTestRuns(kc, opts))];
  } catch (err) {
    const why = kubeStatus(err) ? `HTTP ${kubeStatus(err)}` : (err as Error).message;
    throw new RunError(
      `cluster sweep of ${clusterName(kc)} failed: ${why}`,
      'check --kubeconfig/--context, or pass --local-only to handle the fault ledgers alone',
    );
  }
  for (const line of removed) term.out(`deleted ${line}`);
  return removed.length;
}

export async function chaosCleanupCommand(
  flags: ChaosCleanupFlags,
  term: Terminal,
): Promise<number> {
  const results = resolve(flags.resultsDir ?? 'results');
  const swept = await sweepCluster(flags, term);
  // Without a cluster to sweep, a run id must name a run folder (a typo would find nothing).
  if (swept === false && flags.runId !== undefined && !existsSync(join(results, flags.runId))) {
    throw new UsageError(`no run ${flags.runId} in ${results}`);
  }
  const runs =
    flags.runId !== undefined ? [flags.runId] : existsSync(results) ? readdirSync(results) : [];
  let undone = swept === false ? 0 : swept;
  for (const run of runs) {
    const dir = join(results, run);
    if (!existsSync(join(dir, LEDGER_FILE))) continue;
    for (const action of cleanupLedger(dir, swept !== false)) {
      term.out(`${run}: ${action}`);
      undone++;
    }
  }
  term.out(
    undone === 0
      ? `nothing to clean up: every recorded fault was removed${swept === false ? '' : ' and no tiergate object is left on the cluster'}`
      : `${undone} leftover(s) handled`,
  );
  return EXIT.pass;
}
