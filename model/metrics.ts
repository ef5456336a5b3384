// Evaluation figures for a calibrated classifier: accuracy, macro-F1, ECE, Brier, risk-coverage.

export interface Prediction {
  label: number;
  probs: Float64Array;
}

export function argmax(values: ArrayLike<number>): number {
  let b = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[b]) b = i;
  return b;
}

export function accuracy(preds: Prediction[]): number {
  return preds.filter((p) => argmax(p.probs) === p.label).length / preds.length;
}

/** Expected calibration error with equal-width confidence bins (15 by convention). */
export function expectedCalibrationError(preds: Prediction[], bins = 15): number {
  const conf = new Float64Array(bins);
  const acc = new Float64Array(bins);
  const n = new Float64Array(bins);
  for (const p of preds) {
    const b = argmax(p.probs);
    const c = p.probs[b];
    const i = Math.min(bins - 1, Math.floor(c * bins));
    conf[i] += c;
    acc[i] += b === p.label ? 1 : 0;
    n[i] += 1;
  }
  let ece = 0;
  for (let i = 0; i < bins; i++) ece += Math.abs(conf[i] - acc[i]);
  return ece / preds.length;
}

export function macroF1(preds: Prediction[], classes: number): number {
  const tp = new Float64Array(classes);
  const fp = new Float64Array(classes);
  const fn = new Float64Array(classes);
  for (const p of preds) {
    const y = argmax(p.probs);
    if (y === p.label) tp[y]++;
    else {
      fp[y]++;
      fn[p.label]++;
    }
  }
  let sum = 0;
  for (let c = 0; c < classes; c++) {
    const denom = 2 * tp[c] + fp[c] + fn[c];
    sum += denom === 0 ? 0 : (2 * tp[c]) / denom;
  }
  return sum / classes;
}

/** Multi-class Brier score: mean squared distance between the probabilities and the one-hot truth. */
export function brierScore(preds: Prediction[]): number {
  let total = 0;
  for (const p of preds) {
    for (let c = 0; c < p.probs.length; c++) total += (p.probs[c] - (c === p.label ? 1 : 0)) ** 2;
  }
  return total / preds.length;
}

export interface ReliabilityBin {
  from: number;
  to: number;
  count: number;
  confidence: number;
  accuracy: number;
}

export function reliabilityBins(preds: Prediction[], bins = 15): ReliabilityBin[] {
  const out = Array.from({ length: bins }, (_, i) => ({
    from: i / bins,
    to: (i + 1) / bins,
    count: 0,
    confidence: 0,
    accuracy: 0,
  }));
  for (const p of preds) {
    const b = argmax(p.probs);
    const bin = out[Math.min(bins - 1, Math.floor(p.probs[b] * bins))];
    bin.count++;
    bin.confidence += p.probs[b];
    bin.accuracy += b === p.label ? 1 : 0;
  }
  for (const bin of out) {
    if (bin.count) {
      bin.confidence /= bin.count;
      bin.accuracy /= bin.count;
    }
  }
  return out;
}

/** Area under the ROC curve for "positives score higher", ties counted as half. */
export function auroc(positives: number[], negatives: number[]): number {
  const neg = [...negatives].sort((a, b) => a - b);
  let wins = 0;
  for (const p of positives) {
    let lo = 0;
    let hi = neg.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (neg[mid] < p) lo = mid + 1;
      else hi = mid;
    }
    let eq = lo;
    while (eq < neg.length && neg[eq] === p) eq++;
    wins += lo + (eq - lo) / 2;
  }
  return wins / (positives.length * negatives.length);
}

export function confusedPairs(
  preds: Prediction[],
  labels: string[],
  top: number,
): { truth: string; predicted: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const p of preds) {
    const y = argmax(p.probs);
    if (y !== p.label) {
      const key = `${p.label}\u0000${y}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([key, count]) => {
      const [t, y] = key.split('\u0000').map(Number);
      return { truth: labels[t], predicted: labels[y], count };
    });
}

/** Coverage and accuracy of the predictions whose confidence is above each threshold. */
export function riskCoverage(preds: Prediction[], thresholds: number[], eligible: (i: number) => boolean = () => true) {
  return thresholds.map((threshold) => {
    const kept = preds.filter((p, i) => eligible(i) && Math.max(...p.probs) > threshold);
    const correct = kept.filter((p) => argmax(p.probs) === p.label).length;
    return {
      threshold: threshold,
      coverage: +(kept.length / preds.length).toFixed(4),
      accuracy: kept.length ? +(correct / kept.length).toFixed(4) : null,
    };
  });
}
