// Identity helpers that exist for their types, as vitest's defineConfig does: a user's
// `tiergate.config.ts` gets completion and type errors, and nothing happens at run time.
import type { GameDay } from './gameday.ts';
import type { Citation, Roadmap } from './model.ts';
import type { UserConfig } from './user-config.ts';

export function defineConfig(config: UserConfig): UserConfig {
  return config;
}

export function defineRoadmap(roadmap: Roadmap): Roadmap {
  return roadmap;
}

export function defineGameDay(gameDay: GameDay): GameDay {
  return gameDay;
}

/** A citation of a seed file's line, with the assumption made where the seed left a choice. */
export function cite(seed: string, line: number, quote: string, assumption?: string): Citation {
  return assumption === undefined ? { seed, line, quote } : { seed, line, quote, assumption };
}
