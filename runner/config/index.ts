// What `import … from 'tiergate'` gives a user's config: the define helpers typed with what a
// config may hold, and the model's types and helpers for those who write the model directly.
export { cite } from '../../thresholds/define.ts';
export type { FaultSpec, GameDay, ScheduledFault } from '../../thresholds/gameday.ts';
export type * from '../../thresholds/model.ts';
export { parseObjective } from '../../thresholds/objective.ts';
export type { UserConfig } from '../../thresholds/user-config.ts';
export {
  type ConfigInput,
  defineConfig,
  defineGameDay,
  defineRoadmap,
  type GameDayInput,
  type RoadmapInput,
} from './define.ts';
