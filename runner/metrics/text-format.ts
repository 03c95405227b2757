// The text formats every scraper reads: Prometheus' 0.0.4 and OpenMetrics 1.0 (a counter's family
// is named without `_total` there, and the exposition ends with `# EOF`). Latency goes as a
// classic histogram here; the native one needs the protobuf format (protobuf-format.ts).
import type { Family, Sample } from './families.ts';
import { CLASSIC_BOUNDS_S } from './snapshot.ts';

export type TextFormat = 'prometheus' | 'openmetrics';

export const TEXT_CONTENT_TYPES: Record<TextFormat, string> = {
  prometheus: 'text/plain; version=0.0.4; charset=utf-8',
  openmetrics: 'application/openmetrics-text; version=1.0.0; charset=utf-8',
};

/** The text format a scraper's Accept header asks for. */
export function acceptedTextFormat(accept: string | undefined): TextFormat {
  return accept?.includes('application/openmetrics-text') ? 'openmetrics' : 'prometheus';
}

const escapeHelp = (text: string) => text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
const escapeLabel = (text: string) =>
  text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

function labelText(labels: Record<string, string>): string {
  const pairs = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  return pairs.length === 0 ? '' : `{${pairs.join(',')}}`;
}

function sampleLines(family: Family, sample: Sample): string[] {
  const h = sample.histogram;
  if (h === undefined) return [`${family.name}${labelText(sample.labels)} ${sample.value}`];
  const bucket = (le: string, n: number) =>
    `${family.name}_bucket${labelText({ ...sample.labels, le })} ${n}`;
  return [
    ...CLASSIC_BOUNDS_S.map((le, i) => bucket(String(le), h.classic[i]!)),
    bucket('+Inf', h.count),
    `${family.name}_sum${labelText(sample.labels)} ${h.sumS}`,
    `${family.name}_count${labelText(sample.labels)} ${h.count}`,
  ];
}

export function renderText(families: Family[], format: TextFormat): string {
  const lines = families.flatMap((f) => {
    const name =
      format === 'openmetrics' && f.type === 'counter' ? f.name.replace(/_total$/, '') : f.name;
    return [
      `# HELP ${name} ${escapeHelp(f.help)}`,
      `# TYPE ${name} ${f.type}`,
      ...f.samples.flatMap((s) => sampleLines(f, s)),
    ];
  });
  if (format === 'openmetrics') lines.push('# EOF');
  return `${lines.join('\n')}\n`;
}
