// The schema of a tiergate config file (YAML, JSON, or a `tiergate.config.ts` default export).
// Friendly forms (`p95 < 2s`, `5m`, `{ rps: 200 }`) are normalised into the exact model objects
// of thresholds/model.ts; unknown keys are errors, and so are broken semantics (two steady
// stages, duplicate ids, objectives about requests the journey never sends, faults before the
// steady period of a game day ends).
import { z } from 'zod';
import type { Roadmap } from '../../thresholds/model.ts';
import type { UserConfig } from '../../thresholds/user-config.ts';
import { Id, strict, Text } from './fields.ts';
import { checkGameDayIds, GameDaySchema } from './gameday.ts';
import { checkUnique, TierSchema } from './tier.ts';

export { GameDaySchema } from './gameday.ts';
export { ObjectiveSchema, RollbackTriggerSchema } from './objectives.ts';
export { TierSchema } from './tier.ts';

export const RoadmapSchema = strict({
  id: Id,
  name: Text.optional().meta({ description: 'Display name (default: the id)' }),
  description: z.string().optional(),
  seeds: z.array(Text).optional(),
  tiers: z.array(TierSchema).min(1),
})
  .superRefine((r, ctx) => {
    const ids = r.tiers.map((t) => t.id);
    checkUnique(ctx, ids, 'tiers', 'tier ids must be unique within a roadmap; rename one', (i) => [
      'tiers',
      i,
      'id',
    ]);
  })
  .transform(
    (r): Roadmap => ({
      id: r.id,
      name: r.name ?? r.id,
      description: r.description ?? '',
      seeds: r.seeds ?? [],
      tiers: r.tiers,
    }),
  );

export const UserConfigSchema = strict({
  $schema: z.string().optional().meta({ description: 'JSON Schema of this file, for editors' }),
  roadmaps: z.array(RoadmapSchema).optional(),
  gameDays: z
    .array(GameDaySchema)
    .optional()
    .meta({ description: 'Your game days; one with the id of a built-in replaces it' }),
  chaosNamespaces: z
    .array(
      z
        .string()
        .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'a Kubernetes namespace name (RFC 1123)'),
    )
    .optional()
    .meta({
      description:
        'Namespaces where `gameday --chaos chaos-mesh` may inject faults (also TIERGATE_CHAOS_NAMESPACES)',
    }),
})
  .superRefine((c, ctx) => {
    const ids = (c.roadmaps ?? []).map((r) => r.id);
    checkUnique(ctx, ids, 'roadmaps', 'roadmap ids must be unique; rename one', (i) => [
      'roadmaps',
      i,
      'id',
    ]);
    checkGameDayIds(ctx, c.gameDays ?? []);
  })
  .transform((c): UserConfig => {
    const out: UserConfig = {};
    if (c.roadmaps !== undefined) out.roadmaps = c.roadmaps;
    if (c.gameDays !== undefined) out.gameDays = c.gameDays;
    if (c.chaosNamespaces !== undefined) out.chaosNamespaces = c.chaosNamespaces;
    return out;
  });

/** Compiles only when `T` is assignable to `U`. */
type Assignable<T extends U, U> = T;
/** What validation yields: checked at compile time to be a `UserConfig`. */
export type NormalisedConfig = Assignable<z.output<typeof UserConfigSchema>, UserConfig>;
export type NormalisedRoadmap = Assignable<z.output<typeof RoadmapSchema>, Roadmap>;
