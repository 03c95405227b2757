// `tiergate tiers [roadmap] [tier]`: the roadmaps, or one roadmap's tiers in full.
import { UsageError } from '../../core/errors.ts';
import { EXIT } from '../../core/exit-codes.ts';
import type { Terminal } from '../../core/terminal.ts';
import { renderRoadmapList } from '../../reports/roadmap-list.ts';
import { loadRoadmaps } from '../config/user-config.ts';

export async function tiersCommand(
  roadmapId: string | undefined,
  tierId: string | undefined,
  flags: { config?: string },
  term: Terminal,
): Promise<number> {
  const roadmaps = await loadRoadmaps(flags.config);
  if (roadmapId === undefined) {
    term.out(renderRoadmapList(roadmaps));
    return EXIT.pass;
  }
  const roadmap = roadmaps.find((r) => r.id === roadmapId);
  if (!roadmap) {
    throw new UsageError(
      `unknown roadmap "${roadmapId}"; roadmaps are: ${roadmaps.map((r) => r.id).join(', ')}`,
    );
  }
  const tiers = tierId === undefined ? roadmap.tiers : roadmap.tiers.filter((t) => t.id === tierId);
  if (tiers.length === 0) {
    throw new UsageError(
      `unknown tier "${tierId}" in roadmap ${roadmapId}; tiers are: ${roadmap.tiers.map((t) => t.id).join(', ')}`,
    );
  }
  term.out(`${roadmap.name}: ${roadmap.description}\n`);
  // The full view (objectives and what proving them takes) loads the gate's maths: only here.
  const { renderTier } = await import('../../reports/plan.ts');
  term.out(tiers.map((t) => renderTier(roadmap, t)).join('\n\n'));
  return EXIT.pass;
}
