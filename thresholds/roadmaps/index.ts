// The roadmaps tiergate ships, each built from the seed documents and citing them figure by
// figure. Lookups return undefined when nothing matches: the caller words the error.
import type { Roadmap, Tier } from '../model.ts';
import { AI_PLATFORM } from './ai-platform.ts';
import { BOOKEDBARBER } from './bookedbarber.ts';
import { ECOMMERCE } from './ecommerce.ts';
import { ZERO_WORLD } from './zero-world.ts';

export const BUILTIN_ROADMAPS: Roadmap[] = [ECOMMERCE, ZERO_WORLD, BOOKEDBARBER, AI_PLATFORM];

export function findRoadmap(
  id: string,
  roadmaps: Roadmap[] = BUILTIN_ROADMAPS,
): Roadmap | undefined {
  return roadmaps.find((r) => r.id === id);
}

export function findTier(roadmap: Roadmap, tierId: string): Tier | undefined {
  return roadmap.tiers.find((t) => t.id === tierId);
}
