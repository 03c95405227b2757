// The roadmaps and their tiers, one line each (`tiergate tiers`): apart from the full tier
// view, so listing them loads none of the gate's maths.
import { grouped } from '../thresholds/format.ts';
import type { Roadmap } from '../thresholds/model.ts';
import { tierPeak } from '../thresholds/traffic.ts';

/** A rate as tiergate prints it: grouped whole numbers from 100 up, one decimal below. */
export function rate(n: number): string {
  return n >= 100 ? grouped(Math.round(n)) : n.toFixed(1);
}

export function renderRoadmapList(roadmaps: Roadmap[]): string {
  const lines: string[] = [];
  for (const r of roadmaps) {
    lines.push(`${r.id.padEnd(14)} ${r.name}  (${r.seeds.join(', ')})`);
    for (const t of r.tiers) {
      const { model, peak } = tierPeak(t.load);
      lines.push(
        `    ${t.id.padEnd(10)} ${rate(peak).padStart(9)} ${model === 'open' ? 'req/s' : 'VUs  '}  ${t.name}`,
      );
    }
  }
  return lines.join('\n');
}
