// `tiergate capacity`: climb a roadmap's tiers (or rates from --from to --to), bisect between
// the last rate that held and the first that broke, and report the knee.
import { quietTerminal, type Terminal } from '../../core/terminal.ts';
import { spawnDemo } from '../../demo/spawn.ts';
import { loadRoadmaps } from '../config/user-config.ts';
import { conductCapacity } from '../run/capacity.ts';
import { type CapacityFlags, capacityLadder, capacitySettings } from './options/capacity-flags.ts';
import { demoOptionsFrom } from './options/demo-flags.ts';
import { runSettings } from './options/run-settings.ts';

export async function capacityCommand(
  flags: CapacityFlags,
  shell: Terminal,
  signal: AbortSignal,
): Promise<number> {
  const term = flags.quiet ? quietTerminal(shell) : shell;
  const { settings, warning } = runSettings(flags);
  const capacity = capacitySettings(flags);
  const ladder = capacityLadder(
    flags,
    await loadRoadmaps(flags.config),
    capacity.search.maxRateRps,
  );
  if (warning) term.info(warning);
  const demoOptions = flags.target === 'demo' ? demoOptionsFrom(flags) : undefined;
  return conductCapacity({
    settings,
    capacity,
    ladder,
    term,
    signal,
    prepare: async (cleanup) => {
      const base = ladder.base(ladder.rungs[0]!.tier);
      if (!demoOptions) return { target: base.target };
      const demo = await spawnDemo(demoOptions, { signal });
      cleanup.push('demo target', () => demo.stop());
      term.info(
        `demo target listening on ${demo.url} (capacity ${demoOptions.capacityRps ?? 'default'} req/s)`,
      );
      return { target: demo.url };
    },
  });
}
