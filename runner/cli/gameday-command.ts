// `tiergate gameday`: a tier's steady load plus a fault schedule. Locally the target (the
// demo's replicas, or a URL) sits behind tiergate's fault proxy; with --chaos chaos-mesh the
// faults are Chaos Mesh experiments on the cluster's pods. Faults are switched on the run's
// clock and always removed, whatever ends the run.

import { UsageError } from '../../core/errors.ts';
import { EXIT } from '../../core/exit-codes.ts';
import { quietTerminal, type Terminal } from '../../core/terminal.ts';
import type { GameDay } from '../../thresholds/gameday.ts';
import { planGameDay, retime } from '../../thresholds/gameday-plan.ts';
import { selectTier } from '../config/roadmaps.ts';
import { loadUserConfig } from '../config/user-config.ts';
import { conductRun } from '../run/conduct.ts';
import {
  adaptPlan,
  type ChaosMeshGameDayFlags,
  meshPrepare,
  planMeshGameDay,
  printMeshManifests,
  refuseMeshFlags,
  requireChaosNamespace,
} from './gameday-chaos-mesh.ts';
import { allGameDays, findRunnableGameDay, localPrepare } from './local-gameday.ts';
import type { DemoFlags } from './options/demo-flags.ts';
import { parseDuration, parseNumber } from './options/plan-from-options.ts';
import type { ConductFlags } from './options/run-flags.ts';
import { conductSettings } from './options/run-settings.ts';
import { targetCredentials, withAuthorization } from './options/target-userinfo.ts';

export interface GameDayFlags extends ConductFlags, DemoFlags, ChaosMeshGameDayFlags {
  fault?: string;
  chaos?: string;
  steady?: string;
  hold?: string;
  recovery?: string;
  list?: boolean;
  /** A file of game days: `{ gameDays: [...] }` or one game day. */
  gamedayFile?: string;
}

export function renderGameDayList(
  user: readonly GameDay[] = [],
  files: ReadonlyMap<string, string> = new Map(),
): string {
  const pad = ' '.repeat(17);
  return allGameDays(user)
    .map((g) => {
      const where = g.kubernetesOnly
        ? `Kubernetes only: ${g.kubernetesOnly}`
        : 'local and Kubernetes';
      const source = g.source ? `  [${g.source.seed}:${g.source.line}]` : '';
      const file = files.get(g.id);
      const lines = [`${g.id.padEnd(16)} ${g.name}`, g.description, `${where}${source}`];
      if (file !== undefined) lines.push(`from ${file}`);
      return lines.filter((line) => line !== '').join(`\n${pad}`);
    })
    .join('\n');
}

function chooseGameDay(flags: GameDayFlags, onCluster: boolean, user: readonly GameDay[]): GameDay {
  const g = findRunnableGameDay(flags.fault, '--fault', onCluster, user);
  const steadyS = parseDuration('--steady', flags.steady);
  const holdS = parseDuration('--hold', flags.hold);
  const recoveryS = parseDuration('--recovery', flags.recovery);
  return retime(g, {
    ...(steadyS !== undefined ? { steadyS } : {}),
    ...(holdS !== undefined ? { holdS } : {}),
    ...(recoveryS !== undefined ? { recoveryS } : {}),
  });
}

export async function gameDayCommand(
  given: GameDayFlags,
  shell: Terminal,
  signal: AbortSignal,
): Promise<number> {
  const term = given.quiet ? quietTerminal(shell) : shell;
  // `user:pass@` in the target is sent as Basic auth, never dropped on the way to the proxy.
  const credentials = targetCredentials(given.target);
  const flags = credentials ? { ...given, target: credentials.target } : given;
  const config = await loadUserConfig(flags.config, flags.gamedayFile);
  if (flags.list) {
    term.out(renderGameDayList(config.gameDays, config.gameDayFiles));
    return EXIT.pass;
  }
  const mesh = (flags.chaos ?? 'local') === 'chaos-mesh';
  if (!mesh) refuseMeshFlags(flags);
  const g = chooseGameDay(flags, mesh, config.gameDays);
  const planned = mesh ? planMeshGameDay(g, flags) : undefined;
  if (planned && flags.dryRun) return printMeshManifests(planned.runId, planned.mesh, term);
  if (planned) requireChaosNamespace(flags.namespace ?? '', config.chaosNamespaces);
  if (flags.roadmap === undefined || flags.tier === undefined) {
    throw new UsageError(
      "--roadmap and --tier are required: the game day runs at the tier's steady load",
    );
  }
  if (flags.target === undefined) {
    throw new UsageError(
      '--target is required: a base URL, or "demo" to start the demo service behind the fault proxy',
    );
  }
  const { tier } = selectTier(config.roadmaps, flags.roadmap, flags.tier);
  const peak = parseNumber('--rate', flags.rate, 0.01);
  const planned0 = planGameDay(tier, g, {
    roadmap: flags.roadmap,
    target: flags.target === 'demo' ? 'http://127.0.0.1:0' : flags.target,
    ...(peak !== undefined ? { peak } : {}),
  });
  const plan = credentials ? withAuthorization(planned0, credentials.authorization) : planned0;
  if (flags.redact !== undefined && flags.redact.length > 0) plan.redact = [...flags.redact];
  if (flags.allowErrors) plan.allowErrors = true;
  if (planned) {
    return conductRun({
      settings: conductSettings({ ...flags, runId: planned.runId }),
      term,
      signal,
      plan: adaptPlan(plan, planned.mesh),
      prepare: meshPrepare(g, flags, planned.mesh, term),
    });
  }
  return conductRun({
    settings: conductSettings(flags),
    term,
    signal,
    plan,
    prepare: localPrepare(g, flags, term, signal),
  });
}
