// The metric families of a snapshot, one model for both exposition formats.
import type { LatencyHistogram, MetricsSnapshot } from './snapshot.ts';

export type FamilyType = 'counter' | 'gauge' | 'histogram';

export interface Sample {
  labels: Record<string, string>;
  value: number;
  histogram?: LatencyHistogram;
}

export interface Family {
  name: string;
  help: string;
  type: FamilyType;
  samples: Sample[];
}

/** `{request: name}`, or no label for completions without a name. */
function byName(request: string): Record<string, string> {
  return request === '' ? {} : { request };
}

export function metricFamilies(s: MetricsSnapshot): Family[] {
  const one = (value: number): Sample[] => [{ labels: {}, value }];
  return [
    {
      name: 'tiergate_requests_sent_total',
      help: 'Requests sent, counted at their intended send time.',
      type: 'counter',
      samples: one(s.sent),
    },
    {
      name: 'tiergate_requests_dropped_total',
      help: 'Arrivals not sent because the in-flight cap was reached.',
      type: 'counter',
      samples: one(s.dropped),
    },
    {
      name: 'tiergate_requests_completed_total',
      help: 'Requests completed (answered, failed or timed out), by request name.',
      type: 'counter',
      samples: s.requests.map((r) => ({ labels: byName(r.request), value: r.completed })),
    },
    {
      name: 'tiergate_request_errors_total',
      help: 'Completed requests that failed, by request name.',
      type: 'counter',
      samples: s.requests.map((r) => ({ labels: byName(r.request), value: r.errors })),
    },
    {
      name: 'tiergate_requests_in_flight',
      help: 'Requests sent and not yet completed.',
      type: 'gauge',
      samples: one(s.inFlight),
    },
    {
      name: 'tiergate_target_arrival_rate',
      help: "The plan's arrival rate now, in requests per second (VUs for a closed plan).",
      type: 'gauge',
      samples: one(s.target),
    },
    {
      name: 'tiergate_request_duration_seconds',
      help: 'Latency from the intended send time, by request name.',
      type: 'histogram',
      samples: s.requests.map((r) => ({
        labels: byName(r.request),
        value: r.latency.count,
        histogram: r.latency,
      })),
    },
  ];
}
