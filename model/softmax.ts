// Multinomial logistic regression on sparse features, trained with mini-batch SGD.
// Small enough to train in seconds on one core and to ship as a committed artifact.
import type { SparseVector } from './features';

export interface LinearModel {
  classes: number;
  features: number;
  /** Row-major [feature][class], so a sparse input touches contiguous memory. */
  weights: Float32Array;
  bias: Float32Array;
}

export function logits(model: LinearModel, vector: SparseVector, out = new Float64Array(model.classes)): Float64Array {
  out.set(model.bias);
  for (let k = 0; k < vector.indices.length; k++) {
    const row = vector.indices[k] * model.classes;
    const v = vector.values[k];
    for (let c = 0; c < model.classes; c++) out[c] += model.weights[row + c] * v;
  }
  return out;
}

export function softmax(scores: ArrayLike<number>, temperature = 1): Float64Array {
  const p = new Float64Array(scores.length);
  let max = -Infinity;
  for (let i = 0; i < scores.length; i++) max = Math.max(max, scores[i] / temperature);
  let sum = 0;
  for (let i = 0; i < scores.length; i++) sum += p[i] = Math.exp(scores[i] / temperature - max);
  for (let i = 0; i < scores.length; i++) p[i] /= sum;
  return p;
}

export function logSumExp(scores: ArrayLike<number>): number {
  let max = -Infinity;
  for (let i = 0; i < scores.length; i++) max = Math.max(max, scores[i]);
  let sum = 0;
  for (let i = 0; i < scores.length; i++) sum += Math.exp(scores[i] - max);
  return max + Math.log(sum);
}

export interface TrainOptions {
  epochs: number;
  learningRate: number;
  l2: number;
  batchSize: number;
  seed: number;
  onEpoch?: (epoch: number, loss: number) => void;
}

/** Deterministic PRNG so that the same data and options give the same artifact. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function train(
  xs: SparseVector[],
  ys: number[],
  classes: number,
  features: number,
  options: TrainOptions,
): LinearModel {
  const m: LinearModel = {
    classes,
    features,
    weights: new Float32Array(features * classes),
    bias: new Float32Array(classes),
  };
  const rand = mulberry32(options.seed);
  const order = xs.map((_, i) => i);
  const z = new Float64Array(classes);
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    // Step size decays so late epochs refine instead of bouncing around the optimum.
    const lr = options.learningRate / (1 + epoch * 0.15);
    let loss = 0;
    for (let start = 0; start < order.length; start += options.batchSize) {
      const batch = order.slice(start, start + options.batchSize);
      const gradRows = new Map<number, Float64Array>();
      const gradBias = new Float64Array(classes);
      for (const idx of batch) {
        const x = xs[idx];
        const p = softmax(logits(m, x, z));
        loss -= Math.log(Math.max(p[ys[idx]], 1e-12));
        p[ys[idx]] -= 1;
        for (let c = 0; c < classes; c++) gradBias[c] += p[c];
        for (let k = 0; k < x.indices.length; k++) {
          let g = gradRows.get(x.indices[k]);
          if (!g) gradRows.set(x.indices[k], (g = new Float64Array(classes)));
          for (let c = 0; c < classes; c++) g[c] += p[c] * x.values[k];
        }
      }
      const scale = lr / batch.length;
      for (const [f, g] of gradRows) {
        const row = f * classes;
        for (let c = 0; c < classes; c++) {
          m.weights[row + c] -= scale * g[c] + lr * options.l2 * m.weights[row + c];
        }
      }
      for (let c = 0; c < classes; c++) m.bias[c] -= scale * gradBias[c];
    }
    options.onEpoch?.(epoch, loss / xs.length);
  }
  return m;
}
