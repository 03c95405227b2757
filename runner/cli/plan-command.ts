// `tiergate plan`: what a run would do, without sending a request.

import { EXIT } from '../../core/exit-codes.ts';
import type { Terminal } from '../../core/terminal.ts';
import { renderPlan } from '../../reports/plan.ts';
import { redactPlan } from '../../thresholds/redact.ts';
import { loadRoadmaps } from '../config/user-config.ts';
import {
  planFromOptions,
  refuseUnreachable,
  type SelectionOptions,
} from './options/plan-from-options.ts';

export async function planCommand(
  flags: SelectionOptions & { config?: string },
  term: Terminal,
): Promise<number> {
  const plan = planFromOptions({ target: 'demo', ...flags }, await loadRoadmaps(flags.config));
  term.out(renderPlan(redactPlan(plan)));
  // A plan `run` would refuse is shown, then refused the same way (exit 2).
  refuseUnreachable(plan);
  return EXIT.pass;
}
