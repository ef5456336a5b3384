// TF-IDF features over a fixed vocabulary: sublinear term frequency, smoothed idf, L2-normalised.
import { terms } from './tokenize';

export interface SparseVector {
  indices: Int32Array;
  values: Float32Array;
}

export interface Vectorizer {
  vocab: Map<string, number>;
  idf: Float32Array;
}

export function fitVectorizer(texts: string[], minDf: number): { vocab: string[]; idf: Float32Array } {
  const df = new Map<string, number>();
  for (const text of texts) for (const t of new Set(terms(text))) df.set(t, (df.get(t) ?? 0) + 1);
  const vocab = [...df.entries()]
    .filter(([, n]) => n >= minDf)
    .map(([t]) => t)
    .sort();
  const n = texts.length;
  const idf = Float32Array.from(vocab, (t) => Math.log((1 + n) / (1 + df.get(t)!)) + 1);
  return { vocab, idf };
}

export function vectorize(text: string, vectorizer: Vectorizer): SparseVector {
  const counts = new Map<number, number>();
  for (const t of terms(text)) {
    const i = vectorizer.vocab.get(t);
    if (i !== undefined) counts.set(i, (counts.get(i) ?? 0) + 1);
  }
  const indices = Int32Array.from([...counts.keys()].sort((a, b) => a - b));
  const values = Float32Array.from(indices, (i) => (1 + Math.log(counts.get(i)!)) * vectorizer.idf[i]);
  let norm = 0;
  for (const x of values) norm += x * x;
  norm = Math.sqrt(norm) || 1;
  for (let k = 0; k < values.length; k++) values[k] /= norm;
  return { indices, values };
}
