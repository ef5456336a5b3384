// Nearest labelled training examples by TF-IDF cosine similarity, through an inverted index so a
// lookup touches only the examples that share a term with the ticket. Feeds explanations ("this
// looks like these tickets") and the out-of-distribution score ("it looks like none of them").
import type { SparseVector } from './features';

export interface Neighbour {
  index: number;
  similarity: number;
}

export class NearestIndex {
  private readonly postings = new Map<number, { ids: Int32Array; weights: Float32Array }>();
  private readonly scores: Float32Array;

  constructor(vectors: SparseVector[]) {
    const lists = new Map<number, { ids: number[]; weights: number[] }>();
    vectors.forEach((vector, i) => {
      for (let k = 0; k < vector.indices.length; k++) {
        let l = lists.get(vector.indices[k]);
        if (!l) lists.set(vector.indices[k], (l = { ids: [], weights: [] }));
        l.ids.push(i);
        l.weights.push(vector.values[k]);
      }
    });
    for (const [f, l] of lists)
      this.postings.set(f, { ids: Int32Array.from(l.ids), weights: Float32Array.from(l.weights) });
    this.scores = new Float32Array(vectors.length);
  }

  /** The k most similar examples, most similar first. Not re-entrant: one lookup at a time. */
  nearest(vector: SparseVector, count: number): Neighbour[] {
    const s = this.scores;
    s.fill(0);
    for (let j = 0; j < vector.indices.length; j++) {
      const p = this.postings.get(vector.indices[j]);
      if (!p) continue;
      const v = vector.values[j];
      for (let n = 0; n < p.ids.length; n++) s[p.ids[n]] += p.weights[n] * v;
    }
    const best: Neighbour[] = [];
    for (let i = 0; i < s.length; i++) {
      if (s[i] <= 0 || (best.length === count && s[i] <= best[count - 1].similarity)) continue;
      best.push({ index: i, similarity: s[i] });
      best.sort((a, b) => b.similarity - a.similarity);
      if (best.length > count) best.pop();
    }
    return best;
  }
}

/** Share of the reference values strictly above x (the reference sorted ascending). */
export function shareAbove(sortedRef: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = sortedRef.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sortedRef[mid] <= value) lo = mid + 1;
    else hi = mid;
  }
  return (sortedRef.length - lo) / sortedRef.length;
}
