// k6's `--out json` lines → one generator's SecondRecorder. Only four metrics matter and most
// lines are other metrics, so a line's metric name is read from its first bytes and only the
// lines kept are parsed. Memory stays flat: nothing is kept but the open seconds.
//
//   http_req_duration  a completed request: latency (k6 measures it from the actual send, so
//                      it is service time too), request name, error class from its tags
//   iteration_duration + iterations   an iteration was sent at (end − duration)
//   dropped_iterations an arrival no VU was free for
//
// Which second a request counts in: k6 stamps a request's samples when it ended and has no
// intended send time, so a completion counts in the second it was sent, its sample time less
// its http_req_duration (sending + waiting + receiving: the time k6 was blocked on a
// connection or setting one up comes before, so that send is a little after the iteration
// started). An iteration counts as sent in the second it started, a dropped one in the second
// it was due. In the open model k6 starts an iteration when it is due (or drops it), so these
// are the local engine's intended seconds to within that connection setup.
import type { SecondRecorder } from '../../timeline/recorder.ts';

interface Point {
  metric: string;
  type: string;
  data: { time: string; value: number; tags: Record<string, string> | null };
}

const POINT_PREFIX = '{"metric":"';
const WANTED = new Set([
  'http_req_duration',
  'iteration_duration',
  'iterations',
  'dropped_iterations',
]);

/** RFC 3339 with nanoseconds (`2026-11-23T20:37:26.868245214Z`) → epoch ms, sub-ms kept. */
export function parseK6Time(time: string): number {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)$/.exec(time);
  if (!m) return Number.NaN;
  return Date.parse(`${m[1]}${m[3]}`) + (m[2] ? Number(`0${m[2]}`) * 1000 : 0);
}

/** k6 error codes (lib/netext/httpext) → the local engine's error classes. */
function networkErrorKind(code: string | undefined): string {
  switch (code) {
    case '1050':
      return 'timeout';
    case '1211':
      return 'connect_timeout';
    case '1212':
      return 'econnrefused';
    case '1220':
      return 'econnreset';
    default:
      if (code?.startsWith('11')) return 'dns';
      if (code?.startsWith('13')) return 'tls';
      return code ? `k6_${code}` : 'network';
  }
}

/** Undefined for a success; the error class otherwise (`http_503`, `econnrefused`, …). */
export function errorKind(tags: Record<string, string>): string | undefined {
  const status = Number(tags.status ?? 0);
  // `expected_response` is k6's verdict through the request's responseCallback (the journey's
  // expected statuses); without a callback, 2xx–3xx count as success as in the local engine.
  const failed =
    tags.expected_response !== undefined
      ? tags.expected_response === 'false'
      : !(status >= 200 && status < 400);
  if (!failed) return undefined;
  return status > 0 ? `http_${status}` : networkErrorKind(tags.error_code);
}

export class K6SampleReader {
  private lastIteration: { time: string; durationMs: number } | undefined;
  /** Lines read that were JSON points of the metrics kept. */
  points = 0;

  /** `runStartWallMs`: t = 0 of the run in epoch ms (k6 stamps samples with the wall clock). */
  constructor(
    private readonly recorder: SecondRecorder,
    private readonly runStartWallMs: number,
  ) {}

  /** Run seconds of a k6 timestamp, less `earlierS`; never before t = 0. */
  private seconds(time: string, earlierS = 0): number {
    return Math.max(0, (parseK6Time(time) - this.runStartWallMs) / 1000 - earlierS);
  }

  /** One line of k6's JSON output. Anything else (banner, Metric lines) is skipped. */
  line(line: string): void {
    let point: Point;
    if (line.startsWith(POINT_PREFIX)) {
      const end = line.indexOf('"', POINT_PREFIX.length);
      if (!WANTED.has(line.slice(POINT_PREFIX.length, end))) return;
      point = JSON.parse(line) as Point;
    } else if (line.startsWith('{') && !line.startsWith('{"type":"Metric"')) {
      // Another key order than k6's today: parse, then look.
      try {
        point = JSON.parse(line) as Point;
      } catch {
        return;
      }
      if (!WANTED.has(point.metric)) return;
    } else {
      return;
    }
    if (point.type !== 'Point') return;
    this.points++;
    this.record(point);
  }

  private record(p: Point): void {
    const { time, value } = p.data;
    const tags = p.data.tags ?? {};
    switch (p.metric) {
      case 'http_req_duration':
        this.recorder.completed(
          this.seconds(time, value / 1000),
          tags.name ?? tags.url ?? 'request',
          value,
          value,
          errorKind(tags),
        );
        return;
      case 'iteration_duration':
        this.lastIteration = { time, durationMs: value };
        return;
      case 'iterations': {
        // k6 stamps an iteration at its end, right after its iteration_duration: the
        // iteration started (was sent) `duration` earlier.
        const started =
          this.lastIteration?.time === time ? this.lastIteration.durationMs / 1000 : 0;
        this.lastIteration = undefined;
        // k6 has no send lag: the recorder's send-lag histogram is dropped before buckets leave.
        for (let i = 0; i < value; i++) this.recorder.sent(this.seconds(time, started), 0);
        return;
      }
      case 'dropped_iterations':
        for (let i = 0; i < value; i++) this.recorder.dropped(this.seconds(time));
        return;
    }
  }
}
