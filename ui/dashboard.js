// The dashboards operators and auditors watch: every figure is aggregated by the API in SQL
// (GET /v1/dashboard) and drawn with uPlot, served from the project's own dependencies. The page
// polls every 10 s while the tab is open, so an override spike shows as it happens.
import uPlot from '/ui/vendor/uPlot.esm.js';
import { api } from './api.js';
import { el } from './dom.js';

// Every 10 s; `?refresh=<seconds>` on the page's address changes it (at least 1 s).
const REFRESH_MS = Math.max(1, Number(new URLSearchParams(location.search).get('refresh')) || 10) * 1000;
const $ = (selector) => document.querySelector(selector);
const charts = new Map();
let timer = null;
/** The range shown, in seconds: every time chart spans all of it, however few buckets have data. */
const span = { from: 0, to: 1 };
const timeAxis = { time: true, range: () => [span.from, span.to] };
const fromZero = { range: (_, min, max) => [0, Math.max(1, max ?? 1)] };

const seconds = (iso) => Date.parse(iso) / 1000;
const size = () => ({ width: Math.max(380, Math.min(640, window.innerWidth / 2 - 60)), height: 220 });
const bars = uPlot.paths.bars({ size: [0.6, 60] });

/** Creates the chart once, then only swaps its data: no flicker on refresh. */
function draw(id, options, data) {
  const existing = charts.get(id);
  if (existing) {
    existing.setData(data);
    return;
  }
  const target = $(`#${id}`);
  target.replaceChildren();
  charts.set(id, new uPlot({ ...size(), ...options }, data, target));
}

function categorical(id, labels, series, values) {
  const x = labels.map((_, index) => index);
  draw(
    `${id}`,
    {
      scales: { x: { time: false, range: [-0.5, Math.max(labels.length - 0.5, 0.5)] }, y: fromZero },
      axes: [{ values: (_, splits) => splits.map((split) => labels[split] ?? '') }, {}],
      series: [{}, ...series.map((serie) => ({ ...serie, paths: bars, points: { show: false } }))],
    },
    [x, ...values],
  );
  // Categories change between refreshes (a new team, a new reviewer): redraw with the new axis.
  const chart = charts.get(id);
  chart.axes[0].values = (_, splits) => splits.map((split) => labels[split] ?? '');
  chart.setScale('x', { min: -0.5, max: Math.max(labels.length - 0.5, 0.5) });
}

function render(figures) {
  span.from = seconds(figures.from);
  span.to = seconds(figures.to);
  const recent = [...figures.recent].reverse();
  draw(
    'chart-recent',
    {
      series: [{}, { label: 'confidence', stroke: '#4ea1ff', paths: () => null, points: { show: true, size: 5 } }],
      scales: { y: { range: [0, 1] } },
    },
    [recent.map((row) => seconds(row.at)), recent.map((row) => row.confidence)],
  );
  const findings = figures.findings;
  draw(
    'chart-errors',
    {
      series: [
        {},
        { label: 'error rate', stroke: '#e5534b', width: 2 },
        { label: 'budget', stroke: '#667', dash: [6, 4] },
      ],
      scales: { x: timeAxis, y: { range: (_, min, max) => [0, Math.max(max ?? 0, figures.budget * 2)] } },
    },
    [findings.map((row) => seconds(row.at)), findings.map((row) => row.rate), findings.map(() => figures.budget)],
  );
  draw(
    'chart-overrides',
    {
      series: [
        {},
        { label: 'overrides', fill: 'rgba(229,83,75,0.4)', stroke: '#e5534b', paths: bars },
        { label: 'findings', stroke: '#667' },
      ],
      scales: { x: timeAxis, y: fromZero },
    },
    [findings.map((row) => seconds(row.at)), findings.map((row) => row.wrong), findings.map((row) => row.evaluated)],
  );
  const decisions = figures.decisions;
  const share = (key) => decisions.map((row) => row[key] / Math.max(1, row.auto + row.assisted + row.manual));
  draw(
    'chart-routes',
    {
      series: [
        {},
        { label: 'auto', stroke: '#2da44e' },
        { label: 'assisted', stroke: '#4ea1ff' },
        { label: 'manual', stroke: '#e5534b' },
      ],
      scales: { x: timeAxis, y: { range: [0, 1] } },
    },
    [decisions.map((row) => seconds(row.at)), share('auto'), share('assisted'), share('manual')],
  );
  draw(
    'chart-confidence-trend',
    {
      series: [
        {},
        { label: 'mean confidence', stroke: '#4ea1ff' },
        { label: 'out of distribution', stroke: '#b3261e' },
      ],
      scales: { x: timeAxis, y: { range: [0, 1] } },
    },
    [decisions.map((row) => seconds(row.at)), decisions.map((row) => row.meanConfidence), share('ood')],
  );
  categorical(
    'chart-confidence',
    figures.confidence.map((_, tenth) => `${tenth / 10}`),
    [{ label: 'proposals', fill: 'rgba(78,161,255,0.5)' }],
    [figures.confidence],
  );
  categorical(
    'chart-teams',
    figures.overridesByTeam.map((row) => row.team),
    [
      { label: 'overrides', fill: 'rgba(229,83,75,0.5)' },
      { label: 'findings', fill: 'rgba(102,102,119,0.3)' },
    ],
    [figures.overridesByTeam.map((row) => row.wrong), figures.overridesByTeam.map((row) => row.evaluated)],
  );
  categorical(
    'chart-reviewers',
    figures.overridesByReviewer.map((row) => row.reviewer),
    [
      { label: 'overrides', fill: 'rgba(229,83,75,0.5)' },
      { label: 'reviews', fill: 'rgba(102,102,119,0.3)' },
    ],
    [figures.overridesByReviewer.map((row) => row.wrong), figures.overridesByReviewer.map((row) => row.reviews)],
  );
  $('#mode-now').replaceChildren(
    el(
      'p',
      {},
      'Mode now: ',
      el('span', { class: 'mode', id: 'mode-value' }, figures.mode.mode),
      ` since ${new Date(figures.mode.since).toLocaleString()}: ${figures.mode.reason}`,
    ),
  );
  $('#modes').replaceChildren(...figures.modes.map((change) => modeChange(change)));
  $('#alerts').replaceChildren(
    ...figures.alerts.map((alert) =>
      el(
        'li',
        { class: alert.severity === 'critical' ? 'error' : null },
        `${new Date(alert.at ?? alert.createdAt).toLocaleString()} · ${alert.kind}: ${alert.message}`,
      ),
    ),
  );
  const overrides = figures.findings.reduce((sum, row) => sum + row.wrong, 0);
  $('#dashboard-status').textContent =
    `updated ${new Date().toLocaleTimeString()} · ${figures.recent.length} recent decisions · ` +
    `${overrides} overrides in range`;
  $('#dashboard-status').dataset.overrides = String(overrides);
  $('#dashboard-panel').dataset.loaded = String(Date.now());
}

/** One mode change: when, where, from and to, who and why, and the governor's evidence when it acted. */
function modeChange(change) {
  return el(
    'li',
    {},
    `${new Date(change.at).toLocaleString()} · ${change.scope}: ${change.previousMode} → ${change.mode} by ` +
      `${change.operator}: ${change.reason}`,
    change.evidence
      ? el('details', {}, el('summary', {}, 'evidence'), el('pre', {}, JSON.stringify(change.evidence, null, 2)))
      : null,
  );
}

async function refresh() {
  try {
    render(await api(`/v1/dashboard?range=${$('#range').value}`));
  } catch (err) {
    $('#dashboard-status').textContent = err.message;
  }
}

export function startDashboard() {
  stopDashboard();
  void refresh();
  timer = setInterval(() => void refresh(), REFRESH_MS);
}

export function stopDashboard() {
  if (timer) clearInterval(timer);
  timer = null;
}

$('#mode-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const scope = $('#mode-scope').value.trim();
  try {
    const state = await api('/v1/governor/mode', {
      method: 'POST',
      body: { mode: $('#mode-choice').value, reason: $('#mode-reason').value.trim(), ...(scope ? { scope } : {}) },
    });
    $('#mode-result').textContent = `mode ${state.mode} (seq ${state.seq})`;
  } catch (err) {
    $('#mode-result').textContent = err.message;
  }
  void refresh();
});

$('#range').addEventListener('change', () => {
  for (const chart of charts.values()) chart.destroy();
  charts.clear();
  void refresh();
});
