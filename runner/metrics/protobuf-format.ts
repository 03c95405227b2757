// The Prometheus protobuf format (io.prometheus.client.MetricFamily, length-delimited): the
// only one Prometheus reads native histograms from. The messages are declared here, as the
// fields of Prometheus' metrics.proto that tiergate fills; latency carries native buckets and,
// for older readers, the classic ones too.
import protobuf from 'protobufjs';
import type { Family, Sample } from './families.ts';
import { NATIVE_SCHEMA, spansAndDeltas } from './native-histogram.ts';
import { CLASSIC_BOUNDS_S } from './snapshot.ts';

export const PROTOBUF_CONTENT_TYPE =
  'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited';

/** The zero bucket's width, as Prometheus' Go client uses by default (latencies are ≥ 1 µs). */
const ZERO_THRESHOLD = 2 ** -128;

const field = (id: number, type: string, rule?: 'repeated') => ({
  id,
  type,
  ...(rule ? { rule } : {}),
});

const metricFamily = protobuf.Root.fromJSON({
  nested: {
    io: {
      nested: {
        prometheus: {
          nested: {
            client: {
              nested: {
                MetricType: {
                  values: { COUNTER: 0, GAUGE: 1, SUMMARY: 2, UNTYPED: 3, HISTOGRAM: 4 },
                },
                LabelPair: { fields: { name: field(1, 'string'), value: field(2, 'string') } },
                Gauge: { fields: { value: field(1, 'double') } },
                Counter: { fields: { value: field(1, 'double') } },
                Bucket: {
                  fields: { cumulativeCount: field(1, 'uint64'), upperBound: field(2, 'double') },
                },
                BucketSpan: { fields: { offset: field(1, 'sint32'), length: field(2, 'uint32') } },
                Histogram: {
                  fields: {
                    sampleCount: field(1, 'uint64'),
                    sampleSum: field(2, 'double'),
                    bucket: field(3, 'Bucket', 'repeated'),
                    schema: field(5, 'sint32'),
                    zeroThreshold: field(6, 'double'),
                    zeroCount: field(7, 'uint64'),
                    positiveSpan: field(12, 'BucketSpan', 'repeated'),
                    positiveDelta: field(13, 'sint64', 'repeated'),
                  },
                },
                Metric: {
                  fields: {
                    label: field(1, 'LabelPair', 'repeated'),
                    gauge: field(2, 'Gauge'),
                    counter: field(3, 'Counter'),
                    histogram: field(7, 'Histogram'),
                  },
                },
                MetricFamily: {
                  fields: {
                    name: field(1, 'string'),
                    help: field(2, 'string'),
                    type: field(3, 'MetricType'),
                    metric: field(4, 'Metric', 'repeated'),
                  },
                },
              },
            },
          },
        },
      },
    },
  },
}).lookupType('io.prometheus.client.MetricFamily');

const TYPE_NUMBER = { counter: 0, gauge: 1, histogram: 4 } as const;

function metric(family: Family, sample: Sample): Record<string, unknown> {
  const label = Object.entries(sample.labels).map(([name, value]) => ({ name, value }));
  const h = sample.histogram;
  if (h === undefined) return { label, [family.type]: { value: sample.value } };
  const { spans, deltas } = spansAndDeltas(h.native);
  return {
    label,
    histogram: {
      sampleCount: h.count,
      sampleSum: h.sumS,
      bucket: CLASSIC_BOUNDS_S.map((upperBound, i) => ({
        upperBound,
        cumulativeCount: h.classic[i]!,
      })),
      schema: NATIVE_SCHEMA,
      zeroThreshold: ZERO_THRESHOLD,
      zeroCount: 0,
      positiveSpan: spans,
      positiveDelta: deltas,
    },
  };
}

export function renderProtobuf(families: Family[]): Uint8Array {
  const writer = protobuf.Writer.create();
  for (const f of families) {
    const message = metricFamily.fromObject({
      name: f.name,
      help: f.help,
      type: TYPE_NUMBER[f.type],
      metric: f.samples.map((s) => metric(f, s)),
    });
    metricFamily.encodeDelimited(message, writer);
  }
  return writer.finish();
}

/** Whether a scraper's Accept header asks for this format. */
export function acceptsProtobuf(accept: string | undefined): boolean {
  return (
    accept !== undefined &&
    /application\/vnd\.google\.protobuf/.test(accept) &&
    /proto=io\.prometheus\.client\.MetricFamily/.test(accept) &&
    /encoding=delimited/.test(accept)
  );
}
