// The Prometheus text format (version 0.0.4): what every scraper reads. Latency goes as a
// classic histogram here; the native one needs the protobuf format (protobuf-format.ts).
import type { Family, Sample } from './families.ts';
import { CLASSIC_BOUNDS_S } from './snapshot.ts';

export const TEXT_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

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

export function renderText(families: Family[]): string {
  const lines = families.flatMap((f) => [
    `# HELP ${f.name} ${escapeHelp(f.help)}`,
    `# TYPE ${f.name} ${f.type}`,
    ...f.samples.flatMap((s) => sampleLines(f, s)),
  ]);
  return `${lines.join('\n')}\n`;
}
