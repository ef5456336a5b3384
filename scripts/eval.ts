// `npm run eval`: the classifier on BANKING77's held-out test split (never used for training,
// calibration or thresholds), beside an off-the-shelf JavaScript classifier, plus out-of-
// distribution detection on CLINC150. Prints the figures and writes reports/eval.json and
// reports/reliability.svg.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfig } from '../config';
import { routeCase } from '../domain/routing';
import { teamOf } from '../domain/teams';
import type { Route } from '../domain/types';
import { predictAll, trainNaturalBayes } from '../model/baselines/natural-bayes';
import { LinearTicketClassifier } from '../model/classifier';
import { banking77Dir, candidateDirs, findDataset, readLabelledCsv } from '../model/datasets';
import { accuracy, argmax, auroc, brierScore, confusedPairs, expectedCalibrationError, macroF1, reliabilityBins, type Prediction } from '../model/metrics';
import { reliabilitySvg } from '../model/reliability-svg';

const ROOT = resolve(__dirname, '..');
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

function summary(preds: Prediction[], classes: number) {
  return {
    accuracy: +accuracy(preds).toFixed(4),
    macroF1: +macroF1(preds, classes).toFixed(4),
    ece15: +expectedCalibrationError(preds, 15).toFixed(4),
    brier: +brierScore(preds).toFixed(4),
  };
}

async function main(): Promise<void> {
  const config = loadConfig();
  const outDir = resolve(process.argv[2] ?? join(ROOT, 'reports'));
  const dir = await banking77Dir(ROOT);
  const train = readLabelledCsv(join(dir, 'train.csv'));
  const test = readLabelledCsv(join(dir, 'test.csv'));
  const classifier = LinearTicketClassifier.fromFile(config.modelPath);
  const labels = classifier.artifact.labels;
  const labelIndex = new Map(labels.map((l, i) => [l, i]));
  const ys = test.map((r) => labelIndex.get(r.label)!);
  console.log(`model ${classifier.modelVersion} on BANKING77 test split (${test.length} tickets, ${labels.length} intents)`);

  const ood: number[] = [];
  const ours = predictAll(test.map((r) => r.text), ys, (t) => {
    const s = classifier.score(t);
    ood.push(s.oodScore);
    return s.probs;
  });
  const anomalyAt = 1 - classifier.artifact.oodRate;

  const routes: Record<Route, { n: number; correct: number }> = { auto: { n: 0, correct: 0 }, assisted: { n: 0, correct: 0 }, manual: { n: 0, correct: 0 } };
  ours.preds.forEach((p, i) => {
    const best = argmax(p.probs);
    const r = routeCase({ confidence: p.probs[best], anomaly: ood[i] >= anomalyAt, mode: 'normal', thresholds: config.thresholds });
    routes[r.route].n++;
    routes[r.route].correct += best === p.label ? 1 : 0;
  });
  const routing = Object.fromEntries(
    Object.entries(routes).map(([k, v]) => [k, { share: +(v.n / test.length).toFixed(4), accuracy: v.n ? +(v.correct / v.n).toFixed(4) : null }]),
  );
  const teamAccuracy = ours.preds.filter((p) => teamOf(labels[argmax(p.probs)]) === teamOf(labels[p.label])).length / test.length;

  console.log('training the off-the-shelf baseline on the same train split ...');
  const baseline = trainNaturalBayes(train, labels);
  const theirs = predictAll(test.map((r) => r.text), ys, (t) => baseline.predict(t));

  const oursSummary = { ...summary(ours.preds, labels.length), teamAccuracy: +teamAccuracy.toFixed(4), trainSeconds: classifier.artifact.metrics.trainSeconds, msPerTicket: +ours.msPerTicket.toFixed(3) };
  const theirSummary = { ...summary(theirs.preds, labels.length), trainSeconds: +baseline.trainSeconds.toFixed(1), msPerTicket: +theirs.msPerTicket.toFixed(3) };

  console.log('');
  console.log(`                      ${'ours'.padEnd(12)} ${baseline.name}`);
  for (const k of ['accuracy', 'macroF1', 'ece15', 'brier', 'trainSeconds', 'msPerTicket'] as const) {
    console.log(`  ${k.padEnd(20)} ${String(oursSummary[k]).padEnd(12)} ${theirSummary[k]}`);
  }
  console.log(`  team (queue) accuracy ${pct(teamAccuracy)}`);
  console.log('');
  console.log(`routing at thresholds auto > ${config.thresholds.auto}, assisted >= ${config.thresholds.assisted} (mode normal, anomalies to manual):`);
  for (const [k, v] of Object.entries(routing)) console.log(`  ${k.padEnd(9)} ${pct(v.share).padStart(6)} of tickets, accuracy ${v.accuracy === null ? '-' : pct(v.accuracy)}`);
  const confused = confusedPairs(ours.preds, labels, 10);
  console.log('');
  console.log('most confused intents (truth -> predicted):');
  for (const c of confused) console.log(`  ${String(c.count).padStart(3)}  ${c.truth} -> ${c.predicted}`);

  const oodReport = evaluateOod(classifier, ood, anomalyAt, config.thresholds.auto);

  const report = {
    model: classifier.modelVersion,
    dataset: { name: 'BANKING77', split: 'test', tickets: test.length },
    ours: oursSummary,
    baseline: { name: baseline.name, ...theirSummary },
    routing,
    confusedPairs: confused,
    reliability: { ours: reliabilityBins(ours.preds), baseline: reliabilityBins(theirs.preds) },
    ood: oodReport,
  };
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'eval.json'), JSON.stringify(report, null, 2));
  writeFileSync(
    join(outDir, 'reliability.svg'),
    reliabilitySvg(
      [
        { name: 'ours (temperature-scaled)', color: '#1f6feb', bins: report.reliability.ours, ece: oursSummary.ece15 },
        { name: baseline.name, color: '#d1242f', bins: report.reliability.baseline, ece: theirSummary.ece15 },
      ],
      'Reliability on BANKING77 test (15 bins)',
    ),
  );
  console.log('');
  console.log(`wrote ${join(outDir, 'eval.json')} and ${join(outDir, 'reliability.svg')}`);
}

function evaluateOod(classifier: LinearTicketClassifier, inScores: number[], anomalyAt: number, autoAbove: number) {
  const dir = findDataset(ROOT, 'clinc150', ['data_full.json', 'domains.json']);
  if (!dir) {
    console.log(`\nout-of-distribution: skipped, CLINC150 not found in ${candidateDirs(ROOT).map((d) => join(d, 'clinc150')).join(', ')}`);
    return null;
  }
  const data = JSON.parse(readFileSync(join(dir, 'data_full.json'), 'utf8')) as Record<string, [string, string][]>;
  const domains = JSON.parse(readFileSync(join(dir, 'domains.json'), 'utf8')) as Record<string, string[]>;
  const banking = new Set(domains.banking);
  const sets = {
    outOfScope: data.oos_test.map(([t]) => t),
    otherDomains: data.test.filter(([, intent]) => !banking.has(intent)).map(([t]) => t),
  };
  console.log('');
  console.log(`out-of-distribution (CLINC150) against BANKING77 test; anomaly when the OOD score >= ${anomalyAt.toFixed(2)}:`);
  console.log(`  in-distribution tickets flagged as anomalies: ${pct(inScores.filter((s) => s >= anomalyAt).length / inScores.length)}`);
  const out: Record<string, unknown> = { inDistributionFlagged: +(inScores.filter((s) => s >= anomalyAt).length / inScores.length).toFixed(4) };
  for (const [name, texts] of Object.entries(sets)) {
    const s = texts.map((t) => classifier.score(t));
    const scores = s.map((x) => x.oodScore);
    const autoRouted = s.filter((x) => x.oodScore < anomalyAt && Math.max(...x.probs) > autoAbove).length;
    const flagged = scores.filter((x) => x >= anomalyAt).length;
    const r = { queries: texts.length, auroc: +auroc(scores, inScores).toFixed(4), flagged: +(flagged / texts.length).toFixed(4), autoRouted: +(autoRouted / texts.length).toFixed(4), autoRoutedCount: autoRouted };
    out[name] = r;
    console.log(`  ${name.padEnd(13)} ${String(texts.length).padStart(5)} queries: AUROC ${r.auroc.toFixed(3)}, flagged ${pct(r.flagged)}, would be auto-routed ${pct(r.autoRouted)} (${autoRouted})`);
  }
  return out;
}

main().catch((err) => {
  console.error(err instanceof Error && err.name === 'DatasetMissingError' ? err.message : err);
  process.exit(1);
});
