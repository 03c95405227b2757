// `tiergate plan`: what a run would do, without sending a request.

import { UsageError } from '../../core/errors.ts';
import { EXIT } from '../../core/exit-codes.ts';
import type { Terminal } from '../../core/terminal.ts';
import { renderPlan } from '../../reports/plan.ts';
import { planJson } from '../../reports/plan-json.ts';
import { redactPlan } from '../../thresholds/redact.ts';
import { loadRoadmaps } from '../config/user-config.ts';
import {
  planFromOptions,
  refuseUnreachable,
  type SelectionOptions,
} from './options/plan-from-options.ts';

export async function planCommand(
  flags: SelectionOptions & { config?: string; json?: boolean },
  term: Terminal,
): Promise<number> {
  const plan = planFromOptions({ target: 'demo', ...flags }, await loadRoadmaps(flags.config));
  // A plan `run` would refuse is shown, then refused the same way (exit 2).
  let refusal: UsageError | undefined;
  try {
    refuseUnreachable(plan);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    refusal = err;
  }
  const shown = redactPlan(plan);
  term.out(
    flags.json
      ? JSON.stringify(planJson(shown, refusal?.message ?? null), null, 2)
      : renderPlan(shown),
  );
  if (refusal) throw refusal;
  return EXIT.pass;
}
