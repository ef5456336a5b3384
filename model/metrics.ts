// Evaluation figures for a calibrated classifier: accuracy, macro-F1, ECE, Brier, risk-coverage.

export interface Prediction {
  label: number;
  probs: Float64Array;
}

export function argmax(p: ArrayLike<number>): number {
  let b = 0;
  for (let i = 1; i < p.length; i++) if (p[i] > p[b]) b = i;
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
