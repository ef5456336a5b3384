// `npm run train`: trains the ticket classifier on BANKING77's train split and writes the
// versioned artifact the worker loads. The test split is never read here.
import { join, resolve } from 'node:path';
import { loadConfig } from '../config';
import { OUT_OF_SCOPE } from '../domain/ticket/types';
import { ARTIFACT_FORMAT, DEFAULT_MODEL_PATH, saveArtifact } from '../model/artifact';
import { fitTemperature } from '../model/calibration';
import { readFileSync } from 'node:fs';
import {
  BANKING77_ATTRIBUTION,
  CLINC150_ATTRIBUTION,
  banking77Dir,
  candidateDirs,
  findDataset,
  readLabelledCsv,
  sha256Of,
  type LabelledText,
} from '../model/datasets';

import { fitVectorizer, vectorize } from '../model/features';
import { accuracy, expectedCalibrationError } from '../model/metrics';
import { NearestIndex } from '../model/nearest';
import { logits, logSumExp, softmax, train } from '../model/softmax';

const DATASETS = loadConfig().datasets;

const HYPER = {
  minDf: 2,
  epochs: 30,
  learningRate: 2,
  l2: 1e-6,
  batchSize: 16,
  seed: 1,
  validationEvery: 10,
  oodRate: 0.05,
  /** CLINC150 training queries per non-banking intent in the out_of_scope background class. */
  backgroundPerIntent: 10,
};

/** Every tenth example of each intent, so the validation split keeps the class balance. */
function splitValidation(rows: LabelledText[]): { fit: LabelledText[]; validation: LabelledText[] } {
  const seen = new Map<string, number>();
  const fit: LabelledText[] = [];
  const validation: LabelledText[] = [];
  for (const r of rows) {
    const k = seen.get(r.label) ?? 0;
    seen.set(r.label, k + 1);
    (k % HYPER.validationEvery === HYPER.validationEvery - 1 ? validation : fit).push(r);
  }
  return { fit, validation };
}

/** Bumped when the features, model or training recipe change; the data hash follows the `+`. */
const RECIPE_VERSION = '1.1.0';

const BANKING_LIKE = ['exchange_rate', 'travel_notification', 'direct_deposit'];

/**
 * Outlier exposure: a background class of other-domain queries (CLINC150's train and val splits,
 * never its test split) teaches the model what "not a banking ticket" looks like.
 */
function loadBackground(perIntent: number): { fit: LabelledText[]; validation: LabelledText[]; path: string | null } {
  const dir = findDataset(DATASETS, 'clinc150', ['data_full.json', 'domains.json']);
  if (!dir || perIntent === 0) {
    console.log(
      `CLINC150 not found (${candidateDirs(DATASETS)
        .map((d) => join(d, 'clinc150'))
        .join(', ')}): training without the out_of_scope background class`,
    );
    return { fit: [], validation: [], path: null };
  }
  const data = JSON.parse(readFileSync(join(dir, 'data_full.json'), 'utf8')) as Record<string, [string, string][]>;
  const domains = JSON.parse(readFileSync(join(dir, 'domains.json'), 'utf8')) as Record<string, string[]>;
  // Banking questions under other names stay out of the background: teaching the model that a lost
  // card or an exchange rate is "not banking" would push real tickets to out_of_scope.
  const banking = new Set([...domains.banking, ...domains.credit_cards, ...BANKING_LIKE]);
  const take = (rows: [string, string][], perIntent: number) => {
    const seen = new Map<string, number>();
    return rows
      .filter(([, intent]) => {
        if (banking.has(intent)) return false;
        const k = seen.get(intent) ?? 0;
        seen.set(intent, k + 1);
        return k < perIntent;
      })
      .map(([text]) => ({ text, label: OUT_OF_SCOPE }));
  };
  return {
    fit: [...take(data.train, perIntent), ...data.oos_train.map(([text]) => ({ text, label: OUT_OF_SCOPE }))],
    validation: [
      ...take(data.val, Math.max(1, Math.round(perIntent / 10))),
      ...data.oos_val.map(([text]) => ({ text, label: OUT_OF_SCOPE })),
    ],
    path: join(dir, 'data_full.json'),
  };
}

async function main(): Promise<void> {
  const out = process.argv[2] ? resolve(process.argv[2]) : DEFAULT_MODEL_PATH;
  const dir = await banking77Dir(DATASETS);
  const trainPath = join(dir, 'train.csv');
  const rows = readLabelledCsv(trainPath);
  const split = splitValidation(rows);
  const bg = loadBackground(HYPER.backgroundPerIntent);
  const fit = [...split.fit, ...bg.fit];
  const validation = split.validation;
  const calibration = [...split.validation, ...bg.validation];
  const labels = [...new Set(fit.map((r) => r.label))].sort();
  const labelIndex = new Map(labels.map((l, i) => [l, i]));
  console.log(`BANKING77 from ${dir}: ${split.fit.length} training, ${validation.length} validation rows`);
  if (bg.path)
    console.log(
      `CLINC150 background (out_of_scope): ${bg.fit.length} training, ${bg.validation.length} calibration rows`,
    );
  console.log(`${labels.length} classes`);

  const started = Date.now();
  const { vocab, idf } = fitVectorizer(
    fit.map((r) => r.text),
    HYPER.minDf,
  );
  const vectorizer = { vocab: new Map(vocab.map((t, i) => [t, i])), idf };
  const xs = fit.map((r) => vectorize(r.text, vectorizer));
  const ys = fit.map((r) => labelIndex.get(r.label)!);
  console.log(`vocabulary: ${vocab.length} terms; training ${HYPER.epochs} epochs`);
  const model = train(xs, ys, labels.length, vocab.length, {
    ...HYPER,
    onEpoch: (epoch, loss) => {
      if ((epoch + 1) % 5 === 0) console.log(`  epoch ${epoch + 1}/${HYPER.epochs}  loss ${loss.toFixed(4)}`);
    },
  });
  const trainSeconds = (Date.now() - started) / 1000;

  const calLogits = calibration.map((r) => logits(model, vectorize(r.text, vectorizer)));
  const temperature = fitTemperature(
    calLogits,
    calibration.map((r) => labelIndex.get(r.label)!),
  );
  const valLogits = validation.map((r) => logits(model, vectorize(r.text, vectorizer)));
  const valYs = validation.map((r) => labelIndex.get(r.label)!);
  const valPreds = valLogits.map((z, i) => ({ label: valYs[i], probs: softmax(z, temperature) }));
  const index = new NearestIndex(xs);
  const oodReference = {
    logSumExp: valLogits.map((z) => logSumExp(z)).sort((a, b) => a - b),
    similarity: validation
      .map((r) => index.nearest(vectorize(r.text, vectorizer), 1)[0]?.similarity ?? 0)
      .sort((a, b) => a - b),
  };
  const metrics = {
    validationAccuracy: +accuracy(valPreds).toFixed(4),
    validationEce: +expectedCalibrationError(valPreds).toFixed(4),
    trainSeconds: +trainSeconds.toFixed(1),
  };
  const sha256 = sha256Of(bg.path ? [trainPath, bg.path] : [trainPath]);
  const bytes = saveArtifact(out, {
    format: ARTIFACT_FORMAT,
    modelId: 'banking77-tfidf-softmax',
    version: `${RECIPE_VERSION}+${sha256.slice(0, 8)}`,
    createdAt: new Date().toISOString(),
    dataset: {
      name: 'BANKING77',
      attribution: BANKING77_ATTRIBUTION,
      licence: 'CC BY 4.0',
      source:
        'github.com/PolyAI-LDN/task-specific-datasets@57ec275d8078af65b7731c2a98be812d844a6d6b banking_data/train.csv',
      sha256,
      trainRows: fit.length,
      validationRows: validation.length,
      background: bg.path
        ? {
            name: 'CLINC150',
            attribution: CLINC150_ATTRIBUTION,
            licence: 'CC BY 3.0',
            source: 'github.com/clinc/oos-eval data_full.json (train, val, oos_train, oos_val)',
            rows: bg.fit.length,
          }
        : null,
    },
    hyperparameters: HYPER,
    metrics,
    labels,
    vocab,
    idf: Array.from(idf),
    temperature,
    oodReference,
    oodRate: HYPER.oodRate,
    examples: fit.map((r) => ({ text: r.text, label: labelIndex.get(r.label)! })),
    model,
  });
  console.log(
    `out-of-distribution references: ${validation.length} validation tickets; anomaly above the ${((1 - HYPER.oodRate) * 100).toFixed(0)}th percentile`,
  );
  console.log(
    `temperature ${temperature.toFixed(3)}; validation accuracy ${metrics.validationAccuracy}, ECE ${metrics.validationEce}`,
  );
  console.log(`wrote ${out} (${(bytes / 1024).toFixed(0)} KiB) in ${trainSeconds.toFixed(1)} s of training`);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err instanceof Error && err.name === 'DatasetMissingError' ? err.message : err);
    process.exit(1);
  });
}
