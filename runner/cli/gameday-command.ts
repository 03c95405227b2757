// `tiergate gameday`: a tier's steady load plus a fault schedule. Locally the target (the
// demo's replicas, or a URL) sits behind tiergate's fault proxy; with --chaos chaos-mesh the
// faults are Chaos Mesh experiments on the cluster's pods. Faults are switched on the run's
// clock and always removed, whatever ends the run.

import { BUILTIN_GAMEDAYS, findGameDay } from '../../chaos/gamedays/builtin.ts';
import { startLocalTarget } from '../../chaos/local-target.ts';
import type { GameDay } from '../../thresholds/gameday.ts';
import { mergeById } from '../config/merge.ts';
import { selectTier } from '../config/roadmaps.ts';
import { closest } from '../config/suggest.ts';
import { UsageError } from '../errors.ts';
import { EXIT } from '../exit-codes.ts';
import { planGameDay, retime } from '../gameday/plan.ts';
import { type DemoFlags, demoOptionsFrom } from './demo-flags.ts';
import {
  adaptPlan,
  type ChaosMeshGameDayFlags,
  meshPrepare,
  planMeshGameDay,
  printMeshManifests,
  refuseMeshFlags,
} from './gameday-chaos-mesh.ts';
import { loadUserConfig } from './load-roadmaps.ts';
import { parseDuration, parseNumber } from './plan-from-options.ts';
import { checkEngine, conductRun, type RunFlags } from './run-command.ts';
import type { Terminal } from './terminal.ts';

export interface GameDayFlags extends RunFlags, DemoFlags, ChaosMeshGameDayFlags {
  fault?: string;
  chaos?: string;
  steady?: string;
  hold?: string;
  recovery?: string;
  list?: boolean;
  /** A file of game days: `{ gameDays: [...] }` or one game day. */
  gamedayFile?: string;
}

/** Every game day by id: the built-ins (or the user's replacing them), then the user's own. */
function allGameDays(user: readonly GameDay[]): GameDay[] {
  return mergeById(BUILTIN_GAMEDAYS, user);
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

function chooseGameDay(flags: GameDayFlags, user: readonly GameDay[]): GameDay {
  if (flags.fault === undefined) {
    throw new UsageError(
      '--fault is required: one of the game days listed by `tiergate gameday --list`',
    );
  }
  const g = findGameDay(flags.fault, user);
  if (!g) {
    const ids = allGameDays(user).map((x) => x.id);
    const guess = closest(flags.fault, ids);
    throw new UsageError(
      `unknown game day "${flags.fault}"; game days are: ${ids.join(', ')}${guess === undefined ? '' : ` (did you mean ${guess}?)`}`,
      'define your own in the config file (gameDays: [ … ]) or pass --gameday-file <file>',
    );
  }
  if (g.kubernetesOnly && (flags.chaos ?? 'local') === 'local') {
    throw new UsageError(
      `game day ${g.id} is Kubernetes only (${g.kubernetesOnly})`,
      'run it with --chaos chaos-mesh against a cluster, or pick a local one from `tiergate gameday --list`',
    );
  }
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
  flags: GameDayFlags,
  term: Terminal,
  signal: AbortSignal,
): Promise<number> {
  const config = await loadUserConfig(flags.config, flags.gamedayFile);
  if (flags.list) {
    term.out(renderGameDayList(config.gameDays, config.gameDayFiles));
    return EXIT.pass;
  }
  checkEngine(flags.engine);
  const mesh = (flags.chaos ?? 'local') === 'chaos-mesh';
  if (!mesh) refuseMeshFlags(flags);
  const g = chooseGameDay(flags, config.gameDays);
  const planned = mesh ? planMeshGameDay(g, flags) : undefined;
  if (planned && flags.dryRun) return printMeshManifests(planned.runId, planned.mesh, term);
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
  const plan = planGameDay(tier, g, {
    roadmap: flags.roadmap,
    target: flags.target === 'demo' ? 'http://127.0.0.1:0' : flags.target,
    ...(peak !== undefined ? { peak } : {}),
  });
  if (planned) {
    return conductRun({
      flags: { ...flags, runId: planned.runId },
      term,
      signal,
      plan: adaptPlan(plan, planned.mesh),
      prepare: meshPrepare(g, flags, planned.mesh, term),
    });
  }
  const target = flags.target;
  return conductRun({
    flags,
    term,
    signal,
    plan,
    prepare: async (cleanup, runDir) => {
      const local = await startLocalTarget({
        target:
          target === 'demo'
            ? { demo: demoOptionsFrom(flags), replicas: g.replicas ?? 1 }
            : { url: target },
        runDir,
        cleanup,
        signal,
      });
      term.info(`fault proxy ${local.url} → ${local.upstreams.join(', ')}`);
      await local.driver.preflight(g.faults).catch((err: Error) => {
        throw new UsageError(`game day ${g.id}: ${err.message}`);
      });
      return { target: local.url, gameDay: { definition: g, driver: local.driver } };
    },
  });
}
