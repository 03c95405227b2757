// Child process: records synthetic samples at full speed into the local engine's per-second
// recorder, flushed every second into the run's TimelineStore (exactly what a generator and the
// orchestrator do), and reads the process's RSS after a GC at each checkpoint. Run with
// --expose-gc. Prints `{checkpoints: [{samples, seconds, rssMb, heapMb, externalMb}], …}`.
import { SecondRecorder } from '../../runner/timeline/recorder.ts';
import { TimelineStore } from '../../runner/timeline/store.ts';
import { Rng } from '../lib/synthetic.ts';

export interface MemorySpec {
  samples: number;
  seconds: number;
  checkpoints: number[];
  requestNames: number;
}

export interface MemoryCheckpoint {
  samples: number;
  seconds: number;
  rssMb: number;
  heapMb: number;
  externalMb: number;
}

export interface MemoryResult {
  checkpoints: MemoryCheckpoint[];
  samplesPerSec: number;
  /** Characters of the encoded histograms the timeline holds at the end. */
  timelineEncodedMb: number;
}

const spec = JSON.parse(process.argv[2] ?? '{}') as MemorySpec;
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');

const mb = (bytes: number): number => bytes / (1024 * 1024);
const recorder = new SecondRecorder();
const store = new TimelineStore(() => spec.samples / spec.seconds);
const names = Array.from({ length: spec.requestNames }, (_, i) => `GET /endpoint-${i}`);
const rng = new Rng(42);
const perSecond = spec.samples / spec.seconds;
const checkpoints: MemoryCheckpoint[] = [];
const pending = [...spec.checkpoints].sort((a, b) => a - b);
let recorded = 0;
let recordingMs = 0;

function checkpoint(seconds: number): void {
  gc?.();
  const m = process.memoryUsage();
  checkpoints.push({
    samples: recorded,
    seconds,
    rssMb: mb(m.rss),
    heapMb: mb(m.heapUsed),
    externalMb: mb(m.external),
  });
}

// Checkpoint 0: the process before any sample (Node, tsx, the modules loaded).
if (pending[0] === 0) {
  pending.shift();
  checkpoint(0);
}

for (let t = 0; t < spec.seconds; t++) {
  const segment = performance.now();
  const n = Math.round(perSecond * (t + 1)) - Math.round(perSecond * t);
  for (let i = 0; i < n; i++) {
    const intendedS = t + i / n;
    const latency = rng.latencyMs();
    recorder.sent(intendedS, rng.next() * 0.2);
    recorder.completed(
      intendedS + latency / 1000,
      names[i % names.length]!,
      latency,
      latency * 0.98,
      i % 500 === 0 ? 'http_500' : undefined,
    );
  }
  recorded += n;
  for (const b of recorder.flush(t)) store.add(b);
  recordingMs += performance.now() - segment;
  // The orchestrator takes buckets in event-loop callbacks: let the loop turn as it would, so
  // native memory released by finalizers (buffers, zlib streams) is released here too.
  await new Promise((resolve) => setImmediate(resolve));
  while (pending.length > 0 && recorded >= pending[0]!) {
    pending.shift();
    checkpoint(t + 1);
  }
}
for (const b of recorder.flush()) store.add(b);
store.finish();
const encoded = store
  .buckets()
  .reduce(
    (s, b) =>
      s +
      b.latency.length +
      b.serviceTime.length +
      b.sendLag.length +
      Object.values(b.byRequest).reduce((r, x) => r + x.latency.length, 0),
    0,
  );
const result: MemoryResult = {
  checkpoints,
  samplesPerSec: recorded / (recordingMs / 1000),
  timelineEncodedMb: mb(encoded),
};
console.log(JSON.stringify(result));
