// `tiergate k6 export`: the k6 script and options of a plan, for people who run k6 themselves
// (k6 Cloud, their own CI). The gate then is k6's own thresholds, per process.
import { resolve } from 'node:path';
import { UsageError } from '../../core/errors.ts';
import { EXIT } from '../../core/exit-codes.ts';
import type { Terminal } from '../../core/terminal.ts';
import { redactUrl } from '../../thresholds/redact.ts';
import { loadRoadmaps } from '../config/user-config.ts';
import { secretEnv } from '../engines/k6/bundle.ts';
import { exportK6Script } from '../engines/k6/export.ts';
import {
  parseNumber,
  planFromOptions,
  type SelectionOptions,
} from './options/plan-from-options.ts';

export interface K6ExportFlags extends SelectionOptions {
  config?: string;
  out?: string;
  processes?: string;
}

export async function k6ExportCommand(flags: K6ExportFlags, term: Terminal): Promise<number> {
  if (flags.target === 'demo') {
    throw new UsageError(
      'k6 export needs a real --target URL: the demo only exists while tiergate runs it',
    );
  }
  const plan = planFromOptions(
    { target: 'http://127.0.0.1:8080', ...flags },
    await loadRoadmaps(flags.config),
  );
  const processes = parseNumber('--processes', flags.processes, 1, 64) ?? 1;
  const files = await exportK6Script(
    plan,
    resolve(flags.out ?? 'k6-export'),
    Math.floor(processes),
  );
  term.out(files.join('\n'));
  // The secrets are not in the files: the script reads them from these variables.
  const env = Object.keys(secretEnv(plan))
    .map((name) => ` -e ${name}=…`)
    .join('');
  term.info(
    `run it with: k6 run${env} ${files[0]}   (target ${redactUrl(plan.target, plan.redact)}; change it with --target, or when k6 runs with -e BASE_URL=<url>)`,
  );
  return EXIT.pass;
}
