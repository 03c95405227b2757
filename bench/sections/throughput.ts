// 1. Throughput of one generator core against the same target: the local engine's highest
// open-model rate held, k6's highest constant-arrival rate held (when K6_BIN names a k6), the
// closed-loop throughput of autocannon, of the local engine (VUs) and of wrk (the practical
// ceiling).
import type { ProbeResult } from '../../runner/engines/autocannon/probe.ts';
import type { BenchMode } from '../mode.ts';
import { type K6RateRun, runK6Rate } from '../peers/k6.ts';
import { type LocalStepFigures, localHeld, localHeldLikeK6, runLocal } from '../peers/local.ts';
import { runNodeChild } from '../peers/node-child.ts';
import { runWrk, type WrkRun } from '../peers/wrk.ts';
import { type Ceiling, findCeiling } from '../search.ts';

export interface ThroughputFigures {
  local: Ceiling<LocalStepFigures> & { heldLikeK6: number };
  /** Absent when k6 was not measured (no K6_BIN). */
  k6?: Ceiling<K6RateRun>;
  autocannon: ProbeResult;
  localClosed: LocalStepFigures;
  wrk: WrkRun;
}

const k = (n: number): string => Math.round(n).toLocaleString('en-US');

export async function measureThroughput(
  url: string,
  mode: BenchMode,
  k6Binary: string | undefined,
  log: (line: string) => void,
): Promise<ThroughputFigures> {
  const c = mode.connections;
  const local = await findCeiling(
    async (rate) => {
      const f = await runLocal({ url, rate, connections: c, ...mode.localStep });
      return { rate, held: localHeld(f, mode.lagBarMs), figures: f };
    },
    mode.localSearch,
    (s) =>
      log(
        `local open ${k(s.rate)}/s: ${s.held ? 'held' : 'not held'} (achieved ${k(s.figures.achievedRps)}, ` +
          `send lag p99 ${s.figures.sendLagP99Ms.toFixed(2)} ms, dropped ${s.figures.dropped})`,
      ),
  );
  const heldLikeK6 = Math.max(
    0,
    ...local.steps.filter((s) => localHeldLikeK6(s.figures)).map((s) => s.rate),
  );
  const k6 =
    k6Binary === undefined
      ? undefined
      : await findCeiling(
          async (rate) => {
            const r = await runK6Rate(k6Binary, url, rate, mode.k6StepS, c);
            return { rate, held: r.dropped === 0 && r.achievedRps >= 0.99 * rate, figures: r };
          },
          mode.k6Search,
          (s) =>
            log(
              `k6 constant-arrival-rate ${k(s.rate)}/s: ${s.held ? 'held' : 'not held'} ` +
                `(achieved ${k(s.figures.achievedRps)}, dropped ${s.figures.dropped})`,
            ),
        );
  // Closed loops, interleaved `closedRuns` times; each keeps its best run (the one the
  // machine's other work disturbed least).
  let autocannon: ProbeResult | undefined;
  let localClosed: LocalStepFigures | undefined;
  let wrk: WrkRun | undefined;
  for (let i = 0; i < mode.closedRuns; i++) {
    const a = (
      await runNodeChild<ProbeResult>(
        'autocannon',
        { url, connections: c, durationS: mode.closedS },
        (mode.closedS + 30) * 1000,
      )
    ).result;
    log(`autocannon closed loop, ${c} connections: ${k(a.reqPerSec)} req/s`);
    if (!autocannon || a.reqPerSec > autocannon.reqPerSec) autocannon = a;
    const l = await runLocal({
      url,
      rate: 1,
      vus: c,
      warmupS: mode.localStep.warmupS,
      durationS: mode.closedS,
      connections: c,
    });
    log(`local closed loop, ${c} VUs: ${k(l.achievedRps)} req/s`);
    if (!localClosed || l.achievedRps > localClosed.achievedRps) localClosed = l;
    const w = await runWrk(url, c, mode.closedS);
    log(`wrk closed loop, ${c} connections: ${k(w.reqPerSec)} req/s`);
    if (!wrk || w.reqPerSec > wrk.reqPerSec) wrk = w;
  }
  if (!autocannon || !localClosed || !wrk) throw new Error('closedRuns must be ≥ 1');
  return { local: { ...local, heldLikeK6 }, ...(k6 ? { k6 } : {}), autocannon, localClosed, wrk };
}
