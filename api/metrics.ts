// GET /metrics in Prometheus's text format (prom-client). Case, decision, latency, confidence and
// override figures are counted in PostgreSQL at scrape time (db/metrics.ts); the error budget
// and the mode come from the governor's own figures and the recorded mode; the API process's
// runtime metrics from prom-client. Temporal's worker metrics come from the SDK's own exporter
// (TEMPORAL_METRICS_ADDRESS), appended when it runs.
import type { Knex } from 'knex';
import { Counter, Gauge, Registry, collectDefaultMetrics, type Metric } from 'prom-client';
import { caseCounts, confidences, decisionCounts, decisionLatency, overrideCounts, type Buckets } from '../db/metrics';
import { latestModeChange } from '../db/mode-changes';
import { MODES } from '../domain/case';
import type { GovernorService } from './services/governor';

const LATENCY_BOUNDS = [0.25, 0.5, 1, 2, 5, 15, 60, 300, 3600, 4 * 3600, 24 * 3600, 7 * 24 * 3600];
const CONFIDENCE_BOUNDS = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.99, 1];

/** A histogram whose buckets PostgreSQL counted: exposed as prom-client exposes its own. */
function sqlHistogram(
  name: string,
  help: string,
  label: string,
  read: () => Promise<Map<string, Buckets>>,
  bounds: number[],
): Metric {
  return {
    name,
    help,
    type: 'histogram',
    aggregator: 'sum',
    async get() {
      const values = [];
      for (const [value, buckets] of await read()) {
        bounds.forEach((bound, index) =>
          values.push({
            metricName: `${name}_bucket`,
            labels: { [label]: value, le: bound },
            value: buckets.counts[index],
          }),
        );
        values.push({ metricName: `${name}_bucket`, labels: { [label]: value, le: '+Inf' }, value: buckets.count });
        values.push({ metricName: `${name}_sum`, labels: { [label]: value }, value: buckets.sum });
        values.push({ metricName: `${name}_count`, labels: { [label]: value }, value: buckets.count });
      }
      return { name, help, type: 'histogram', aggregator: 'sum', values } as never;
    },
  } as unknown as Metric;
}

/**
 * A read shared by the collectors of one scrape: prom-client runs them concurrently, so a read
 * still in flight is joined; the next scrape reads afresh.
 */
function oncePerScrape<T>(read: () => Promise<T>): () => Promise<T> {
  let inFlight: Promise<T> | null = null;
  return () =>
    (inFlight ??= read().finally(() => {
      inFlight = null;
    }));
}

export interface MetricsDeps {
  db: Knex;
  governor: GovernorService;
  /** The SDK's Prometheus exporter (`host:port`), when this process runs one. */
  temporalMetricsAddress?: string;
}

export function createMetrics({ db, governor, temporalMetricsAddress }: MetricsDeps) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'agent_ops_api_' });
  new Gauge({
    name: 'agent_ops_cases',
    help: 'Cases by kind, status and route, as recorded in PostgreSQL',
    labelNames: ['kind', 'status', 'route'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of await caseCounts(db))
        this.set({ kind: row.kind, status: row.status, route: row.route }, row.count);
    },
  });
  new Counter({
    name: 'agent_ops_decisions_total',
    help: 'Decided cases by kind, route and outcome',
    labelNames: ['kind', 'route', 'outcome'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of await decisionCounts(db))
        this.inc({ kind: row.kind, route: row.route, outcome: row.outcome }, row.count);
    },
  });
  new Counter({
    name: 'agent_ops_overrides_total',
    help: 'Findings that the agent was wrong (a reviewer corrected or rejected it, an audit, feedback), by kind and source',
    labelNames: ['kind', 'source'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of await overrideCounts(db)) this.inc({ kind: row.kind, source: row.source }, row.count);
    },
  });
  registry.registerMetric(
    sqlHistogram(
      'agent_ops_decision_latency_seconds',
      'Seconds from intake to decision, by kind',
      'kind',
      () => decisionLatency(db, LATENCY_BOUNDS),
      LATENCY_BOUNDS,
    ),
  );
  registry.registerMetric(
    sqlHistogram(
      'agent_ops_confidence',
      "The agent's confidence in its proposals, by kind",
      'kind',
      () => confidences(db, CONFIDENCE_BOUNDS),
      CONFIDENCE_BOUNDS,
    ),
  );
  // Two gauges each read the budget and the mode: one read of each per scrape serves both.
  const budget = oncePerScrape(async () => (await governor.budget()).windows);
  const mode = oncePerScrape(() => latestModeChange(db));
  new Gauge({
    name: 'agent_ops_error_rate',
    help: "Share of the agent's evaluated proposals found wrong, per budget window",
    labelNames: ['window'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const window of await budget()) this.set({ window: window.window }, window.rate);
    },
  });
  new Gauge({
    name: 'agent_ops_error_budget_left',
    help: 'Share of the error budget not yet spent, per window (negative when overspent)',
    labelNames: ['window'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const window of await budget()) this.set({ window: window.window }, window.budgetLeft);
    },
  });
  new Gauge({
    name: 'agent_ops_mode',
    help: `The mode in force, by scope: 1 for the mode it is in; agent_ops_mode_level is its step (${MODES.join(' < ')})`,
    labelNames: ['scope', 'mode'],
    registers: [registry],
    async collect() {
      this.reset();
      const state = await mode();
      const modes: Record<string, string> = { global: state?.mode ?? 'normal', ...(state?.scopes ?? {}) };
      for (const [scope, mode] of Object.entries(modes))
        for (const candidate of MODES) this.set({ scope, mode: candidate }, candidate === mode ? 1 : 0);
    },
  });
  new Gauge({
    name: 'agent_ops_mode_level',
    help: `The global mode's step on the autonomy ladder: ${MODES.map((mode, index) => `${index} ${mode}`).join(', ')}`,
    registers: [registry],
    async collect() {
      const state = await mode();
      this.set(MODES.indexOf(state?.mode ?? 'normal'));
    },
  });

  return {
    contentType: registry.contentType,
    async text(): Promise<string> {
      const own = await registry.metrics();
      if (!temporalMetricsAddress) return own;
      try {
        const sdk = await fetch(`http://${temporalMetricsAddress}/metrics`, { signal: AbortSignal.timeout(2000) });
        return `${own}\n# Temporal SDK (worker) metrics from ${temporalMetricsAddress}\n${await sdk.text()}`;
      } catch {
        return own; // no worker in this process, or its exporter is not up yet
      }
    },
  };
}
