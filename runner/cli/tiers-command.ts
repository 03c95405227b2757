// `tiergate tiers [roadmap] [tier]`: the roadmaps, or one roadmap's tiers in full.
import { UsageError } from '../../core/errors.ts';
import { EXIT } from '../../core/exit-codes.ts';
import type { Terminal } from '../../core/terminal.ts';
import { renderRoadmapList } from '../../reports/roadmap-list.ts';
import { loadRoadmaps } from '../config/user-config.ts';

export async function tiersCommand(
  roadmapId: string | undefined,
  tierId: string | undefined,
  flags: { config?: string; json?: boolean },
  term: Terminal,
): Promise<number> {
  const roadmaps = await loadRoadmaps(flags.config);
  // The JSON and the full view load the gate's maths: only when asked for.
  const json = async () => (await import('../../reports/plan-json.ts')).tiersJson;
  if (roadmapId === undefined) {
    term.out(
      flags.json ? JSON.stringify((await json())(roadmaps), null, 2) : renderRoadmapList(roadmaps),
    );
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
  if (flags.json) {
    const tiersJson = await json();
    term.out(
      JSON.stringify(
        tiersJson([roadmap], (t) => tiers.includes(t)),
        null,
        2,
      ),
    );
    return EXIT.pass;
  }
  term.out(`${roadmap.name}: ${roadmap.description}\n`);
  const { renderTier } = await import('../../reports/plan.ts');
  term.out(tiers.map((t) => renderTier(roadmap, t)).join('\n\n'));
  return EXIT.pass;
}
