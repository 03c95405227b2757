// Identity helpers that exist for their types, as vitest's defineConfig does: a user's
// `tiergate.config.ts` gets completion and type errors for what it may write (the schema's
// input: `p95 < 300ms`, `2m`, `{ rps: 50 }` …), and nothing happens at run time.
import type { z } from 'zod';
import type { GameDaySchema, RoadmapSchema, UserConfigSchema } from './schema.ts';

/** What a config file may hold, before validation turns it into the model. */
export type ConfigInput = z.input<typeof UserConfigSchema>;
export type RoadmapInput = z.input<typeof RoadmapSchema>;
export type GameDayInput = z.input<typeof GameDaySchema>;

export function defineConfig(config: ConfigInput): ConfigInput {
  return config;
}

export function defineRoadmap(roadmap: RoadmapInput): RoadmapInput {
  return roadmap;
}

export function defineGameDay(gameDay: GameDayInput): GameDayInput {
  return gameDay;
}
