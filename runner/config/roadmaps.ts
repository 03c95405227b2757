// The roadmaps tiergate knows: the built-ins plus the user's (a user roadmap with a built-in's
// id replaces it). The one place the built-ins are imported.

import type { Roadmap } from '../../thresholds/model.ts';
import { BUILTIN_ROADMAPS } from '../../thresholds/roadmaps/index.ts';
import type { UserConfig } from '../../thresholds/user-config.ts';
import { mergeRoadmaps } from './merge.ts';

export { selectRoadmap, selectTier } from './merge.ts';

export function resolveRoadmaps(userConfig?: UserConfig): Roadmap[] {
  return mergeRoadmaps(BUILTIN_ROADMAPS, userConfig?.roadmaps ?? []);
}
