// The off-the-shelf comparison: natural's naive Bayes text classifier, the most widely used
// JavaScript NLP package's answer to "classify this text". Its scores are normalised to sum to 1
// so that calibration can be measured on the same terms as ours.
// natural loads dotenv, which logs on import unless DOTENV_CONFIG_QUIET=true: `npm run eval` sets it.
interface NaturalBayes {
  addDocument(text: string, label: string): void;
  train(): void;
  getClassifications(text: string): { label: string; value: number }[];
}

export interface Baseline {
  name: string;
  trainSeconds: number;
  predict(text: string): Float64Array;
}

export function trainNaturalBayes(rows: { text: string; label: string }[], labels: string[]): Baseline {
  const natural = require('natural') as { BayesClassifier: new () => NaturalBayes };
  const version = (require('natural/package.json') as { version: string }).version;
  const started = process.hrtime.bigint();
  const c = new natural.BayesClassifier();
  for (const r of rows) c.addDocument(r.text, r.label);
  c.train();
  const trainSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const index = new Map(labels.map((l, i) => [l, i]));
  return {
    name: `natural ${version} BayesClassifier`,
    trainSeconds,
    predict(text) {
      const p = new Float64Array(labels.length);
      let sum = 0;
      for (const { label, value } of c.getClassifications(text)) {
        p[index.get(label)!] = value;
        sum += value;
      }
      if (sum > 0) for (let i = 0; i < p.length; i++) p[i] /= sum;
      else p.fill(1 / p.length);
      return p;
    },
  };
}
