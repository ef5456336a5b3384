// Evaluation of the linear classifier on labelled and out-of-distribution text: the numbers
// `npm run eval` prints and the model-quality tests hold to their targets.
import { routeCase } from '../domain/routing';
import type { Route, Thresholds } from '../domain/case';
import { categoryOf } from '../domain/ticket/categories';
import type { LinearTicketClassifier } from './classifier';
import type { LabelledText } from './datasets';
import { accuracy, argmax, auroc, brierScore, expectedCalibrationError, macroF1, type Prediction } from './metrics';

/** Predictions for every text, timed: what one prediction costs on this machine. */
export function predictAll(
  texts: string[],
  labels: number[],
  predict: (t: string) => Float64Array,
): { preds: Prediction[]; msPerTicket: number } {
  const started = process.hrtime.bigint();
  const preds = texts.map((t, i) => ({ label: labels[i], probs: predict(t) }));
  return { preds, msPerTicket: Number(process.hrtime.bigint() - started) / 1e6 / texts.length };
}

export function summarize(preds: Prediction[], classes: number) {
  return {
    accuracy: +accuracy(preds).toFixed(4),
    macroF1: +macroF1(preds, classes).toFixed(4),
    ece15: +expectedCalibrationError(preds, 15).toFixed(4),
    brier: +brierScore(preds).toFixed(4),
  };
}

export interface RouteFigures {
  share: number;
  accuracy: number | null;
}

export function evaluateClassifier(classifier: LinearTicketClassifier, rows: LabelledText[], thresholds: Thresholds) {
  const labels = classifier.artifact.labels;
  const index = new Map(labels.map((l, i) => [l, i]));
  const ys = rows.map((row) => {
    const y = index.get(row.label);
    if (y === undefined) throw new Error(`label '${row.label}' is not one the model knows`);
    return y;
  });
  const ood: number[] = [];
  const { preds, msPerTicket } = predictAll(
    rows.map((r) => r.text),
    ys,
    (text) => {
      const s = classifier.score(text);
      ood.push(s.oodScore);
      return s.probs;
    },
  );
  const anomalyAt = 1 - classifier.artifact.oodRate;
  const counts: Record<Route, { n: number; correct: number }> = {
    auto: { n: 0, correct: 0 },
    assisted: { n: 0, correct: 0 },
    manual: { n: 0, correct: 0 },
  };
  const anomalies = preds.map((p, i) => classifier.isAnomaly(argmax(p.probs), ood[i]));
  preds.forEach((prediction, i) => {
    const best = argmax(prediction.probs);
    const r = routeCase({ confidence: prediction.probs[best], anomaly: anomalies[i], mode: 'normal', thresholds });
    counts[r.route].n++;
    counts[r.route].correct += best === prediction.label ? 1 : 0;
  });
  const routing = Object.fromEntries(
    Object.entries(counts).map(([k, v]) => [
      k,
      { share: +(v.n / rows.length).toFixed(4), accuracy: v.n ? +(v.correct / v.n).toFixed(4) : null },
    ]),
  ) as Record<Route, RouteFigures>;
  const teamAccuracy =
    preds.filter((p) => categoryOf(labels[argmax(p.probs)]) === categoryOf(labels[p.label])).length / rows.length;
  return {
    preds,
    ood,
    anomalies,
    anomalyAt,
    msPerTicket,
    routing,
    summary: { ...summarize(preds, labels.length), teamAccuracy: +teamAccuracy.toFixed(4) },
  };
}

export interface OodFigures {
  queries: number;
  auroc: number;
  flagged: number;
  autoRouted: number;
  autoRoutedCount: number;
}

/** How well the OOD score separates `texts` from the in-distribution scores, and what would slip through. */
export function evaluateOod(
  classifier: LinearTicketClassifier,
  texts: string[],
  inScores: number[],
  autoAbove: number,
): OodFigures {
  const scored = texts.map((t) => classifier.score(t));
  const scores = scored.map((x) => x.oodScore);
  const anomalies = scored.map((x) => classifier.isAnomaly(argmax(x.probs), x.oodScore));
  const autoRouted = scored.filter((x, i) => !anomalies[i] && Math.max(...x.probs) > autoAbove).length;
  return {
    queries: texts.length,
    auroc: +auroc(scores, inScores).toFixed(4),
    flagged: +(anomalies.filter(Boolean).length / texts.length).toFixed(4),
    autoRouted: +(autoRouted / texts.length).toFixed(4),
    autoRoutedCount: autoRouted,
  };
}

/** CLINC150's out-of-scope test queries and the test queries of every domain but banking. */
export function clincOodSets(data: Record<string, [string, string][]>, domains: Record<string, string[]>) {
  const banking = new Set(domains.banking);
  return {
    outOfScope: data.oos_test.map(([t]) => t),
    otherDomains: data.test.filter(([, intent]) => !banking.has(intent)).map(([t]) => t),
  };
}
