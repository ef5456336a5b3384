// `npm run eval`: the classifier on BANKING77's held-out test split (never used for training,
// calibration or thresholds), beside an off-the-shelf JavaScript classifier, plus out-of-
// distribution detection on CLINC150. Prints the figures and writes reports/eval.json and
// reports/reliability.svg.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfig } from '../config';
import { trainNaturalBayes } from '../model/baselines/natural-bayes';
import { OUT_OF_SCOPE } from '../domain/ticket/types';
import { LinearTicketClassifier } from '../model/classifier';
import { banking77Dir, candidateDirs, findDataset, readLabelledCsv } from '../model/datasets';
import { clincOodSets, evaluateClassifier, evaluateOod, predictAll, summarize } from '../model/evaluate';
import { confusedPairs, reliabilityBins, riskCoverage } from '../model/metrics';
import { reliabilitySvg } from '../model/reliability-svg';
import {
  byConfidence,
  byField,
  checkFields,
  invoice2dataTruth,
  zugferdTruth,
  type Truth,
} from '../extraction/evaluate';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

const DATASETS = loadConfig().datasets;

async function main(): Promise<void> {
  const config = loadConfig();
  const outDir = resolve(process.argv[2] ?? join(DATASETS.projectRoot, 'reports'));
  const dir = await banking77Dir(DATASETS);
  const train = readLabelledCsv(join(dir, 'train.csv'));
  const test = readLabelledCsv(join(dir, 'test.csv'));
  const classifier = LinearTicketClassifier.fromFile(config.modelPath);
  const labels = classifier.artifact.labels;
  const intents = labels.filter((l) => l !== OUT_OF_SCOPE).length;
  console.log(
    `model ${classifier.modelVersion} on BANKING77 test split (${test.length} tickets; ${intents} intents${intents < labels.length ? ' and the out_of_scope background class' : ''})`,
  );
  const ours = evaluateClassifier(classifier, test, config.thresholds);

  console.log('training the off-the-shelf baseline on the same train split ...');
  const baseline = trainNaturalBayes(train, labels);
  const labelIndex = new Map(labels.map((l, i) => [l, i]));
  const theirs = predictAll(
    test.map((r) => r.text),
    test.map((r) => labelIndex.get(r.label)!),
    (t) => baseline.predict(t),
  );

  const oursSummary = {
    ...ours.summary,
    trainSeconds: classifier.artifact.metrics.trainSeconds,
    msPerTicket: +ours.msPerTicket.toFixed(3),
  };
  const theirSummary = {
    ...summarize(theirs.preds, labels.length),
    trainSeconds: +baseline.trainSeconds.toFixed(1),
    msPerTicket: +theirs.msPerTicket.toFixed(3),
  };
  console.log('');
  console.log(`  ${''.padEnd(20)} ${'ours'.padEnd(12)} ${baseline.name}`);
  for (const k of ['accuracy', 'macroF1', 'ece15', 'brier', 'trainSeconds', 'msPerTicket'] as const) {
    console.log(`  ${k.padEnd(20)} ${String(oursSummary[k]).padEnd(12)} ${theirSummary[k]}`);
  }
  console.log(`  team (queue) accuracy ${pct(ours.summary.teamAccuracy)}`);
  console.log('');
  console.log(
    `routing at thresholds auto > ${config.thresholds.auto}, assisted >= ${config.thresholds.assisted} (mode normal, anomalies to manual):`,
  );
  for (const [k, v] of Object.entries(ours.routing))
    console.log(
      `  ${k.padEnd(9)} ${pct(v.share).padStart(6)} of tickets, accuracy ${v.accuracy === null ? '-' : pct(v.accuracy)}`,
    );
  const curve = riskCoverage(ours.preds, [0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.99], (i) => !ours.anomalies[i]);
  console.log('');
  console.log('risk-coverage (non-anomalous tickets above each confidence):');
  console.log(
    '  ' +
      curve
        .map((c) => `>${c.threshold}: ${pct(c.coverage)} at ${c.accuracy === null ? '-' : pct(c.accuracy)}`)
        .join(', '),
  );
  const confused = confusedPairs(ours.preds, labels, 10);
  console.log('');
  console.log('most confused intents (truth -> predicted):');
  for (const c of confused) console.log(`  ${String(c.count).padStart(3)}  ${c.truth} -> ${c.predicted}`);

  let ood: Record<string, unknown> | null = null;
  const clinc = findDataset(DATASETS, 'clinc150', ['data_full.json', 'domains.json']);
  console.log('');
  if (!clinc) {
    console.log(
      `out-of-distribution: skipped, CLINC150 not found in ${candidateDirs(DATASETS)
        .map((d) => join(d, 'clinc150'))
        .join(', ')}`,
    );
  } else {
    const sets = clincOodSets(
      JSON.parse(readFileSync(join(clinc, 'data_full.json'), 'utf8')),
      JSON.parse(readFileSync(join(clinc, 'domains.json'), 'utf8')),
    );
    const flagged = ours.anomalies.filter(Boolean).length / ours.anomalies.length;
    console.log(
      `out-of-distribution (CLINC150 test splits) against BANKING77 test; anomaly when the OOD score >= ${ours.anomalyAt.toFixed(2)} or out_of_scope is the top class:`,
    );
    console.log(`  in-distribution tickets flagged as anomalies: ${pct(flagged)}`);
    ood = { inDistributionFlagged: +flagged.toFixed(4) };
    for (const [name, texts] of Object.entries(sets)) {
      const r = evaluateOod(classifier, texts, ours.ood, config.thresholds.auto);
      ood[name] = r;
      console.log(
        `  ${name.padEnd(13)} ${String(r.queries).padStart(5)} queries: AUROC ${r.auroc.toFixed(3)}, flagged ${pct(r.flagged)}, would be auto-routed ${pct(r.autoRouted)} (${r.autoRoutedCount})`,
      );
    }
  }

  const invoices = await evaluateInvoiceFields();

  const reliability = { ours: reliabilityBins(ours.preds), baseline: reliabilityBins(theirs.preds) };
  const report = {
    model: classifier.modelVersion,
    dataset: { name: 'BANKING77', split: 'test', tickets: test.length },
    ours: oursSummary,
    baseline: { name: baseline.name, ...theirSummary },
    routing: ours.routing,
    riskCoverage: curve,
    confusedPairs: confused,
    reliability,
    ood,
    invoices,
  };
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'eval.json'), JSON.stringify(report, null, 2));
  writeFileSync(
    join(outDir, 'reliability.svg'),
    reliabilitySvg(
      [
        { name: 'ours (temperature-scaled)', color: '#1f6feb', bins: reliability.ours, ece: oursSummary.ece15 },
        { name: baseline.name, color: '#d1242f', bins: reliability.baseline, ece: theirSummary.ece15 },
      ],
      'Reliability on BANKING77 test (15 bins)',
    ),
  );
  console.log('');
  console.log(`wrote ${join(outDir, 'eval.json')} and ${join(outDir, 'reliability.svg')}`);
}

/** Per-field invoice confidences checked against invoice2data's and ZUGFeRD's ground truth. */
async function evaluateInvoiceFields() {
  const i2d = findDataset(DATASETS, 'invoice2data', ['ground_truth.derived.jsonl']);
  const zf = findDataset(DATASETS, 'zugferd', ['ground_truth.derived.jsonl']);
  console.log('');
  if (!i2d && !zf) {
    console.log('invoice fields: skipped, neither invoice2data nor zugferd found');
    return null;
  }
  const runs: [string, Truth[], boolean][] = [];
  if (i2d) runs.push(['invoice2data (11 PDFs, 1 text)', invoice2dataTruth(i2d), true]);
  if (zf)
    runs.push(['ZUGFeRD, embedded XML', zugferdTruth(zf), true], ['ZUGFeRD, page text only', zugferdTruth(zf), false]);
  const out: Record<string, unknown> = {};
  for (const [name, truths, embedded] of runs) {
    const { checks, missing } = await checkFields(truths, embedded);
    const fields = byField(checks, missing);
    const levels = byConfidence(checks);
    out[name] = { fields, byConfidence: levels };
    console.log(`invoice fields, ${name}: extracted/documents and accuracy per field; accuracy per stated confidence`);
    console.log(
      '  ' +
        fields
          .map((f) => `${f.field} ${f.extracted}/${f.documents}${f.accuracy === null ? '' : ` ${pct(f.accuracy)}`}`)
          .join(', '),
    );
    console.log('  ' + levels.map((l) => `confidence ${l.confidence}: ${pct(l.accuracy)} of ${l.fields}`).join(', '));
  }
  return out;
}

main().catch((err) => {
  console.error(err instanceof Error && err.name === 'DatasetMissingError' ? err.message : err);
  process.exit(1);
});
