// The comparison of two runs as an HTML section: who is a and b, the regressions, then one
// table per window (request × metric: a, b, Δ, Δ%), regressed rows marked. Plain HTML, so it
// reads the same with JavaScript disabled; the charts below it overlay a on b.
import type { CompareRow, Comparison } from '../compare.ts';
import {
  confidenceWords,
  deltaTexts,
  describeOpen,
  describeRegression,
  describeRunRef,
  describeTolerances,
  metricName,
  notJudgedLines,
  requestText,
  verdictWords,
  windowTitle,
} from '../compare-text.ts';
import { esc } from './escape.ts';
import { list } from './summary.ts';

export function compareSection(c: Comparison): string {
  const n = c.regressions.length;
  const open = c.open.length;
  const w = verdictWords(c);
  const verdict =
    w.verdict === 'regressed'
      ? `<p class="regressed">${esc(`${w.short} of ${c.b.runId} against ${c.a.runId}`)}</p>`
      : `<p><span class="badge ${w.verdict === 'inconclusive' ? 'badge-unproven' : 'badge-pass'}">${w.word}</span> ${esc(w.why)}</p>`;
  const facts: Array<[string, string]> = [
    ['a (before, dashed in the charts)', describeRunRef(c.a)],
    ['b (after)', describeRunRef(c.b)],
    ['tolerances', describeTolerances(c.tolerances)],
  ];
  const who = `<table class="facts-table"><tbody>${facts.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('')}</tbody></table>`;
  const parts = [verdict, who];
  if (c.notes.length > 0) parts.push('<p class="outcome">Not like for like:</p>', list(c.notes));
  if (n > 0) parts.push('<h3>Regressions</h3>', list(c.regressions.map(describeRegression)));
  if (open > 0) {
    parts.push(
      `<h3>Open</h3><p class="muted">${esc(confidenceWords(c))}</p>`,
      list(c.open.map(describeOpen)),
    );
  }
  const windows = [...new Set(c.rows.map((r) => r.window))];
  for (const w of windows) {
    parts.push(
      `<h3>${esc(windowTitle(w, c.rows))}</h3>`,
      table(c.rows.filter((r) => r.window === w)),
    );
  }
  for (const line of notJudgedLines(c)) parts.push(`<p class="muted">${esc(line)}</p>`);
  return parts.join('\n');
}

function table(rows: CompareRow[]): string {
  const body = rows.flatMap((row) =>
    row.deltas.map((d, i) => {
      const [a, b, change, relative] = deltaTexts(d);
      const mark = d.regression
        ? '<span class="badge badge-fail">REGRESSION</span>'
        : d.open
          ? '<span class="badge badge-unproven">OPEN</span>'
          : d.note
            ? '<span class="muted">not judged</span>'
            : '';
      const title = d.regression ?? d.open ?? d.note;
      const first =
        i === 0 ? `<th rowspan="${row.deltas.length}">${esc(requestText(row))}</th>` : '';
      return `<tr${d.regression ? ' class="row-fail"' : ''}${title ? ` title="${esc(title)}"` : ''}>${first}<td>${esc(metricName(d.metric))}</td><td class="num">${esc(a)}</td><td class="num">${esc(b)}</td><td class="num">${esc(change)}</td><td class="num">${esc(relative)}</td><td>${mark}</td></tr>`;
    }),
  );
  return `<table class="compare">
<thead><tr><th>Request</th><th>Metric</th><th class="num">a</th><th class="num">b</th><th class="num">Δ</th><th class="num">Δ%</th><th></th></tr></thead>
<tbody>
${body.join('\n')}
</tbody>
</table>`;
}
