// What a Chaos Mesh game day acts on: the namespace, the pods (a label selector), how many of
// them (mode/value), and the few settings some kinds need. The blast radius is capped unless
// the user asks for more in so many words.
import { UsageError } from '../../core/errors.ts';
import type { Selection, SelectorMode } from './types.ts';

export interface ChaosMeshTarget {
  namespace: string;
  labels: Record<string, string>;
  mode: SelectorMode;
  value?: string;
  /** HTTPChaos: the port the target pods serve on. */
  port: number;
  /** IOChaos: the mounted volume to slow down. */
  volumePath?: string;
  /** `--allow-wide-blast`: more than half of the matching pods may be hit. */
  allowWideBlast: boolean;
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

const WIDE_FIX =
  'narrow it (--mode one, or --mode fixed-percent --value 25) or say --allow-wide-blast';

/** Refuses a selection that is wide as written, before the cluster is asked anything. */
export function checkBlastRadius(s: Selection, allowWide: boolean): void {
  if (isWide(s) && !allowWide) {
    const what = s.mode === 'all' ? 'every matching pod' : `more than ${WIDE_PERCENT} % of them`;
    throw new UsageError(
      `mode ${s.mode}${s.value !== undefined ? ` ${s.value}` : ''} acts on ${what}: refused without --allow-wide-blast`,
      WIDE_FIX,
    );
  }
}

/**
 * How many of `count` matching pods Chaos Mesh hits (pkg/selector/generic/mode.go: a count is
 * capped at the pods there are, a percentage rounds up); random-max-percent at the most.
 */
export function podsHit(s: Selection, count: number): number {
  const v = Number(s.value);
  switch (s.mode) {
    case 'one':
      return Math.min(1, count);
    case 'all':
      return count;
    case 'fixed':
      return Math.min(v, count);
    case 'fixed-percent':
    case 'random-max-percent':
      return Math.ceil((count * v) / 100);
  }
}

/**
 * Refuses, once the matching pods are known, a selection that hits more than half of them
 * (`--mode fixed --value 5` on 6 pods; fixed-percent 50 of 3 pods is 2), unless allowed. One
 * pod is never wide: a single-replica service can still lose its pod to a game day.
 */
export function checkPodsHit(target: ChaosMeshTarget, count: number): void {
  const selection: Selection = {
    mode: target.mode,
    selector: {},
    ...(target.value !== undefined ? { value: target.value } : {}),
  };
  const hit = podsHit(selection, count);
  if (hit > 1 && hit > count / 2 && !target.allowWideBlast) {
    throw new UsageError(
      `mode ${target.mode}${target.value !== undefined ? ` ${target.value}` : ''} hits ${hit} of the ${count} matching pods (${Math.round((hit / count) * 100)} %): refused without --allow-wide-blast`,
      WIDE_FIX,
    );
  }
}
