// `tiergate capacity`'s flags → the search's settings and its ladder: a roadmap's open tiers in
// order of rate, or rates doubling from --from to --to with --slo objectives.
import { UsageError } from '../../../core/errors.ts';
import {
  type CapacityRung,
  cappedRungs,
  DEFAULT_MAX_STEPS,
  DEFAULT_RESOLUTION,
  doublingRungs,
  type LadderTier,
} from '../../../thresholds/capacity.ts';
import type { Roadmap } from '../../../thresholds/model.ts';
import { tierPeak } from '../../../thresholds/traffic.ts';
import { selectRoadmap } from '../../config/merge.ts';
import type { CapacityLadder, CapacitySettings } from '../../run/capacity.ts';
import { parseDuration, parseNumber, planFromOptions } from './plan-from-options.ts';
import type { RunFlags } from './run-flags.ts';

export interface CapacityFlags extends RunFlags {
  from?: string;
  to?: string;
  maxRate?: string;
  resolution?: string;
  hold?: string;
  cooldown?: string;
  recheck?: string;
  maxSteps?: string;
}

/** `5%` or `5`: a share from 0.1 % to 100 %. */
function parseResolution(value: string | undefined): number {
  if (value === undefined) return DEFAULT_RESOLUTION;
  const n = Number(value.trim().replace(/%$/, ''));
  if (!Number.isFinite(n) || n < 0.1 || n > 100) {
    throw new UsageError(
      `--resolution ${JSON.stringify(value)} is not valid: give a percentage from 0.1 to 100, e.g. --resolution 5%`,
    );
  }
  return n / 100;
}

/** A duration flag that may be 0 (`--cooldown 0s`). */
function parseSpan(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (/^0+(?:\.0+)?(?:ms|s|m|h)?$/.test(value.trim())) return 0;
  return parseDuration(flag, value)!;
}

export function capacitySettings(flags: CapacityFlags): CapacitySettings {
  const maxRateRps = parseNumber('--max-rate', flags.maxRate, 0.01);
  const holdS = parseDuration('--hold', flags.hold);
  return {
    search: {
      resolution: parseResolution(flags.resolution),
      maxSteps: Math.floor(parseNumber('--max-steps', flags.maxSteps, 2, 100) ?? DEFAULT_MAX_STEPS),
      ...(maxRateRps !== undefined ? { maxRateRps } : {}),
    },
    ...(holdS !== undefined ? { holdS } : {}),
    rampS: parseSpan('--ramp', flags.ramp, 3),
    cooldownS: parseSpan('--cooldown', flags.cooldown, 5),
    recheckS: parseSpan('--recheck', flags.recheck, 3),
  };
}

/** The flags a step's plan is made from: the search sets the rate and the length itself. */
function stepFlags(flags: CapacityFlags): CapacityFlags {
  const { rate: _r, duration: _d, scale: _s, vus: _v, ramp: _ramp, prove: _p, ...rest } = flags;
  return rest;
}

export function capacityLadder(
  flags: CapacityFlags,
  roadmaps: Roadmap[],
  maxRateRps: number | undefined,
): CapacityLadder {
  for (const [flag, value] of [
    ['--rate', flags.rate],
    ['--duration', flags.duration],
    ['--vus', flags.vus],
    ['--tier', flags.tier],
  ] as const) {
    if (value !== undefined) {
      throw new UsageError(
        `capacity chooses the rates and the tiers itself: ${flag} does not apply`,
        'use --from/--to (or a --roadmap) for the rates, --hold for how long each is held',
      );
    }
  }
  const base = stepFlags(flags);
  if (flags.roadmap !== undefined) return roadmapLadder(base, roadmaps, maxRateRps);
  const from = parseNumber('--from', flags.from, 0.01);
  const to = parseNumber('--to', flags.to, 0.01);
  if (from === undefined || to === undefined || !flags.slo?.length) {
    throw new UsageError(
      'capacity needs a --roadmap, or --from, --to and at least one --slo (e.g. --slo "p99<300ms" --from 50 --to 5000)',
    );
  }
  if (to <= from) throw new UsageError(`--to ${flags.to} must be above --from ${flags.from}`);
  const plan = planFromOptions({ ...base, rate: String(from), duration: '10s' }, roadmaps);
  return {
    mode: 'slo',
    name: 'adhoc',
    rungs: cappedRungs(doublingRungs(from, to), maxRateRps),
    base: () => structuredClone(plan),
  };
}

function roadmapLadder(
  flags: CapacityFlags,
  roadmaps: Roadmap[],
  maxRateRps: number | undefined,
): CapacityLadder {
  if (flags.from !== undefined || flags.to !== undefined) {
    throw new UsageError(
      "--from and --to are for a search without a roadmap: the roadmap's tiers are its rungs (cap them with --max-rate)",
    );
  }
  const roadmap = selectRoadmap(roadmaps, flags.roadmap!);
  const open = roadmap.tiers
    .map((t) => ({ tier: t, ...tierPeak(t.load) }))
    .filter((t) => t.model === 'open')
    .sort((a, b) => a.peak - b.peak);
  if (open.length === 0) {
    throw new UsageError(
      `roadmap ${roadmap.id} has only closed (VU) tiers: capacity searches arrival rates`,
      'search a URL instead: --target <url> --slo "p99<300ms" --from 50 --to 5000',
    );
  }
  const tiers: LadderTier[] = open.map(({ tier, peak }) => ({
    id: tier.id,
    rateRps: peak,
    ...(tier.nextPhase ? { nextPhase: tier.nextPhase } : {}),
  }));
  const rungs: CapacityRung[] = tiers.map((t) => ({ rateRps: t.rateRps, tier: t.id }));
  const plans = new Map(
    tiers.map((t) => [t.id, planFromOptions({ ...flags, tier: t.id }, roadmaps)] as const),
  );
  return {
    mode: 'roadmap',
    name: roadmap.id,
    rungs: cappedRungs(rungs, maxRateRps),
    tiers,
    base: (tier) => structuredClone(plans.get(tier ?? tiers[0]!.id)!),
  };
}
