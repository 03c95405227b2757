// A game day's target on a laptop: the demo's replicas (or a given URL) behind the fault proxy,
// all on the run's cleanup stack, and the driver that switches faults on them.

import type { CleanupStack } from '../core/cleanup.ts';
import type { DemoOptions } from '../demo/options.ts';
import { spawnDemo } from '../demo/spawn.ts';
import type { ChaosDriver } from './driver.ts';
import { FaultProxy } from './local/proxy.ts';
import { ReplicaSet } from './local/replicas.ts';
import { LocalChaosDriver } from './local-driver.ts';

export interface LocalTargetOptions {
  target: { demo: Partial<DemoOptions>; replicas: number } | { url: string };
  runDir: string;
  cleanup: CleanupStack;
  signal: AbortSignal;
}

export interface LocalTarget {
  /** Where load goes: the proxy. */
  url: string;
  upstreams: string[];
  driver: ChaosDriver;
}

export async function startLocalTarget(o: LocalTargetOptions): Promise<LocalTarget> {
  let replicas: ReplicaSet | undefined;
  let upstreams: string[];
  if ('demo' in o.target) {
    const { demo, replicas: count } = o.target;
    replicas = new ReplicaSet(count, (index, signal) =>
      spawnDemo({ ...demo, name: `replica-${index}` }, { signal }),
    );
    o.cleanup.push('demo replicas', () => replicas?.stopAll());
    await replicas.startAll(o.signal);
    upstreams = replicas.urls();
  } else {
    upstreams = [o.target.url];
  }
  const proxy = new FaultProxy({ upstreams });
  const { url } = await proxy.start();
  o.cleanup.push('fault proxy', () => proxy.stop());
  replicas?.onChange((urls) => proxy.setUpstreams(urls));
  return { url, upstreams, driver: new LocalChaosDriver(proxy, replicas, o.runDir) };
}
