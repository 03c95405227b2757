// `tiergate k6 export`: the files people need to run a plan with k6 themselves.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../../core/atomic-write.ts';
import { FileWriteError } from '../../../core/file-errors.ts';
import type { LoadPlan } from '../../../thresholds/model.ts';
import { planSecrets, redactPlan } from '../../../thresholds/redact.ts';
import { bundlePlan } from './bundle.ts';
import { checkedOptions } from './checked-options.ts';

function baseName(plan: LoadPlan): string {
  const parts = plan.tier ? [plan.roadmap ?? 'roadmap', plan.tier] : [plan.journey.name];
  return ['tiergate', ...parts].join('-').replace(/[^0-9A-Za-z._-]+/g, '_');
}

/**
 * Writes `<name>.js` (self-contained: `k6 run <name>.js`), `<name>.options.json` (the compiled
 * k6 options, to read or diff) and `<name>.plan.json` (the plan, for
 * `k6 run scenarios/journey.ts -e TIERGATE_PLAN=<abs path>`). Returns the paths, script first.
 * Options the validator refuses are a ConfigError, and nothing is written.
 */
export async function exportK6Script(
  plan: LoadPlan,
  outDir: string,
  generators = 1,
): Promise<string[]> {
  const compiled = checkedOptions(plan, { abortOnFail: true, generators });
  await mkdir(outDir, { recursive: true }).catch((err: unknown) => {
    throw new FileWriteError(outDir, err, 2);
  });
  const name = baseName(plan);
  const script = join(outDir, `${name}.js`);
  const options = join(outDir, `${name}.options.json`);
  const planFile = join(outDir, `${name}.plan.json`);
  await writeFileAtomic(script, await bundlePlan(plan, { mode: 'export', generators }));
  await writeFileAtomic(options, `${JSON.stringify(compiled.options, null, 2)}\n`);
  // Secrets stay out of the file: redacted, with the variables that bring them (scenarios/lib/secrets.ts).
  const secrets = planSecrets(plan).map((s) => s.ref);
  const written = { ...redactPlan(plan), ...(secrets.length > 0 ? { secrets } : {}) };
  await writeFileAtomic(planFile, `${JSON.stringify(written, null, 2)}\n`);
  return [script, options, planFile];
}
