// What a Chaos Mesh game day acts on, from the command line: the namespace, the pods (a label
// selector), how many of them (mode/value), and the few settings some kinds need. The blast
// radius is capped unless the user asks for more in so many words.
import { UsageError } from '../../runner/errors.ts';
import { checkNamespaceFlag } from '../../runner/kube/access.ts';
import { checkSelection } from './builders.ts';
import { SELECTOR_MODES, type Selection, type SelectorMode } from './types.ts';

export interface ChaosMeshTarget {
  namespace: string;
  labels: Record<string, string>;
  mode: SelectorMode;
  value?: string;
  /** HTTPChaos: the port the target pods serve on. */
  port: number;
  /** IOChaos: the mounted volume to slow down. */
  volumePath?: string;
}

export interface ChaosMeshFlags {
  namespace?: string;
  selector?: string;
  mode?: string;
  value?: string;
  allowWideBlast?: boolean;
  port?: string;
  volumePath?: string;
}

/** Percent modes above this share of the pods count as wide. */
export const WIDE_PERCENT = 50;

/** `app=checkout,tier=web` → labels; anything else is refused naming the part. */
export function parseSelector(text: string | undefined): Record<string, string> {
  if (text === undefined || text.trim() === '') {
    throw new UsageError(
      '--chaos chaos-mesh needs --selector <label=value,…>: the pods the faults act on',
      'e.g. --selector app=checkout',
    );
  }
  const labels: Record<string, string> = {};
  for (const part of text.split(',')) {
    const m = /^\s*([A-Za-z0-9][A-Za-z0-9._/-]*)\s*=\s*([A-Za-z0-9._-]*)\s*$/.exec(part);
    if (!m) {
      throw new UsageError(
        `--selector ${text}: "${part}" is not label=value`,
        'equality selectors only, comma-separated: --selector app=checkout,tier=web',
      );
    }
    labels[m[1]!] = m[2]!;
  }
  return labels;
}

function isWide(s: Selection): boolean {
  if (s.mode === 'all') return true;
  return (
    (s.mode === 'fixed-percent' || s.mode === 'random-max-percent') &&
    Number(s.value) > WIDE_PERCENT
  );
}

export function wideBlastMessage(s: Selection): string {
  return `mode ${s.mode}${s.value !== undefined ? ` ${s.value}` : ''} acts on ${s.mode === 'all' ? 'every matching pod' : `more than ${WIDE_PERCENT} % of them`}`;
}

/** Refuses a wide selection unless allowed. */
export function checkBlastRadius(s: Selection, allowWide: boolean | undefined): void {
  if (isWide(s) && !allowWide) {
    throw new UsageError(
      `${wideBlastMessage(s)}: refused without --allow-wide-blast`,
      'narrow it (--mode one, or --mode fixed-percent --value 25) or say --allow-wide-blast',
    );
  }
}

export function chaosMeshTarget(flags: ChaosMeshFlags): ChaosMeshTarget {
  const namespace = checkNamespaceFlag(
    flags.namespace,
    '--chaos chaos-mesh (where the pods and experiments are)',
  );
  const labels = parseSelector(flags.selector);
  const mode = (flags.mode ?? 'one') as SelectorMode;
  if (!SELECTOR_MODES.includes(mode)) {
    throw new UsageError(
      `--mode ${flags.mode}: not a Chaos Mesh mode`,
      `use one of: ${SELECTOR_MODES.join(', ')}`,
    );
  }
  const selection: Selection = {
    mode,
    selector: {},
    ...(flags.value !== undefined ? { value: flags.value } : {}),
  };
  try {
    checkSelection(selection);
  } catch (err) {
    throw new UsageError(
      `--mode ${mode} --value ${flags.value ?? '(none)'}: ${(err as Error).message}`,
    );
  }
  checkBlastRadius(selection, flags.allowWideBlast);
  const port = flags.port === undefined ? 80 : Number(flags.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new UsageError(
      `--port ${flags.port}: not a port number`,
      'the port the target pods serve HTTP on, e.g. --port 8080',
    );
  }
  return {
    namespace,
    labels,
    mode,
    port,
    ...(flags.value !== undefined ? { value: flags.value } : {}),
    ...(flags.volumePath !== undefined ? { volumePath: flags.volumePath } : {}),
  };
}
