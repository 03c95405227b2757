// Builders of Chaos Mesh objects: an experiment of any kind, a Schedule that repeats one, and a
// Workflow that runs several in series with pauses between them (a game day's schedule as one
// object). Each checks what the CRD schema cannot express (a mode's value) before the server
// sees it.
import {
  CHAOS_API_VERSION,
  type ChaosObject,
  EMBEDDED_FIELD,
  type ExperimentKind,
  type ExperimentSpecs,
  type Metadata,
  type ScheduleSpec,
  type Selection,
  type WorkflowSpec,
  type WorkflowTemplate,
} from './types.ts';

/** `fixed` needs a count ≥ 1, the percent modes a share in (0, 100]; `one`/`all` none. */
export function checkSelection(s: Selection): void {
  if (s.mode === 'one' || s.mode === 'all') {
    if (s.value !== undefined) throw new Error(`mode ${s.mode} takes no value (got ${s.value})`);
    return;
  }
  // Chaos Mesh reads the value with strconv.Atoi: digits only, no sign, point or exponent.
  if (s.value === undefined || !/^[1-9][0-9]*$/.test(s.value)) {
    const what = s.mode === 'fixed' ? 'a whole number of pods ≥ 1' : 'a whole percentage 1–100';
    throw new Error(`mode ${s.mode} needs ${what} (got ${s.value ?? 'none'})`);
  }
  if (s.mode !== 'fixed' && Number(s.value) > 100) {
    throw new Error(`mode ${s.mode} needs a whole percentage 1–100 (got ${s.value})`);
  }
}

export function experiment<K extends ExperimentKind>(
  kind: K,
  metadata: Metadata,
  spec: ExperimentSpecs[K],
): ChaosObject<K, ExperimentSpecs[K]> {
  checkSelection(spec);
  // NetworkChaos's `target` is a second selection (HTTPChaos's is the string Request/Response).
  const peers = (spec as { target?: unknown }).target;
  if (typeof peers === 'object' && peers !== null) checkSelection(peers as Selection);
  return { apiVersion: CHAOS_API_VERSION, kind, metadata, spec };
}

/** Runs `spec` on a cron schedule (`@every 10m` works too). */
export function schedule<K extends ExperimentKind>(
  metadata: Metadata,
  cron: string,
  kind: K,
  spec: ExperimentSpecs[K],
): ChaosObject<'Schedule', ScheduleSpec> {
  checkSelection(spec);
  return {
    apiVersion: CHAOS_API_VERSION,
    kind: 'Schedule',
    metadata,
    spec: { schedule: cron, type: kind, concurrencyPolicy: 'Forbid', [EMBEDDED_FIELD[kind]]: spec },
  };
}

export interface WorkflowStep {
  name: string;
  /** Pause before this step (a Suspend node). */
  waitS: number;
  kind: ExperimentKind;
  /** The experiment; its `duration` is dropped: the node's deadline bounds it. */
  spec: ExperimentSpecs[ExperimentKind];
  holdS: number;
}

/** The steps in series, each after its pause: a game day's whole fault schedule as one object. */
export function workflow(
  metadata: Metadata,
  steps: readonly WorkflowStep[],
): ChaosObject<'Workflow', WorkflowSpec> {
  const templates: WorkflowTemplate[] = [];
  const children: string[] = [];
  for (const step of steps) {
    checkSelection(step.spec);
    if (step.waitS > 0) {
      const wait = `${step.name}-wait`;
      templates.push({ name: wait, templateType: 'Suspend', deadline: `${step.waitS}s` });
      children.push(wait);
    }
    const { duration: _bounded, ...spec } = step.spec;
    templates.push({
      name: step.name,
      templateType: step.kind,
      deadline: `${step.holdS}s`,
      [EMBEDDED_FIELD[step.kind]]: spec,
    });
    children.push(step.name);
  }
  templates.unshift({ name: 'game-day', templateType: 'Serial', children });
  return {
    apiVersion: CHAOS_API_VERSION,
    kind: 'Workflow',
    metadata,
    spec: { entry: 'game-day', templates },
  };
}
