// Temperature scaling: one scalar that makes the softmax's confidence match observed accuracy.
// Fitted on a validation split carved from train, never on the test split.
import { softmax } from './softmax';

export function negativeLogLikelihood(allLogits: Float64Array[], ys: number[], temperature: number): number {
  let nll = 0;
  for (let i = 0; i < allLogits.length; i++)
    nll -= Math.log(Math.max(softmax(allLogits[i], temperature)[ys[i]], 1e-12));
  return nll / allLogits.length;
}

/** Golden-section search on log T: the NLL is unimodal in T for a fixed set of logits. */
export function fitTemperature(allLogits: Float64Array[], ys: number[], lo = 0.05, hi = 20): number {
  const f = (logT: number) => negativeLogLikelihood(allLogits, ys, Math.exp(logT));
  let a = Math.log(lo);
  let b = Math.log(hi);
  const g = (Math.sqrt(5) - 1) / 2;
  let c = b - g * (b - a);
  let d = a + g * (b - a);
  let fc = f(c);
  let fd = f(d);
  for (let i = 0; i < 60; i++) {
    if (fc < fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - g * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + g * (b - a);
      fd = f(d);
    }
  }
  return Math.exp((a + b) / 2);
}
