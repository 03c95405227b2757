/// <reference lib="dom" />
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult, TimelineEvent } from '../thresholds/result.ts';
import { describeBreach } from './breach.ts';
import { makeRun } from './fixtures.ts';
import { type ChartData, chartData, faultWindows } from './html/data.ts';
import { esc } from './html/escape.ts';
import { DATA_ID } from './html/template.ts';
import { renderHtml } from './html.ts';
import { writeRunFolder } from './store/write.ts';

const CHROMIUM = '/usr/bin/chromium';
/** Kept after the run so people (and CI artifacts) can look at it. */
const SCREENSHOT = join(tmpdir(), 'tiergate-html-test', 'report.png');

/** The fixture run with a fault injected and removed in the steady window. */
function runWithFault(seconds = 10): RunResult {
  const run = structuredClone(makeRun({ seconds }));
  const fault: TimelineEvent[] = [
    { t: 3.5, kind: 'fault-injected', subject: 'latency-500ms', detail: 'proxy delay 500 ms' },
    { t: 6.2, kind: 'fault-removed', subject: 'latency-500ms' },
    { t: 7, kind: 'fault-recovered', subject: 'latency-500ms' },
  ];
  run.events = [...run.events, ...fault].sort((a, b) => a.t - b.t);
  return run;
}

/** The run with a baseline, and that baseline: a longer fixture run that completed less. */
function runWithBaseline(): { run: RunResult; baseline: RunResult } {
  const run = runWithFault();
  run.baseline = { runId: 'base-run-1', path: 'results/base-run-1' };
  const baseline = makeRun({ seconds: 12 });
  baseline.runId = 'base-run-1';
  for (const s of baseline.timeline) s.completed = Math.round(s.completed * 0.8);
  return { run, baseline };
}

function dataBlock(html: string): ChartData {
  const open = `<script type="application/json" id="${DATA_ID}">`;
  const start = html.indexOf(open);
  expect(start).toBeGreaterThan(-1);
  const end = html.indexOf('</script>', start);
  return JSON.parse(html.slice(start + open.length, end)) as ChartData;
}

describe('renderHtml', () => {
  it('refers to no remote resource', () => {
    const html = renderHtml(runWithFault());
    expect(html).not.toMatch(/\b(?:src|href|action)\s*=\s*["']?\s*(?:https?:)?\/\//i);
    expect(html).not.toMatch(/url\(\s*["']?\s*(?:https?:)?\/\//i);
    expect(html).not.toMatch(/@import/i);
    expect(html).not.toMatch(/<link\b[^>]*rel=["']?stylesheet/i);
    expect(html).toContain('Content-Security-Policy');
  });

  it('lists every objective, with the breach of the failing and warning ones', () => {
    const run = makeRun();
    const html = renderHtml(run);
    for (const v of run.verdict.objectives) {
      expect(html).toContain(`<code>${esc(v.expression)}</code>`);
    }
    const [, failing, warning] = run.verdict.objectives;
    expect(html).toContain(`<div class="breach">${esc(describeBreach(failing!))}</div>`);
    expect(html).toContain('checkout p95 2.41 s &gt; 1.5 s (+61%)');
    expect(html).toContain(
      `row-warn" title="${'error rate above 1% (&quot;http_500&quot; &amp; &lt;timeout&gt;), severity warn'}`,
    );
    expect(describeBreach(warning!)).toContain('error_rate');
    expect(html.match(/<tr class="row-fail"/g)).toHaveLength(1);
    expect(html).toMatch(
      /<header class="banner verdict-fail">\s*<div class="verdict-word">FAIL<\/div>/,
    );
  });

  it('embeds the chart data as JSON that parses back', () => {
    const run = runWithFault();
    const data = dataBlock(renderHtml(run));
    expect(data).toEqual(chartData(run));
    expect(data.t).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(data.rps).toEqual(run.timeline.map((s) => s.completed));
    expect(data.target).toEqual(run.timeline.map((s) => s.target));
    // Steady seconds: 3 of 40 checkouts take 2.41 s, so p99 is in the tail (HDR rounds up).
    expect(data.p99[5]).toBeCloseTo(2410, -1);
    expect(data.p50[5]).toBeLessThan(1000);
    expect(data.errorPct[5]).toBeCloseTo(
      (run.timeline[5]!.errors / run.timeline[5]!.completed) * 100,
      2,
    );
    expect(data.faults).toEqual([
      { subject: 'latency-500ms', startS: 3.5, endS: 6.2, open: false },
    ]);
    expect(data.steady).toEqual({ startS: 2, endS: 8 });
    expect(data.markers.map((m) => m.kind)).toContain('fault-recovered');
    // The whole-run curve starts at 0 % and ends at the run's max (2.41 s).
    expect(data.distribution.x[0]).toBe(1);
    expect(data.distribution.count).toBe(run.timeline.reduce((n, s) => n + s.completed, 0));
    expect(data.distribution.y.at(-1)).toBeCloseTo(2410, -1);
  });

  it('keeps text that looks like markup out of the script and the page', () => {
    const run = runWithFault();
    const nasty = '</script><!-- <b>x</b>';
    run.events.push({ t: 4, kind: 'fault-injected', subject: nasty });
    run.plan.notes.push(nasty);
    const html = renderHtml(run);
    expect(dataBlock(html).faults.map((f) => f.subject)).toContain(nasty);
    expect(html).not.toContain('<b>x</b>');
    expect(html).toContain('&lt;/script&gt;&lt;!-- &lt;b&gt;x&lt;/b&gt;');
    // The data block and the two inlined scripts are the only `</script>` closings.
    expect(html.match(/<\/script>/g)).toHaveLength(3);
  });

  it('stays under 1.5 MB for a one-hour run', () => {
    const html = renderHtml(makeRun({ seconds: 3600 }));
    const bytes = Buffer.byteLength(html, 'utf8');
    expect(bytes).toBeLessThan(1_500_000);
    expect(dataBlock(html).t).toHaveLength(3600);
  });

  it('overlays the baseline only when the run names one', () => {
    const { run, baseline } = runWithBaseline();
    const data = dataBlock(renderHtml(run, { baseline }));
    expect(data.baseline?.runId).toBe('base-run-1');
    expect(data.baseline?.p95).toEqual(chartData(baseline).p95);
    // The longer baseline widens the time axis; the run's own series end with nulls.
    expect(data.t).toHaveLength(12);
    expect(data.p95.slice(10)).toEqual([null, null]);
    expect(data.distribution.baseline).toHaveLength(data.distribution.x.length);

    delete run.baseline;
    expect(dataBlock(renderHtml(run, { baseline })).baseline).toBeUndefined();
  });

  it('renders a run that stopped before its first second', () => {
    const run = makeRun();
    run.timeline = [];
    run.stats = [];
    run.outcome = { state: 'errored', reason: 'target unreachable' };
    const html = renderHtml(run);
    expect(html).toContain('verdict-errored');
    expect(html).toContain('could not complete: target unreachable');
    expect(dataBlock(html).t).toEqual([]);
  });

  it('refuses another schema version', () => {
    const run = { ...makeRun(), schemaVersion: 3 };
    expect(() => renderHtml(run)).toThrow(
      'cannot render the HTML report: run 20260101-000000-ab12 has schema version 3; this tiergate renders version 2',
    );
  });

  it('is written beside run.json by writeRunFolder', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tiergate-html-'));
    try {
      await writeRunFolder(dir, makeRun());
      const html = await readFile(join(dir, 'report.html'), 'utf8');
      expect(html.startsWith('<!doctype html>')).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('faultWindows', () => {
  it('pairs injections and removals per subject; an unremoved fault runs to the end', () => {
    const events: TimelineEvent[] = [
      { t: 1, kind: 'fault-injected', subject: 'a' },
      { t: 2, kind: 'fault-injected', subject: 'b' },
      { t: 3, kind: 'fault-removed', subject: 'a' },
      { t: 4, kind: 'fault-removed', subject: 'c' },
      { t: 5, kind: 'fault-injected', subject: 'a' },
      { t: 6, kind: 'fault-removed', subject: 'a' },
    ];
    expect(faultWindows(events, 10)).toEqual([
      { subject: 'a', startS: 1, endS: 3, open: false },
      { subject: 'b', startS: 2, endS: 10, open: true },
      { subject: 'a', startS: 5, endS: 6, open: false },
    ]);
  });
});

describe('report.html in a browser', () => {
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `no Chromium at ${CHROMIUM}: the HTML report is checked in a real browser; install Debian's chromium (apt-get install chromium)`,
      );
    }
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-quic',
        '--no-first-run',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    dir = await mkdtemp(join(tmpdir(), 'tiergate-html-'));
  });

  afterAll(async () => {
    await browser?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('draws four non-blank charts, without errors or requests', async () => {
    const { run, baseline } = runWithBaseline();
    const file = join(dir, 'report.html');
    await writeFile(file, renderHtml(run, { baseline }));
    const url = pathToFileURL(file).href;

    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(url, { waitUntil: 'load' });
    await nextFrame(page);

    const charts = await page.locator('figure .chart').count();
    expect(charts).toBe(4);
    expect(await page.locator('.uplot canvas').count()).toBe(charts);
    const pixels = await page.evaluate<Array<{ drawn: number; coloured: number }>>(CANVAS_PIXELS);
    expect(pixels).toHaveLength(4);
    for (const p of pixels) {
      expect(p.drawn).toBeGreaterThan(100);
      expect(p.coloured).toBeGreaterThan(50);
    }

    // Charts follow the page's width.
    const before = await page.locator('.uplot canvas').first().boundingBox();
    await page.setViewportSize({ width: 700, height: 900 });
    await nextFrame(page);
    const after = await page.locator('.uplot canvas').first().boundingBox();
    expect(after!.width).toBeLessThan(before!.width - 300);
    await page.setViewportSize({ width: 1200, height: 900 });
    await nextFrame(page);

    await mkdir(join(SCREENSHOT, '..'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect((await stat(SCREENSHOT)).size).toBeGreaterThan(10_000);

    expect(errors).toEqual([]);
    expect(requests).toEqual([url]);
    await page.close();
  });
});

async function nextFrame(page: Page): Promise<void> {
  await page.evaluate(
    'new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 50)))',
  );
}

/**
 * Evaluated in the page (a string: this project's TypeScript has no DOM types): each chart's
 * canvas scaled down to a quarter, counting the pixels that are not background (`drawn`) and
 * those of a strong colour (`coloured`: series and markers, not the grey grid or the pale
 * window shading).
 */
const CANVAS_PIXELS = `[...document.querySelectorAll('.uplot canvas')].map((canvas) => {
  const copy = document.createElement('canvas');
  copy.width = Math.max(1, Math.floor(canvas.width / 4));
  copy.height = Math.max(1, Math.floor(canvas.height / 4));
  const ctx = copy.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, copy.width, copy.height);
  ctx.drawImage(canvas, 0, 0, copy.width, copy.height);
  const { data } = ctx.getImageData(0, 0, copy.width, copy.height);
  let drawn = 0;
  let coloured = 0;
  for (let i = 0; i < data.length; i += 4) {
    const [r, g, b] = [data[i], data[i + 1], data[i + 2]];
    if (r < 250 || g < 250 || b < 250) drawn++;
    if (Math.max(r, g, b) - Math.min(r, g, b) > 40) coloured++;
  }
  return { drawn, coloured };
})`;
