// `tiergate history --roadmap <id>`: every stored run of a roadmap as its ladder of tiers —
// passed or not, by how much, the capacity proved, and when to plan the next phase.

import { UsageError } from '../../core/errors.ts';
import { EXIT } from '../../core/exit-codes.ts';
import type { Terminal } from '../../core/terminal.ts';
import { buildLadder } from '../../reports/history.ts';
import { renderLadder } from '../../reports/history-text.ts';
import { DEFAULT_RESULTS_DIR, readStoredRuns } from '../../reports/store/read.ts';
import { isDirectory } from '../../reports/store/write.ts';
import { selectRoadmap } from '../config/roadmaps.ts';
import { loadRoadmaps } from '../config/user-config.ts';

export interface HistoryFlags {
  roadmap: string;
  resultsDir?: string;
  config?: string;
  json?: boolean;
}

export async function historyCommand(flags: HistoryFlags, term: Terminal): Promise<number> {
  const roadmap = selectRoadmap(await loadRoadmaps(flags.config), flags.roadmap);
  const resultsDir = flags.resultsDir ?? DEFAULT_RESULTS_DIR;
  if (!(await isDirectory(resultsDir))) {
    throw new UsageError(
      `no results folder at ${resultsDir}`,
      'pass --results-dir <dir> (the folder `tiergate run --results-dir` wrote to)',
    );
  }
  const runs = await readStoredRuns(resultsDir, (note) => term.info(note));
  const ladder = buildLadder(
    roadmap,
    runs.map((r) => r.run),
  );
  term.out(
    flags.json
      ? JSON.stringify(ladder, null, 2)
      : renderLadder(ladder, { color: term.color, resultsDir }),
  );
  return EXIT.pass;
}

export const HISTORY_HELP = `
Reads every <results-dir>/*/run.json (folders without a finished, readable run.json are skipped
with a note on stderr) and shows the roadmap's tiers in order:
  verdict     the newest finished run of the tier ("not run" without one)
  last pass   the newest run that passed (pass or warn), with its run id and time
  margin      the tightest objective of that pass: the share of room left before its limit —
              (limit − observed) / limit for latency and error rates, the error budget left
              (observed − limit) / (1 − limit) for availability and throughput ratio
  capacity    tested capacity: the requests completed per second in that pass's steady window
              (a pass at a scaled-down --rate proves only that rate, and says so)
  next tier   the next tier's peak rate (its traffic model), and the share of it already tested
  next phase  the tier's next-phase trigger (ecommerce: 80 % of current capacity, seed 002)
              applied to tested capacity. tiergate cannot see production traffic, so the tier's
              own load (its traffic model's peak) stands for the observed load: when it reaches
              the trigger, "plan the next phase". Test above the tier's rate to prove headroom.

Examples:
  tiergate history --roadmap ecommerce
  tiergate history --roadmap ecommerce --results-dir ci-results --json

Exit codes: 0 ladder shown, 2 bad usage (unknown roadmap, no results folder).`;
