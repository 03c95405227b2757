// k6-operator runners: the test's start on this runner's clock, the one that stamps its samples,
// reported once from setup() (each runner runs its own) as a Gauge. The engine takes t = 0 from
// it. Nothing runs per request.
import exec from 'k6/execution';
import { Gauge } from 'k6/metrics';

/** Call at init (a Gauge is made there); the result is the script's setup(). */
export function startReporter(metric: string): () => void {
  const start = new Gauge(metric);
  return () => {
    // k6's own start of the test (MarkStarted), a few ms before the first scenario's start.
    start.add(Date.now() - exec.instance.currentTestRunDuration);
  };
}
