// What a user's configuration file holds: roadmaps and game days, the two halves of the model.
import type { GameDay } from './gameday.ts';
import type { Roadmap } from './model.ts';

/** What a `tiergate.config.ts` (or YAML/JSON file) holds. */
export interface UserConfig {
  roadmaps?: Roadmap[];
  /** The user's game days; one with a built-in's id replaces it. */
  gameDays?: GameDay[];
  /** Namespaces where Chaos Mesh game days may inject faults; none is allowed unless listed. */
  chaosNamespaces?: string[];
}
