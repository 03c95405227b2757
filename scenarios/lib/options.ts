// LoadPlan → k6 `options`: the same tier definition the runner uses, compiled into k6's
// executors and thresholds. Pure: runs in k6 (the scenario scripts) and in Node (the k6 engine,
// `tiergate k6 export`).
import type { LoadPlan } from '../../thresholds/model.ts';
import { compileScenarios } from './executors.ts';
import { ThresholdBuilder } from './k6-thresholds.ts';
import type { K6Options } from './k6-types.ts';

export interface CompileSettings {
  /**
   * Rollback triggers abort k6 (`abortOnFail`). True for scripts people run with k6 themselves;
   * false under tiergate's k6 engine, whose global watch stops every process together (k6
   * alone would abort one process on its 1/N of the data).
   */
  abortOnFail: boolean;
  /** k6 processes the load is split across (execution segments). Default 1. */
  generators?: number;
}

export interface CompiledOptions {
  options: K6Options;
  /** What k6 cannot express or had to round, for people to read. */
  notes: string[];
}

export function compileOptions(plan: LoadPlan, settings: CompileSettings): CompiledOptions {
  const generators = Math.max(1, Math.floor(settings.generators ?? 1));
  const executors = compileScenarios(plan, { generators });
  const thresholds = new ThresholdBuilder({
    abortOnFail: settings.abortOnFail,
    steady: executors.steady,
  });
  for (const o of plan.objectives) thresholds.objective(o);
  const triggers = plan.rollbackTriggers.filter((t) => thresholds.trigger(t));
  thresholds.dropped(plan);
  const notes = [...executors.notes, ...thresholds.notes];
  if (triggers.length > 0 && settings.abortOnFail) {
    notes.push(
      'k6 checks rollback triggers every 2 s on everything since the start (no sliding window, ' +
        'no hold time): it may abort later or earlier than tiergate would',
    );
  }
  return {
    options: {
      scenarios: executors.scenarios,
      thresholds: thresholds.thresholds,
      // Checks read the status only; k6 keeps no body in memory.
      discardResponseBodies: true,
      ...(plan.freshConnections ? { noConnectionReuse: true } : {}),
      summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)'],
    },
    notes,
  };
}
