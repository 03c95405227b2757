// Game days on this machine, shared by `tiergate gameday` and `tiergate run --gameday`: finding
// one that can run here, and the target behind the fault proxy with its driver.

import { startLocalTarget } from '../../chaos/local-target.ts';
import { UsageError } from '../../core/errors.ts';
import type { Terminal } from '../../core/terminal.ts';
import type { GameDay } from '../../thresholds/gameday.ts';
import { BUILTIN_GAMEDAYS, findGameDay } from '../../thresholds/gamedays/builtin.ts';
import { redactUrl } from '../../thresholds/redact.ts';
import { mergeById } from '../config/merge.ts';
import { closest } from '../config/suggest.ts';
import type { Conduct } from '../run/conduct.ts';
import { type DemoFlags, demoOptionsFrom } from './options/demo-flags.ts';

/** Every game day by id: the built-ins (or the user's replacing them), then the user's own. */
export function allGameDays(user: readonly GameDay[]): GameDay[] {
  return mergeById(BUILTIN_GAMEDAYS, user);
}

/**
 * The game day `id` names (`flag` says which option named it), refused if it needs a cluster
 * and the faults are to be injected on this machine.
 */
export function findRunnableGameDay(
  id: string | undefined,
  flag: string,
  onCluster: boolean,
  user: readonly GameDay[],
): GameDay {
  if (id === undefined) {
    throw new UsageError(
      `${flag} is required: one of the game days listed by \`tiergate gameday --list\``,
    );
  }
  const g = findGameDay(id, user);
  if (!g) {
    const ids = allGameDays(user).map((x) => x.id);
    const guess = closest(id, ids);
    throw new UsageError(
      `unknown game day "${id}"; game days are: ${ids.join(', ')}${guess === undefined ? '' : ` (did you mean ${guess}?)`}`,
      'define your own in the config file (gameDays: [ … ]) or pass --gameday-file <file>',
    );
  }
  if (g.kubernetesOnly && !onCluster) {
    throw new UsageError(
      `game day ${g.id} is Kubernetes only (${g.kubernetesOnly})`,
      'run it with `tiergate gameday --chaos chaos-mesh` against a cluster, or pick a local one from `tiergate gameday --list`',
    );
  }
  return g;
}

/** The local target behind the fault proxy (the demo's replicas, or a URL) and its driver. */
export function localPrepare(
  g: GameDay,
  flags: DemoFlags & { target?: string; redact?: string[] },
  term: Terminal,
  signal: AbortSignal,
): Conduct['prepare'] {
  const target = flags.target;
  return async (cleanup, runDir) => {
    const local = await startLocalTarget({
      target:
        target === 'demo' || target === undefined
          ? { demo: demoOptionsFrom(flags), replicas: g.replicas ?? 1 }
          : { url: target },
      runDir,
      cleanup,
      signal,
    });
    const shown = local.upstreams.map((u) => redactUrl(u, flags.redact));
    term.info(`fault proxy ${local.url} → ${shown.join(', ')}`);
    await local.driver.preflight(g.faults).catch((err: Error) => {
      throw new UsageError(`game day ${g.id}: ${err.message}`);
    });
    return { target: local.url, gameDay: { definition: g, driver: local.driver } };
  };
}
