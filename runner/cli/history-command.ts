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
