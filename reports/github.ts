// GitHub Actions output: the step summary file and `::error` workflow annotations.

import { appendFile } from 'node:fs/promises';
import { FileWriteError } from '../core/file-errors.ts';
import type { RunResult } from '../thresholds/result.ts';
import { describeBreach } from './breach.ts';
import { outcomeSentence, runLabel } from './facts.ts';

/** GitHub shows at most 10 error annotations per step. */
export const MAX_ANNOTATIONS = 10;

/**
 * Appends the markdown to the file `GITHUB_STEP_SUMMARY` names; does nothing when it is not
 * set (not on GitHub Actions). Returns whether it wrote.
 */
export async function appendStepSummary(
  markdown: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<boolean> {
  const path = env.GITHUB_STEP_SUMMARY;
  if (!path) return false;
  await appendFile(path, markdown.endsWith('\n') ? markdown : `${markdown}\n`, 'utf8').catch(
    (err: unknown) => {
      throw new FileWriteError(path, err);
    },
  );
  return true;
}

/**
 * `::error title=…::…` lines, at most 10: how the run ended when it did not complete, then
 * each failing objective with what broke and by how much. The caller prints them only when
 * `GITHUB_ACTIONS === 'true'`.
 */
export function githubAnnotations(run: RunResult): string[] {
  const label = `tiergate ${runLabel(run)}`;
  const lines: string[] = [];
  const sentence = outcomeSentence(run);
  if (sentence) lines.push(annotation(`${label}: run ${run.outcome.state}`, sentence));
  const failing = run.verdict.objectives.filter((v) => v.status === 'fail');
  const room = MAX_ANNOTATIONS - lines.length;
  const shown = failing.length > room ? failing.slice(0, room - 1) : failing;
  for (const v of shown) {
    lines.push(
      annotation(`${label}: ${v.expression}`, `${describeBreach(v)} in the ${v.window} window`),
    );
  }
  const rest = failing.length - shown.length;
  if (rest > 0) {
    lines.push(annotation(label, `${rest} more objectives failed; see the step summary`));
  }
  return lines;
}

function annotation(title: string, message: string): string {
  return `::error title=${escapeProperty(title)}::${escapeData(message)}`;
}

function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
