// Child process: k6 `--out json` ingest through the k6 engine's own parser (K6SampleReader of
// runner/engines/k6/samples.ts) into a SecondRecorder, flushed per second into a TimelineStore,
// as the k6 engine does. Timed twice: from a byte stream split by readline (the engine's path
// from k6's stdout) and from lines already split (the parser and recording alone).

import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { K6SampleReader } from '../../runner/engines/k6/samples.ts';
import { SecondRecorder } from '../../runner/timeline/recorder.ts';
import { TimelineStore } from '../../runner/timeline/store.ts';
import { k6JsonChunks, LINES_PER_ITERATION } from '../lib/k6-lines.ts';

export interface IngestSpec {
  lines: number;
  rate: number;
}

export interface IngestResult {
  lines: number;
  bytes: number;
  /** Lines/s, stream split by readline + parse + record + per-second merge. */
  streamLinesPerSec: number;
  /** Lines/s, parse + record + per-second merge of lines already split. */
  parseLinesPerSec: number;
  /** Requests the timeline ended with (a check that every http_req_duration was kept). */
  completed: number;
}

const spec = JSON.parse(process.argv[2] ?? '{}') as IngestSpec;
const startEpochMs = Date.UTC(2026, 10, 23, 20, 0, 0);
const chunks = k6JsonChunks({
  rate: spec.rate,
  iterations: Math.ceil(spec.lines / LINES_PER_ITERATION),
  names: 5,
  startEpochMs,
});
const bytes = chunks.reduce((s, c) => s + c.length, 0);
const linesPerSecond = spec.rate * LINES_PER_ITERATION;

/** Feeds lines, flushing closed seconds into a fresh timeline as the run's clock advances. */
function pipeline(): { feed: (line: string) => void; end: () => TimelineStore } {
  const recorder = new SecondRecorder();
  const store = new TimelineStore(() => spec.rate);
  const reader = new K6SampleReader(recorder, startEpochMs);
  let n = 0;
  return {
    feed(line) {
      reader.line(line);
      if (++n % linesPerSecond === 0) {
        // k6 writes a sample up to ~1 s late: close the seconds before the previous one.
        for (const b of recorder.flush(n / linesPerSecond - 1)) store.add(b);
      }
    },
    end() {
      for (const b of recorder.flush()) store.add(b);
      store.finish();
      return store;
    },
  };
}

function completed(store: TimelineStore): number {
  return store.buckets().reduce((s, b) => s + b.completed, 0);
}

// Warm-up (untimed): the parser and recorder compiled before either timing.
const warm = pipeline();
for (const line of chunks
  .slice(0, 8)
  .flatMap((c) => c.toString('utf8').split('\n'))
  .filter((l) => l !== ''))
  warm.feed(line);
warm.end();

// Stream path.
let t0 = performance.now();
const streamed = pipeline();
let lineCount = 0;
const rl = createInterface({ input: Readable.from(chunks), crlfDelay: Infinity });
for await (const line of rl) {
  lineCount++;
  streamed.feed(line);
}
const streamStore = streamed.end();
const streamMs = performance.now() - t0;

// Parser path: split first (untimed).
const lines = chunks.flatMap((c) =>
  c
    .toString('utf8')
    .split('\n')
    .filter((l) => l !== ''),
);
t0 = performance.now();
const parsed = pipeline();
for (const line of lines) parsed.feed(line);
const parseStore = parsed.end();
const parseMs = performance.now() - t0;

const result: IngestResult = {
  lines: lineCount,
  bytes,
  streamLinesPerSec: lineCount / (streamMs / 1000),
  parseLinesPerSec: lines.length / (parseMs / 1000),
  completed: Math.min(completed(streamStore), completed(parseStore)),
};
console.log(JSON.stringify(result));
