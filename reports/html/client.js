// tiergate HTML report, browser side: draws the four charts with uPlot from the JSON block
// the renderer embedded (per-second numbers, already decoded from the HDR histograms in Node).
// Fault windows and the steady window are shaded, and events are drawn as vertical lines, on
// every time chart. Colours of events and windows come from the page's CSS custom properties.
(() => {
  const data = JSON.parse(document.getElementById('tiergate-data').textContent);
  const css = getComputedStyle(document.documentElement);
  const colour = (name) => css.getPropertyValue(name).trim();
  const HEIGHT = 260;
  const BLUE = '#0969da';
  const GREY = '#8c959f';

  // ---- formats
  const sig = (v, digits) => String(Number(v.toPrecision(digits)));
  const ms = (v) => (v == null ? '—' : v >= 1000 ? `${sig(v / 1000, 3)} s` : `${sig(v, 3)} ms`);
  const num = (v) => (v == null ? '—' : sig(v, 4));
  const pct = (v) => (v == null ? '—' : `${sig(v, 3)}%`);
  const minutes = data.t.length > 120;
  const clock = (s) => {
    if (s == null) return '—';
    if (!minutes) return `${sig(s, 4)} s`;
    const whole = Math.round(s);
    return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
  };
  // x = 1/(1-p): 10 → 90%, 1000 → 99.9%; one more decimal per decade past 100.
  const percentile = (x) => {
    if (x == null) return '';
    const decimals = Math.max(0, Math.ceil(Math.log10(x) - 1e-9) - 2);
    return `${(100 * (1 - 1 / x)).toFixed(decimals)}%`;
  };

  // ---- windows and events, drawn on the canvas of every time chart
  function band(u, from, to, fill, label, row) {
    const { left, top, width, height } = u.bbox;
    const a = Math.max(left, u.valToPos(from, 'x', true));
    const b = Math.min(left + width, u.valToPos(to, 'x', true));
    if (!(b > a)) return;
    const ctx = u.ctx;
    ctx.fillStyle = fill;
    ctx.fillRect(a, top, b - a, height);
    ctx.fillStyle = colour('--muted');
    ctx.font = `${11 * uPlot.pxRatio}px system-ui, sans-serif`;
    ctx.fillText(label, a + 4 * uPlot.pxRatio, top + (12 + 13 * row) * uPlot.pxRatio, b - a);
  }

  function drawWindows(u) {
    u.ctx.save();
    if (data.steady)
      band(u, data.steady.startS, data.steady.endS, colour('--band-steady'), 'steady', 0);
    data.faults.forEach((f, i) => {
      const label = `${f.subject}${f.open ? ' (not removed)' : ''}`;
      band(u, f.startS, f.endS, colour('--band-fault'), label, i + 1);
    });
    u.ctx.restore();
  }

  function drawMarkers(u) {
    const { left, top, width, height } = u.bbox;
    const ctx = u.ctx;
    ctx.save();
    ctx.lineWidth = uPlot.pxRatio;
    for (const m of data.markers) {
      const x = Math.round(u.valToPos(m.t, 'x', true));
      if (x < left || x > left + width) continue;
      ctx.strokeStyle = colour(`--ev-${m.kind}`) || GREY;
      ctx.setLineDash(m.kind === 'phase-started' ? [3 * uPlot.pxRatio, 3 * uPlot.pxRatio] : []);
      ctx.beginPath();
      ctx.moveTo(x, top);
      ctx.lineTo(x, top + height);
      ctx.stroke();
    }
    ctx.restore();
  }

  // ---- charts
  const fromZero = (_u, _min, max) => [0, max > 0 ? max * 1.08 : 1];
  const line = (label, stroke, value, extra) => ({
    label,
    stroke,
    width: 1.5,
    value: (_u, v) => value(v),
    ...extra,
  });
  const dashed = { dash: [6, 4], width: 1.5 };
  const charts = [];

  function chart(id, opts, columns) {
    const el = document.getElementById(id);
    if (!el) return;
    const u = new uPlot(
      { width: el.clientWidth, height: HEIGHT, legend: { live: true }, ...opts },
      columns,
      el,
    );
    charts.push([u, el]);
  }

  // Every time chart gets the same gutters, so their x axes line up one above the other:
  // a chart without a right axis leaves the room one (with its label) would take.
  const LEFT = 70;
  const RIGHT = 56;
  const LABEL = 30;
  const sized = (axes) =>
    axes.map((a) => ({ size: a.side === 1 ? RIGHT : LEFT, labelSize: LABEL, ...a }));

  function timeChart(id, series, columns, scales, axes) {
    const right = axes.some((a) => a.side === 1);
    chart(
      id,
      {
        cursor: { sync: { key: 'time' } },
        padding: [null, right ? null : RIGHT + LABEL, null, null],
        scales: { x: { time: false }, ...scales },
        series: [{ label: 'time', value: (_u, v) => clock(v) }, ...series],
        axes: [{ values: (_u, splits) => splits.map(clock) }, ...sized(axes)],
        hooks: { drawClear: [drawWindows], draw: [drawMarkers] },
      },
      [data.t, ...columns],
    );
  }

  const base = data.baseline;

  // (1) throughput: achieved against target (VUs on their own axis in a closed model)
  {
    // The target first, so the achieved line is drawn over it where they coincide.
    const target = data.closed ? 'target VUs' : 'target/s';
    const series = [line(target, GREY, num, { scale: data.closed ? 'vus' : 'rps', width: 2 })];
    const columns = [data.target];
    series.push(line('completed/s', BLUE, num, { scale: 'rps' }));
    columns.push(data.rps);
    if (base) {
      series.push(
        line(`baseline completed/s (${base.runId})`, BLUE, num, {
          scale: 'rps',
          ...dashed,
          alpha: 0.6,
        }),
      );
      columns.push(base.rps);
    }
    const axes = [{ scale: 'rps', label: 'req/s', values: (_u, s) => s.map(num) }];
    if (data.closed) axes.push({ scale: 'vus', side: 1, label: 'VUs', grid: { show: false } });
    timeChart(
      'chart-rps',
      series,
      columns,
      { rps: { range: fromZero }, vus: { range: fromZero } },
      axes,
    );
  }

  // (2) latency percentiles of each second
  {
    const series = [
      line('p50', '#1a7f37', ms, { scale: 'ms' }),
      line('p95', '#bf8700', ms, { scale: 'ms' }),
      line('p99', '#cf222e', ms, { scale: 'ms' }),
    ];
    const columns = [data.p50, data.p95, data.p99];
    if (base) {
      series.push(
        line(`baseline p95 (${base.runId})`, '#bf8700', ms, { scale: 'ms', ...dashed, alpha: 0.6 }),
      );
      columns.push(base.p95);
    }
    timeChart('chart-latency', series, columns, { ms: { range: fromZero } }, [
      { scale: 'ms', label: 'latency', values: (_u, s) => s.map(ms) },
    ]);
  }

  // (3) error rate (%) and dropped requests per second
  timeChart(
    'chart-errors',
    [
      line('error rate', '#cf222e', pct, { scale: '%' }),
      line('dropped/s', '#8250df', num, { scale: 'dropped' }),
    ],
    [data.errorPct, data.dropped],
    { '%': { range: fromZero }, dropped: { range: fromZero } },
    [
      { scale: '%', label: 'error rate', values: (_u, s) => s.map(pct) },
      {
        scale: 'dropped',
        side: 1,
        label: 'dropped/s',
        grid: { show: false },
        values: (_u, s) => s.map(num),
      },
    ],
  );

  // (4) the whole run's percentile curve: x = 1/(1-p) on a log scale
  {
    const d = data.distribution;
    const xMax = d.x[d.x.length - 1] ?? 10;
    const series = [{ label: 'percentile', value: (_u, v) => (v == null ? '—' : percentile(v)) }];
    const columns = [d.x, d.y];
    const curve = { scale: 'ms', points: { show: false } };
    series.push(line(`this run (${d.count.toLocaleString('en-US')} requests)`, BLUE, ms, curve));
    if (d.baseline && base) {
      series.push(line(`baseline (${base.runId})`, GREY, ms, { ...curve, ...dashed }));
      columns.push(d.baseline);
    }
    chart(
      'chart-distribution',
      {
        cursor: { points: { show: false } },
        padding: [null, RIGHT + LABEL, null, null],
        scales: {
          x: { time: false, distr: 3, log: 10, range: () => [1, xMax] },
          ms: { range: fromZero },
        },
        series,
        axes: [
          {
            label: 'percentile',
            splits: () => [1, 2, 10, 100, 1000, 10000, 100000].filter((v) => v <= xMax),
            filter: (_u, splits) => splits,
            values: (_u, s) => s.map(percentile),
          },
          {
            scale: 'ms',
            label: 'latency',
            values: (_u, s) => s.map(ms),
            size: LEFT,
            labelSize: LABEL,
          },
        ],
      },
      columns,
    );
  }

  // (5) a capacity search: each step's percentiles against the rate it held
  if (data.capacity) {
    const c = data.capacity;
    const points = { scale: 'ms', points: { show: true, size: 6 } };
    chart(
      'chart-capacity',
      {
        padding: [null, RIGHT + LABEL, null, null],
        scales: { x: { time: false }, ms: { range: fromZero } },
        series: [
          { label: 'rate', value: (_u, v) => (v == null ? '—' : `${num(v)} req/s`) },
          line('p50', '#1a7f37', ms, points),
          line('p95', '#bf8700', ms, points),
          line('p99', '#cf222e', ms, points),
        ],
        axes: [
          { label: 'req/s', values: (_u, s) => s.map(num) },
          {
            scale: 'ms',
            label: 'latency',
            values: (_u, s) => s.map(ms),
            size: LEFT,
            labelSize: LABEL,
          },
        ],
      },
      [c.rate, c.p50, c.p95, c.p99],
    );
  }

  // ---- responsive: follow the width of each chart's container
  let pending = 0;
  window.addEventListener('resize', () => {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(() => {
      for (const [u, el] of charts) u.setSize({ width: el.clientWidth, height: HEIGHT });
    });
  });
})();
