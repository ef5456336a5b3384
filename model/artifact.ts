// The versioned model artifact the worker loads: vocabulary, quantised weights, calibration,
// the out-of-distribution reference and the metrics it was trained with. gzip'd JSON, small
// enough to commit so a fresh clone runs without the raw data set.
import { gunzipSync, gzipSync } from 'node:zlib';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { LinearModel } from './softmax';

export const ARTIFACT_FORMAT = 'agent-ops/tfidf-softmax@2';

/** The committed model: what the worker loads unless MODEL_PATH says otherwise, and what `train` writes. */
export const DEFAULT_MODEL_PATH = resolve(__dirname, '..', 'models', 'banking77-tfidf.json.gz');

export interface ArtifactMeta {
  format: typeof ARTIFACT_FORMAT;
  modelId: string;
  version: string;
  createdAt: string;
  dataset: {
    name: string;
    attribution: string;
    licence: string;
    source: string;
    /** Of every file the model was trained on. */
    sha256: string;
    trainRows: number;
    validationRows: number;
    /** The out_of_scope background class, when one was trained. */
    background: { name: string; attribution: string; licence: string; source: string; rows: number } | null;
  };
  hyperparameters: Record<string, number>;
  metrics: Record<string, number>;
}

export interface ModelArtifact extends ArtifactMeta {
  labels: string[];
  vocab: string[];
  idf: number[];
  temperature: number;
  /** In-distribution references from the validation split, each sorted ascending, for OOD ranks. */
  oodReference: OodReference;
  /** An OOD score at or above 1 - oodRate is an anomaly. */
  oodRate: number;
  /** The labelled training examples, for nearest-example explanations and similarity. */
  examples: { text: string; label: number }[];
  model: LinearModel;
}

export interface OodReference {
  /** log-sum-exp of the logits: low means the model has little evidence for any intent. */
  logSumExp: number[];
  /** Cosine similarity to the nearest training example: low means like nothing seen. */
  similarity: number[];
}

interface Serialized extends Omit<ModelArtifact, 'model'> {
  bias: number[];
  /** Per-feature scale; each weight is stored as a signed byte times its row's scale. */
  rowScale: number[];
  weightsInt8: string;
}

export function saveArtifact(path: string, artifact: ModelArtifact): number {
  const { model, ...rest } = artifact;
  const q = new Int8Array(model.weights.length);
  const rowScale: number[] = [];
  for (let f = 0; f < model.features; f++) {
    let max = 0;
    for (let c = 0; c < model.classes; c++) max = Math.max(max, Math.abs(model.weights[f * model.classes + c]));
    const scale = max / 127 || 1;
    rowScale.push(+scale.toPrecision(7));
    for (let c = 0; c < model.classes; c++)
      q[f * model.classes + c] = Math.round(model.weights[f * model.classes + c] / scale);
  }
  const s: Serialized = {
    ...rest,
    idf: artifact.idf.map((x) => +x.toPrecision(6)),
    oodReference: {
      logSumExp: artifact.oodReference.logSumExp.map((x) => +x.toPrecision(6)),
      similarity: artifact.oodReference.similarity.map((x) => +x.toPrecision(6)),
    },
    bias: Array.from(model.bias, (x) => +x.toPrecision(7)),
    rowScale,
    weightsInt8: Buffer.from(q.buffer).toString('base64'),
  };
  const bytes = gzipSync(JSON.stringify(s), { level: 9 });
  writeFileSync(path, bytes);
  return bytes.length;
}

export class ArtifactError extends Error {
  override name = 'ArtifactError';
}

export function loadArtifact(path: string): ModelArtifact {
  let s: Serialized;
  try {
    s = JSON.parse(gunzipSync(readFileSync(path)).toString('utf8'));
  } catch (err) {
    throw new ArtifactError(`cannot read model artifact ${path}: ${(err as Error).message}`);
  }
  if (s.format !== ARTIFACT_FORMAT) throw new ArtifactError(`${path}: unsupported artifact format ${s.format}`);
  const q = new Int8Array(Buffer.from(s.weightsInt8, 'base64').buffer.slice(0));
  const classes = s.labels.length;
  const features = s.vocab.length;
  if (q.length !== classes * features) throw new ArtifactError(`${path}: weight matrix has the wrong size`);
  const weights = new Float32Array(q.length);
  for (let f = 0; f < features; f++)
    for (let c = 0; c < classes; c++) weights[f * classes + c] = q[f * classes + c] * s.rowScale[f];
  const { bias, rowScale: _r, weightsInt8: _w, ...rest } = s;
  return { ...rest, model: { classes, features, weights, bias: Float32Array.from(bias) } };
}
