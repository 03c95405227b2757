// Which engine runs the load, and its own typed settings: the CLI turns its flags into one of
// these once; below it nothing reads a flag.

import type { KubeAccess } from '../kube/client.ts';

export interface LocalSettings {
  kind: 'local';
}

export interface K6Settings {
  kind: 'k6';
  /** k6 processes splitting the load. */
  processes: number;
  /** The user's k6 binary; else K6_BIN, else k6 on PATH. */
  binary?: string | undefined;
}

export interface K6OperatorSettings {
  kind: 'k6-operator';
  namespace: string;
  parallelism: number;
  /** Where the runners remote-write (as they reach it). */
  prometheusUrl: string;
  /** Where tiergate queries that Prometheus. */
  prometheusQueryUrl: string;
  /** Keep the TestRun and ConfigMap after the run. */
  keep: boolean;
  /** The runners' and initializer's k6 image. */
  image: string;
  kube: KubeAccess;
}

export type EngineSettings = LocalSettings | K6Settings | K6OperatorSettings;
export type EngineKindName = EngineSettings['kind'];
