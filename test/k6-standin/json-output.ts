// `--out json=<file>` and `--out json=-`: k6's JSON lines, one Metric line before a metric's
// first Point, flushed every 200 ms as k6 does. A file ending in .gz is gzipped.
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { createGzip } from 'node:zlib';
import type { MetricSample, StandinOutput } from './output.ts';

const FLUSH_MS = 200;

/** RFC 3339 with nanoseconds, UTC: `2026-11-23T20:37:26.868245214Z`. */
export function rfc3339Nanos(epochMs: number): string {
  const whole = Math.floor(epochMs);
  const iso = new Date(whole).toISOString();
  const nanos = Math.round((epochMs - whole) * 1_000_000);
  return `${iso.slice(0, 23)}${String(Math.min(nanos, 999_999)).padStart(6, '0')}Z`;
}

export interface MetricInfo {
  /** k6's thresholds of the metric, as written in its Metric line. */
  thresholds(metric: string): unknown[];
  /** Sub-metrics thresholds defined on it: `{name, suffix, tags}`. */
  submetrics(metric: string): { name: string; suffix: string; tags: Record<string, string> }[];
}

export function metricLine(s: MetricSample, info: MetricInfo): string {
  const subs = info.submetrics(s.metric);
  return JSON.stringify({
    type: 'Metric',
    data: {
      name: s.metric,
      type: s.type,
      contains: s.contains,
      thresholds: info.thresholds(s.metric),
      submetrics: subs.length > 0 ? subs : null,
    },
    metric: s.metric,
  });
}

export function pointLine(s: MetricSample): string {
  const tags = Object.keys(s.tags).length > 0 ? sortedTags(s.tags) : null;
  return JSON.stringify({
    metric: s.metric,
    type: 'Point',
    data: { time: rfc3339Nanos(s.timeMs), value: s.value, tags },
  });
}

/** Tags in key order (k6 writes a Go map: sorted keys). */
function sortedTags(tags: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(
    Object.keys(tags)
      .sort()
      .map((k) => [k, tags[k]!]),
  );
}

export function createJsonOutput(target: string, info: MetricInfo): StandinOutput {
  let stream: Writable;
  let file: Writable | undefined;
  if (target === '-') {
    stream = process.stdout;
  } else {
    file = createWriteStream(target);
    stream = target.endsWith('.gz') ? createGzip() : file;
    if (stream !== file) stream.pipe(file);
  }
  const seen = new Set<string>();
  let buffer: string[] = [];
  const flush = () => {
    if (buffer.length === 0) return;
    stream.write(`${buffer.join('\n')}\n`);
    buffer = [];
  };
  const timer = setInterval(flush, FLUSH_MS);
  timer.unref();
  return {
    add(samples) {
      for (const s of samples) {
        if (!seen.has(s.metric)) {
          seen.add(s.metric);
          buffer.push(metricLine(s, info));
        }
        buffer.push(pointLine(s));
      }
    },
    async stop() {
      clearInterval(timer);
      flush();
      if (stream === process.stdout) {
        await new Promise<void>((r) =>
          process.stdout.write('') ? r() : process.stdout.once('drain', r),
        );
        return;
      }
      await new Promise<void>((r) => {
        (file ?? stream).once('finish', () => r());
        stream.end();
      });
    },
  };
}
