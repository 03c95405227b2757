// The capacity section of report.html: what the search found, and its steps as a table.
import type { CapacityRecord } from '../../thresholds/result.ts';
import { findingLines, stepRows } from '../capacity-text.ts';
import { esc } from './escape.ts';
import type { ExtraSection } from './template.ts';

const HEAD = [
  'step',
  'rate',
  'tier',
  'status',
  'p50',
  'p95',
  'p99',
  'errors',
  'dropped',
  'achieved',
];

export function capacitySection(c: CapacityRecord): ExtraSection {
  const found = findingLines(c.findings, c.steps)
    .map((l) => `<li>${esc(l.trim())}</li>`)
    .join('');
  const rows = stepRows(c.steps)
    .map(
      (cells, i) =>
        `<tr class="step-${esc(c.steps[i]!.status)}">${cells.map((x) => `<td>${esc(x)}</td>`).join('')}</tr>`,
    )
    .join('\n');
  return {
    id: 'capacity',
    title: 'Capacity',
    html: `<ul>${found}</ul>\n<table><thead><tr>${HEAD.map((h) => `<th>${h}</th>`).join('')}</tr></thead>\n<tbody>\n${rows}\n</tbody></table>`,
  };
}
