// handleSummary for tiergate's k6 engine: k6's own threshold results of this process, written
// to the file the engine names (TIERGATE_SUMMARY). Nothing goes to stdout, which carries the
// JSON sample stream.

interface SummaryMetric {
  thresholds?: Record<string, { ok: boolean }>;
}

export interface SummaryData {
  metrics: Record<string, SummaryMetric>;
}

/** `"<metric key>: <expression>" → passed`, e.g. `"http_req_failed: rate<0.01": true`. */
export function thresholdResults(data: SummaryData): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (const [key, metric] of Object.entries(data.metrics)) {
    for (const [expression, result] of Object.entries(metric.thresholds ?? {})) {
      out[`${key}: ${expression}`] = result.ok;
    }
  }
  return out;
}

export function engineSummary(data: SummaryData): Record<string, string> {
  const path = __ENV.TIERGATE_SUMMARY;
  return path ? { [path]: JSON.stringify(thresholdResults(data)) } : {};
}
