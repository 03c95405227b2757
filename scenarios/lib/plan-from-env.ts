// Which plan a scenario script runs, from k6's `-e` variables: a built-in roadmap's tier
// (TIERGATE_ROADMAP, TIERGATE_TIER, BASE_URL), or any plan tiergate wrote (TIERGATE_PLAN).
import type { LoadPlan } from '../../thresholds/model.ts';
import { parseDurationS } from '../../thresholds/objective.ts';
import { planTier, type TierPlanOptions } from '../../thresholds/plan.ts';
import type { SecretRef } from '../../thresholds/redact.ts';
import { BUILTIN_ROADMAPS, findRoadmap, findTier } from '../../thresholds/roadmaps/index.ts';
import { baseUrlFromEnv } from './base-url.ts';
import { planWithSecrets } from './secrets.ts';

export type Env = Record<string, string | undefined>;

/** The variables, for the error messages. */
export const ENV_HELP =
  '-e TIERGATE_ROADMAP=<id> -e TIERGATE_TIER=<id> -e BASE_URL=<url> ' +
  '[-e TIERGATE_DURATION=<e.g. 5m>] [-e TIERGATE_TIME_SCALE=<e.g. 0.1>] [-e TIERGATE_PEAK=<req/s or VUs>], ' +
  'or -e TIERGATE_PLAN=<plan.json written by tiergate k6 export> [-e BASE_URL=<url>]';

function positive(env: Env, name: string): number | undefined {
  const text = env[name];
  if (text === undefined || text === '') return undefined;
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name}="${text}" must be a positive number`);
  return n;
}

function tierPlan(env: Env, scriptRoadmap: string | undefined): LoadPlan {
  const asked = env.TIERGATE_ROADMAP;
  if (scriptRoadmap && asked && asked !== scriptRoadmap) {
    throw new Error(
      `this script runs the ${scriptRoadmap} roadmap's journey, not ${asked}'s: ` +
        `run scenarios/journey.ts -e TIERGATE_ROADMAP=${asked} instead`,
    );
  }
  const roadmapId = asked || scriptRoadmap;
  const ids = BUILTIN_ROADMAPS.map((r) => r.id).join(', ');
  if (!roadmapId) throw new Error(`set -e TIERGATE_ROADMAP=<one of ${ids}> (${ENV_HELP})`);
  const roadmap = findRoadmap(roadmapId);
  if (!roadmap) throw new Error(`unknown roadmap "${roadmapId}": use one of ${ids}`);
  const tiers = roadmap.tiers.map((t) => t.id).join(', ');
  const tierId = env.TIERGATE_TIER;
  if (!tierId) throw new Error(`set -e TIERGATE_TIER=<one of ${tiers}> for roadmap ${roadmap.id}`);
  const tier = findTier(roadmap, tierId);
  if (!tier) throw new Error(`roadmap ${roadmap.id} has no tier "${tierId}": use one of ${tiers}`);
  const target = baseUrlFromEnv(env);
  if (!target) throw new Error('set -e BASE_URL=<url of the system under test>');
  const options: TierPlanOptions = { roadmap: roadmap.id, target };
  const duration = env.TIERGATE_DURATION;
  if (duration) options.durationS = parseDurationS(duration);
  const timeScale = positive(env, 'TIERGATE_TIME_SCALE');
  if (timeScale !== undefined) options.timeScale = timeScale;
  const peak = positive(env, 'TIERGATE_PEAK');
  if (peak !== undefined) options.peak = peak;
  return planTier(tier, options);
}

/**
 * The plan of this run. `scriptRoadmap`: the roadmap a journey script is written for (absent
 * for the generic script). `readFile` is k6's `open` (init context only); TIERGATE_PLAN wins
 * over roadmap and tier, and BASE_URL, when given, replaces the plan's target.
 */
export function planFromEnv(
  env: Env,
  scriptRoadmap: string | undefined,
  readFile: (path: string) => string,
): LoadPlan {
  const file = env.TIERGATE_PLAN;
  if (!file) return tierPlan(env, scriptRoadmap);
  // k6 resolves a relative open() against the script's folder today and means to change it:
  // an absolute path reads the same file in every k6 version.
  if (!/^(\/|[A-Za-z]:[\\/]|file:)/.test(file)) {
    throw new Error(
      `TIERGATE_PLAN="${file}" must be an absolute path, e.g. -e TIERGATE_PLAN=$PWD/${file}`,
    );
  }
  const written = JSON.parse(readFile(file)) as LoadPlan & { secrets?: SecretRef[] };
  const { secrets, ...redacted } = written;
  const plan = planWithSecrets(
    redacted,
    (secrets ?? []).map((ref) => ({ ...ref, value: env[ref.env] })),
  );
  const target = baseUrlFromEnv(env);
  return target ? { ...plan, target } : plan;
}

/** Whether rollback triggers abort k6 (default yes; `-e TIERGATE_ABORT_ON_FAIL=false`). */
export function abortOnFail(env: Env): boolean {
  return env.TIERGATE_ABORT_ON_FAIL !== 'false';
}
