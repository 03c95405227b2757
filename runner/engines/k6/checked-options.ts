// The plan's k6 options as the compiler writes them, checked by tiergate's own validator before
// anything starts: a problem is invalid configuration (exit 2), one line per option, each
// naming its path, its value and the fix.
import {
  type CompiledOptions,
  type CompileSettings,
  compileOptions,
} from '../../../scenarios/lib/options.ts';
import { validateOptions } from '../../../scenarios/lib/validate-options.ts';
import type { LoadPlan } from '../../../thresholds/model.ts';
import { configError } from '../../config/issues.ts';

export function checkedOptions(plan: LoadPlan, settings: CompileSettings): CompiledOptions {
  const compiled = compileOptions(plan, settings);
  const problems = validateOptions(compiled.options, { sequential: true });
  if (problems.length > 0) {
    throw configError(
      "the plan's k6 options",
      problems.map((p) => ({
        path: p.path,
        ...(p.value === undefined ? {} : { value: p.value }),
        problem: p.problem,
        allowed: p.fix,
      })),
    );
  }
  return compiled;
}
