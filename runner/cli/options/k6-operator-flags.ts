// The `run` flags of `--engine k6-operator` turned into its settings, checked before anything
// runs: each mistake is a UsageError naming the flag, the value and the fix.

import { isIP } from 'node:net';
import { UsageError } from '../../../core/errors.ts';
import { redactUrl } from '../../../thresholds/redact.ts';
import { DEFAULT_RUNNER_IMAGE } from '../../engines/k6-operator/manifests.ts';
import { checkNamespace } from '../../engines/k6-operator/preflight.ts';
import type { K6OperatorSettings } from '../../engines/settings.ts';

export interface OperatorFlags {
  engine?: string;
  parallelism?: string;
  namespace?: string;
  kubeconfig?: string;
  context?: string;
  prometheusUrl?: string;
  prometheusQueryUrl?: string;
  keep?: boolean;
  dryRun?: boolean;
  runnerImage?: string;
}

const OPERATOR_ONLY: [keyof OperatorFlags, string][] = [
  ['parallelism', '--parallelism'],
  ['namespace', '--namespace'],
  ['kubeconfig', '--kubeconfig'],
  ['context', '--context'],
  ['prometheusUrl', '--prometheus-url'],
  ['prometheusQueryUrl', '--prometheus-query-url'],
  ['keep', '--keep'],
  ['dryRun', '--dry-run'],
  ['runnerImage', '--runner-image'],
];

/** Flags that only mean something to k6-operator are refused with another engine. */
export function refuseOperatorFlags(flags: OperatorFlags): void {
  if (flags.engine === 'k6-operator') return;
  const used = OPERATOR_ONLY.find(([key]) => flags[key] !== undefined);
  if (used) {
    throw new UsageError(
      `${used[1]} is a k6-operator flag: add --engine k6-operator, or drop ${used[1]}`,
    );
  }
}

function httpUrl(flag: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(
      `${flag} ${JSON.stringify(value)} is not a URL`,
      `e.g. ${flag} http://prometheus.monitoring:9090`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`${flag} ${value}: expected an http:// or https:// URL`);
  }
  return value.replace(/\/+$/, '');
}

/** The k6-operator engine's settings from its flags (only with --engine k6-operator). */
export function operatorSettings(flags: OperatorFlags): K6OperatorSettings {
  const namespace = checkNamespace(flags.namespace);
  const raw = flags.parallelism ?? '1';
  const parallelism = Number(raw);
  if (!Number.isInteger(parallelism) || parallelism < 1 || parallelism > 1000) {
    throw new UsageError(
      `--parallelism ${JSON.stringify(raw)} is not valid: expected a whole number from 1 to 1000`,
    );
  }
  if (flags.prometheusUrl === undefined) {
    throw new UsageError(
      '--engine k6-operator needs --prometheus-url <url>: the runners remote-write their samples there and tiergate reads them back',
      'a Prometheus started with --web.enable-remote-write-receiver --enable-feature=native-histograms; add --prometheus-query-url if tiergate reaches it at another address',
    );
  }
  const prometheusUrl = httpUrl('--prometheus-url', flags.prometheusUrl);
  const prometheusQueryUrl =
    flags.prometheusQueryUrl === undefined
      ? prometheusUrl
      : httpUrl('--prometheus-query-url', flags.prometheusQueryUrl);
  const image = flags.runnerImage ?? DEFAULT_RUNNER_IMAGE;
  if (!/^[^\s]+$/.test(image)) {
    throw new UsageError(
      `--runner-image ${JSON.stringify(image)} is not an image reference`,
      `e.g. --runner-image ${DEFAULT_RUNNER_IMAGE} (an image with k6 in it)`,
    );
  }
  const keep = flags.keep === true;
  return {
    kind: 'k6-operator',
    namespace,
    parallelism,
    prometheusUrl,
    prometheusQueryUrl,
    keep,
    image,
    kube: { kubeconfig: flags.kubeconfig, context: flags.context },
  };
}

/**
 * The runners reach the target from their Pods: the demo on this machine is out of reach
 * (refused), and a loopback address is each Pod's own (a warning to show, not refused: the
 * tests' stand-in operator runs its runners on this machine).
 */
export function operatorTargetWarning(target: string | undefined): string | undefined {
  if (target === 'demo') {
    throw new UsageError(
      '--target demo with --engine k6-operator: the demo runs on this machine, where the runners in the cluster cannot reach it',
      "give the target's URL as the runners reach it (--target http://checkout.shop.svc), or use --engine local or k6",
    );
  }
  if (target === undefined || !URL.canParse(target)) return undefined;
  const host = new URL(target).hostname.replace(/^\[|\]$/g, '');
  const loopback =
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    (isIP(host) === 4 && host.startsWith('127.')) ||
    host === '::1';
  if (!loopback) return undefined;
  return `warning: --target ${redactUrl(target)} is a loopback address: each k6-operator runner reaches its own Pod there, not this machine`;
}
