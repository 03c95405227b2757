// The per-second latency histograms as an HdrHistogram interval log (`latency.hlog`), which
// HdrHistogram's own tools (HistogramLogProcessor, HistogramLogAnalyzer) read. Values are µs
// from the intended send time; Interval_Max is written in ms. One untagged line per second
// covers all requests; tagged lines (`Tag=<request name>`) hold each request name's share.
import {
  build,
  decodeFromCompressedBase64,
  type Histogram,
  HistogramLogWriter,
} from 'hdr-histogram-js';
import type { RunResult } from '../thresholds/result.ts';
import { latencyOrigin, runLabel } from './facts.ts';

/** Histograms hold µs; dividing the max by 1000 shows it in ms. */
const MAX_VALUE_UNIT_RATIO = 1000;

export function renderHlog(run: RunResult): string {
  let out = '';
  // outputStartTime ends its comment with a second newline; HdrHistogram's Java writer
  // does not, so the blank line is folded away.
  const writer = new HistogramLogWriter((chunk) => {
    out += chunk.replace(/\n\n$/, '\n');
  });
  const startMs = Date.parse(run.startedAt);
  writer.outputComment(`tiergate run ${run.runId} · ${runLabel(run)} · engine ${run.engine.name}`);
  writer.outputComment(`latency ${latencyOrigin(run)}, values in µs; Interval_Max in ms`);
  writer.outputLogFormatVersion();
  if (!Number.isNaN(startMs)) {
    writer.outputStartTime(startMs);
    // Timestamps below are seconds since the run's start; BaseTime says so explicitly.
    writer.outputComment(`[BaseTime: ${(startMs / 1000).toFixed(3)} (seconds since epoch)]`);
  }
  writer.outputLegend();

  for (const second of run.timeline) {
    writer.outputIntervalHistogram(
      decode(second.latency),
      second.t,
      second.t + 1,
      MAX_VALUE_UNIT_RATIO,
    );
    for (const [name, req] of Object.entries(second.byRequest)) {
      if (!req.latency) continue;
      const h = decode(req.latency);
      h.tag = hlogTag(name);
      writer.outputIntervalHistogram(h, second.t, second.t + 1, MAX_VALUE_UNIT_RATIO);
    }
  }
  return out;
}

/** An empty string is a second without samples: it is logged as an empty interval. */
function decode(encoded: string): Histogram {
  return encoded ? decodeFromCompressedBase64(encoded) : build();
}

/** Tags are comma-separated fields in the log: no commas or whitespace in them. */
export function hlogTag(requestName: string): string {
  return requestName.replace(/[,\s]/g, '_');
}
