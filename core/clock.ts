// The run clock every engine, the timeline and the run loop share: t = 0 of a run is a reading
// of it, so it must mean the same in every thread of the process.

/** This thread's time origin; read once (the getter is costly on the per-request path). */
const TIME_ORIGIN_MS = performance.timeOrigin;

/** Wall-clock ms with sub-ms resolution, comparable across threads of one process. */
export function sharedNowMs(): number {
  return TIME_ORIGIN_MS + performance.now();
}
