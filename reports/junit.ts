// The run as JUnit XML, so CI test reporters show each objective as a test case:
// a failing objective is a <failure>, a warning is a note in <system-out>, an optional one
// without data is <skipped>, and a run that
// cannot support a verdict (inconclusive, aborted, errored, interrupted) gets an <error>.
// Every classname starts with the run's tier (`tiergate.ecommerce.10k.steady`), so reports of
// several tiers merged into one keep every case: GitLab keeps only the first of duplicate names.
import type { ObjectiveVerdict } from '../thresholds/model.ts';
import type { RunResult } from '../thresholds/result.ts';
import { describeBreach, describeUnproven, limitText, observedText } from './breach.ts';
import { outcomeSentence, runLabel, runTotals, runVerdict } from './facts.ts';

interface TestCase {
  classname: string;
  name: string;
  timeS: number;
  /** Inner XML, already escaped. */
  body: string;
  failure: boolean;
  error: boolean;
  skipped: boolean;
}

/**
 * `tiergate.<roadmap>.<tier>`; an ad-hoc run's names its endpoint instead,
 * `tiergate.adhoc.<method>_<host>_<path>`, so two ad-hoc runs against different endpoints differ.
 */
export function junitClassPrefix(run: RunResult): string {
  const { roadmap, tier } = run.plan;
  const parts = roadmap || tier ? [roadmap, tier] : ['adhoc', adhocEndpoint(run)];
  return ['tiergate', ...parts.filter((p) => p !== undefined)].map(classSegment).join('.');
}

function adhocEndpoint(run: RunResult): string {
  const request = run.plan.journey.requests[0];
  const host = URL.canParse(run.plan.target) ? new URL(run.plan.target).host : run.plan.target;
  // The query may carry what a reader should not see; the path names the endpoint.
  const path = (request?.path ?? '').split('?')[0];
  return [request?.method ?? 'GET', host, path].join(' ');
}

/** One dot-free part of a classname: a dot would start a new package in Jenkins' tree. */
function classSegment(part: string): string {
  return part.replace(/[^0-9A-Za-z_-]+/g, '_').replace(/^_+|_+$/g, '') || '_';
}

export function renderJunit(run: RunResult): string {
  const prefix = junitClassPrefix(run);
  const cases = [
    ...run.verdict.objectives.map((v) => objectiveCase(run, v)),
    ...validityCases(run),
  ].map((c) => ({ ...c, classname: `${prefix}.${c.classname}` }));
  const failures = cases.filter((c) => c.failure).length;
  const errors = cases.filter((c) => c.error).length;
  const skipped = cases.filter((c) => c.skipped).length;
  const time = seconds(runTotals(run).durationS);
  const suite = attrs({
    name: `tiergate ${runLabel(run)}`,
    tests: cases.length,
    failures,
    errors,
    skipped,
    time,
    timestamp: junitTimestamp(run.startedAt),
  });
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attrs({ name: 'tiergate', tests: cases.length, failures, errors, time })}>`,
    `  <testsuite${suite}>`,
    '    <properties>',
    ...Object.entries(properties(run)).map(
      ([name, value]) => `      <property${attrs({ name, value })}/>`,
    ),
    '    </properties>',
    ...cases.map(renderCase),
    '  </testsuite>',
    '</testsuites>',
    '',
  ];
  return lines.join('\n');
}

function objectiveCase(run: RunResult, v: ObjectiveVerdict): TestCase {
  const bounds = run.windows[v.window];
  const base = {
    classname: v.window,
    name: v.expression,
    timeS: bounds ? bounds.endS - bounds.startS : 0,
    failure: false,
    error: false,
    skipped: false,
  };
  const message = `observed ${observedText(v)}, limit ${limitText(v)}`;
  switch (v.status) {
    case 'pass':
      return { ...base, body: '' };
    case 'warn':
      return {
        ...base,
        body: `<system-out>${text(`warning (does not fail the gate): ${describeBreach(v)}\n${v.reason}`)}</system-out>`,
      };
    case 'fail':
      return {
        ...base,
        failure: true,
        body: `<failure${attrs({ message, type: 'objective' })}>${text(`${describeBreach(v)}\n${v.reason}`)}</failure>`,
      };
    case 'skipped':
      return { ...base, skipped: true, body: `<skipped${attrs({ message: v.reason })}/>` };
    case 'unproven':
      // Must be proven: a failure like any other; otherwise a pass that says what it lacks.
      return v.objective.prove
        ? {
            ...base,
            failure: true,
            body: `<failure${attrs({ message: `${message}, unproven`, type: 'unproven' })}>${text(`${describeUnproven(v)}\n${v.reason}`)}</failure>`,
          }
        : {
            ...base,
            body: `<system-out>${text(`unproven (does not fail the gate): ${describeUnproven(v)}`)}</system-out>`,
          };
  }
}

/** Test cases for what makes the run itself unable to support a verdict. */
function validityCases(run: RunResult): TestCase[] {
  const cases: TestCase[] = [];
  const reasons = run.verdict.inconclusiveReasons;
  if (run.verdict.status === 'inconclusive' || reasons.length > 0) {
    const message = 'the run cannot support a verdict';
    cases.push({
      classname: 'generator',
      name: 'generator validity',
      timeS: 0,
      failure: false,
      error: true,
      skipped: false,
      body: `<error${attrs({ message, type: 'inconclusive' })}>${text(reasons.join('\n'))}</error>`,
    });
  }
  const outcome = run.outcome;
  const sentence = outcomeSentence(run);
  if (outcome.state !== 'completed' && sentence) {
    const verdict = runVerdict(run);
    const detail = outcome.state === 'aborted' ? outcome.reason : sentence;
    cases.push({
      classname: outcome.state === 'aborted' ? 'rollback' : 'run',
      name: outcome.state === 'aborted' ? `rollback trigger ${outcome.trigger}` : 'run completion',
      timeS: outcome.state === 'errored' ? 0 : outcome.atS,
      failure: false,
      error: true,
      skipped: false,
      body: `<error${attrs({ message: sentence, type: verdict })}>${text(detail)}</error>`,
    });
  }
  return cases;
}

function renderCase(c: TestCase): string {
  const open = `    <testcase${attrs({ classname: c.classname, name: c.name, time: seconds(c.timeS) })}`;
  return c.body ? `${open}>\n      ${c.body}\n    </testcase>` : `${open}/>`;
}

function properties(run: RunResult): Record<string, string> {
  const totals = runTotals(run);
  return {
    'tiergate.runId': run.runId,
    'tiergate.verdict': runVerdict(run),
    'tiergate.exitCode': String(run.exitCode),
    'tiergate.engine': run.engine.name,
    'tiergate.generators': String(run.engine.generators),
    'tiergate.target': run.plan.target,
    'tiergate.requests': String(totals.completed),
    'tiergate.errors': String(totals.errors),
    'tiergate.dropped': String(totals.dropped),
    'tiergate.achievedRps': totals.achievedRps.toFixed(2),
    ...(totals.targetRps === null ? {} : { 'tiergate.targetRps': String(totals.targetRps) }),
  };
}

/** JUnit's schema wants `YYYY-MM-DDTHH:MM:SS` without a zone; ours is UTC. */
function junitTimestamp(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : new Date(ms).toISOString().slice(0, 19);
}

function seconds(s: number): string {
  return Math.max(0, s).toFixed(3);
}

function attrs(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([k, v]) => ` ${k}="${attr(String(v))}"`)
    .join('');
}

/** Characters XML 1.0 cannot hold at all (controls, lone surrogates) become U+FFFD. */
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

function text(s: string): string {
  return s
    .replace(NOT_XML, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

function attr(s: string): string {
  return text(s)
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;');
}
