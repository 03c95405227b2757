// Built-in and user roadmaps (or game days) as one list, and picking a tier out of it by id.
// Pure: the built-ins are passed in (roadmaps.ts supplies them), so this is testable alone.

import { UsageError } from '../../core/errors.ts';
import type { Roadmap, Tier } from '../../thresholds/model.ts';
import { closest } from './suggest.ts';

/** The built-ins in their order, a user one replacing the built-in of the same id; then the user's new ones. */
export function mergeById<T extends { id: string }>(
  builtins: readonly T[],
  user: readonly T[],
): T[] {
  const byId = new Map(user.map((r) => [r.id, r]));
  const builtinIds = new Set(builtins.map((r) => r.id));
  return [
    ...builtins.map((r) => byId.get(r.id) ?? r),
    ...user.filter((r) => !builtinIds.has(r.id)),
  ];
}

export const mergeRoadmaps: (builtins: readonly Roadmap[], user: readonly Roadmap[]) => Roadmap[] =
  mergeById;

function unknown(what: string, id: string, where: string, ids: string[]): UsageError {
  const guess = closest(id, ids);
  const list = ids.length === 0 ? 'there are none' : `${what}s are: ${ids.join(', ')}`;
  return new UsageError(
    `unknown ${what} "${id}"${where}; ${list}${guess === undefined ? '' : ` (did you mean ${guess}?)`}`,
    'see `tiergate tiers` for every roadmap and tier',
  );
}

/** The roadmap and tier with these ids, or a UsageError listing the valid ones. */
export function selectTier(
  roadmaps: readonly Roadmap[],
  roadmapId: string,
  tierId: string,
): { roadmap: Roadmap; tier: Tier } {
  const roadmap = selectRoadmap(roadmaps, roadmapId);
  const tier = roadmap.tiers.find((t) => t.id === tierId);
  if (tier === undefined) {
    throw unknown(
      'tier',
      tierId,
      ` in roadmap ${roadmap.id}`,
      roadmap.tiers.map((t) => t.id),
    );
  }
  return { roadmap, tier };
}

/** The roadmap with this id, or a UsageError listing the valid ones. */
export function selectRoadmap(roadmaps: readonly Roadmap[], roadmapId: string): Roadmap {
  const roadmap = roadmaps.find((r) => r.id === roadmapId);
  if (roadmap === undefined) {
    throw unknown(
      'roadmap',
      roadmapId,
      '',
      roadmaps.map((r) => r.id),
    );
  }
  return roadmap;
}
