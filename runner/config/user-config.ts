// What a command sees of the user's config: the built-in roadmaps plus the config file's, and
// the user's game days (the config file's, then a `--gameday-file`'s, which replace same ids).
import { resolve } from 'node:path';
import type { GameDay } from '../../thresholds/gameday.ts';
import type { Roadmap } from '../../thresholds/model.ts';
import { displayPath, findDefaultConfig } from './config-file.ts';
import { mergeById } from './merge.ts';
import { resolveRoadmaps } from './roadmaps.ts';

export interface LoadedConfig {
  roadmaps: Roadmap[];
  /** The user's game days only (the built-ins are in thresholds/gamedays/builtin.ts). */
  gameDays: GameDay[];
  /** Game-day id → the file it came from, as messages name it. */
  gameDayFiles: Map<string, string>;
  /** Where Chaos Mesh game days may inject: the config's `chaosNamespaces` and the env's. */
  chaosNamespaces: ChaosNamespaces;
}

export interface ChaosNamespaces {
  names: string[];
  /** The config file that lists them, if any (for messages). */
  file?: string;
}

/** `TIERGATE_CHAOS_NAMESPACES=shop,staging`: a pipeline's allow-list beside the config's. */
export const CHAOS_NAMESPACES_ENV = 'TIERGATE_CHAOS_NAMESPACES';

function envNamespaces(): string[] {
  return (process.env[CHAOS_NAMESPACES_ENV] ?? '')
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n !== '');
}

/** Loads the config file (`--config`, or the default one found in the working folder). */
export async function loadUserConfig(
  configPath: string | undefined,
  gameDayFile?: string,
): Promise<LoadedConfig> {
  const file = configPath ?? findDefaultConfig(process.cwd());
  // The loader (and the schema with it) is imported only when there is a file to load.
  const loader = () => import('./load.ts');
  const config = file === undefined ? undefined : await (await loader()).loadConfigFile(file);
  const fromConfig = config?.gameDays ?? [];
  const fromFile =
    gameDayFile === undefined ? [] : await (await loader()).loadGameDayFile(gameDayFile);
  const gameDayFiles = new Map<string, string>();
  for (const g of fromConfig) gameDayFiles.set(g.id, displayPath(resolve(file ?? '')));
  for (const g of fromFile) gameDayFiles.set(g.id, displayPath(resolve(gameDayFile ?? '')));
  const chaosNamespaces: ChaosNamespaces = {
    names: [...(config?.chaosNamespaces ?? []), ...envNamespaces()],
    ...(config?.chaosNamespaces && file ? { file: displayPath(resolve(file)) } : {}),
  };
  return {
    roadmaps: resolveRoadmaps(config),
    gameDays: mergeById(fromConfig, fromFile),
    gameDayFiles,
    chaosNamespaces,
  };
}

export async function loadRoadmaps(configPath: string | undefined): Promise<Roadmap[]> {
  return (await loadUserConfig(configPath)).roadmaps;
}
