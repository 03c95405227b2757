// What a user's `tiergate.config.ts` imports: `import { defineConfig } from 'tiergate'`.
export { cite, defineConfig, defineGameDay, defineRoadmap } from './define.ts';
export type { FaultSpec, GameDay, ScheduledFault } from './gameday.ts';
export type * from './model.ts';
export { parseObjective } from './objective.ts';
export type { UserConfig } from './user-config.ts';
