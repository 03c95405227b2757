// The result folder of a run: `run.json` (the whole run, what every report renders from)
// and, once the run is over, the reports beside it. Every file is written atomically.
import { mkdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../core/atomic-write.ts';
import { FileWriteError } from '../../core/file-errors.ts';
import { RUN_SCHEMA_VERSION, type RunResult } from '../../thresholds/result.ts';
import { renderHlog } from '../hlog.ts';
import { renderHtml } from '../html.ts';
import { renderJunit } from '../junit.ts';
import { renderMarkdown } from '../markdown.ts';

export const RUN_FILE = 'run.json';

export interface WriteOptions {
  /** A run still going (or checkpointed): write only run.json. */
  partial?: boolean;
  /** The run `run.baseline` names: report.html overlays it. */
  baseline?: RunResult;
}

/** The reports a finished run gets beside its run.json, each rendered from the run alone. */
export const REPORT_FILES = ['latency.hlog', 'junit.xml', 'summary.md', 'report.html'] as const;

/**
 * Writes the run's files into `dir` (created if needed) and returns their paths. run.json goes
 * last, so it never says "pass" beside reports that could not be written: on a failure the
 * reports this call wrote are removed again and the FileWriteError is thrown.
 */
export async function writeRunFolder(
  dir: string,
  run: RunResult,
  opts: WriteOptions = {},
): Promise<string[]> {
  await mkdir(dir, { recursive: true }).catch((err: unknown) => {
    throw new FileWriteError(dir, err);
  });
  const reports = opts.partial ? [] : await writeReports(dir, run, opts);
  try {
    // One space of indent: diffable, yet the per-second timeline stays compact.
    const file = await writeOne(dir, RUN_FILE, () => `${JSON.stringify(run, null, 1)}\n`);
    return [file, ...reports];
  } catch (err) {
    await Promise.all(reports.map((path) => rm(path, { force: true })));
    throw err;
  }
}

/**
 * Writes the reports of a run (not its run.json) into `dir` and returns their paths: what
 * `tiergate report` uses to re-render a stored run with this version's renderers.
 */
export async function writeReports(
  dir: string,
  run: RunResult,
  opts: Pick<WriteOptions, 'baseline'> = {},
): Promise<string[]> {
  const render: Record<(typeof REPORT_FILES)[number], () => string> = {
    'latency.hlog': () => renderHlog(run),
    'junit.xml': () => renderJunit(run),
    'summary.md': () => renderMarkdown(run, { resultDir: dir }),
    'report.html': () => renderHtml(run, opts.baseline ? { baseline: opts.baseline } : {}),
  };
  const written: string[] = [];
  try {
    for (const name of REPORT_FILES) written.push(await writeOne(dir, name, render[name]));
  } catch (err) {
    // No half set: reports of one run beside others' (or none) would mislead.
    await Promise.all(written.map((path) => rm(path, { force: true })));
    throw err;
  }
  return written;
}

async function writeOne(dir: string, name: string, render: () => string): Promise<string> {
  const path = join(dir, name);
  await writeFileAtomic(path, render());
  return path;
}

/**
 * Reads a run.json (or the run.json inside a result folder), checking that it is a tiergate
 * run of the schema version this tiergate reads.
 */
export async function readRunFile(path: string): Promise<RunResult> {
  const file = (await isDirectory(path)) ? join(path, RUN_FILE) : path;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error(`no run.json at ${file}`);
    throw new Error(`cannot read run.json at ${file}: ${(err as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new Error(
      `${file} is not a tiergate run.json: not valid JSON (${(err as Error).message})`,
    );
  }
  const notRun = (why: string) => new Error(`${file} is not a tiergate run.json: ${why}`);
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw notRun('expected a JSON object');
  }
  const record = data as Record<string, unknown>;
  if (!('schemaVersion' in record)) throw notRun('it has no schemaVersion');
  if (record.schemaVersion !== RUN_SCHEMA_VERSION) {
    // Version 1 counted a request in the second it completed: its windows cannot be re-cut.
    const why =
      record.schemaVersion === 1
        ? ' (version 1 counted requests in the second they completed, not the second they were sent: run it again)'
        : '';
    throw new Error(
      `run.json at ${file} has schemaVersion ${JSON.stringify(record.schemaVersion)}; this tiergate reads version ${RUN_SCHEMA_VERSION}${why}`,
    );
  }
  const missing = REQUIRED.filter(([key, kind]) => !hasKind(record[key], kind)).map(
    ([key, kind]) => `${key} (${kind})`,
  );
  if (missing.length > 0) throw notRun(`missing or malformed ${missing.join(', ')}`);
  return data as RunResult;
}

type Kind = 'string' | 'number' | 'object' | 'array';

const REQUIRED: Array<[keyof RunResult, Kind]> = [
  ['runId', 'string'],
  ['startedAt', 'string'],
  ['engine', 'object'],
  ['plan', 'object'],
  ['outcome', 'object'],
  ['timeline', 'array'],
  ['events', 'array'],
  ['windows', 'object'],
  ['stats', 'array'],
  ['verdict', 'object'],
  ['exitCode', 'number'],
];

function hasKind(value: unknown, kind: Kind): boolean {
  if (kind === 'array') return Array.isArray(value);
  if (kind === 'object')
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  return typeof value === kind;
}

/** Whether `path` is a folder (false when it does not exist). */
export async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
