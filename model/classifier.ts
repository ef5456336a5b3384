// The ticket classifier behind the small interface the activities use. Today a calibrated
// TF-IDF softmax model trained on BANKING77; an LLM adapter can stand behind the same interface.
import { teamOf } from '../domain/teams';
import type { Classification, FeatureWeight } from '../domain/types';
import { loadArtifact, type ModelArtifact } from './artifact';
import { vectorize, type Vectorizer } from './features';
import { logits, logSumExp, softmax } from './softmax';

export interface TicketClassifier {
  readonly modelVersion: string;
  classify(text: string): Classification;
}

const EXPLANATION_SIZE = 5;

export class LinearTicketClassifier implements TicketClassifier {
  readonly modelVersion: string;
  private readonly vectorizer: Vectorizer;

  constructor(private readonly artifact: ModelArtifact) {
    this.modelVersion = `${artifact.modelId}@${artifact.version}`;
    this.vectorizer = { vocab: new Map(artifact.vocab.map((t, i) => [t, i])), idf: Float32Array.from(artifact.idf) };
  }

  static fromFile(path: string): LinearTicketClassifier {
    return new LinearTicketClassifier(loadArtifact(path));
  }

  classify(text: string): Classification {
    const { model, labels, temperature } = this.artifact;
    const x = vectorize(text, this.vectorizer);
    const z = logits(model, x);
    const p = softmax(z, temperature);
    const [best, second] = topTwo(p);
    const oodScore = x.indices.length === 0 ? 1 : this.oodRank(logSumExp(z));
    const explanation: FeatureWeight[] = [];
    for (let k = 0; k < x.indices.length; k++) {
      const f = x.indices[k];
      explanation.push({
        feature: this.artifact.vocab[f],
        weight: +((model.weights[f * model.classes + best] - model.weights[f * model.classes + second]) * x.values[k]).toFixed(4),
      });
    }
    explanation.sort((a, b) => b.weight - a.weight);
    return {
      intent: labels[best],
      category: teamOf(labels[best]),
      confidence: +p[best].toFixed(4),
      runnerUp: { intent: labels[second], category: teamOf(labels[second]), confidence: +p[second].toFixed(4) },
      explanation: explanation.filter((e) => e.weight > 0).slice(0, EXPLANATION_SIZE),
      oodScore: +oodScore.toFixed(4),
      anomaly: oodScore >= 1 - this.artifact.oodRate,
      modelVersion: this.modelVersion,
    };
  }

  /** Share of in-distribution validation tickets that looked more familiar than this one. */
  private oodRank(score: number): number {
    const ref = this.artifact.oodReference;
    let lo = 0;
    let hi = ref.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ref[mid] < score) lo = mid + 1;
      else hi = mid;
    }
    return 1 - lo / ref.length;
  }
}

function topTwo(p: Float64Array): [number, number] {
  let a = 0;
  let b = 1;
  if (p[b] > p[a]) [a, b] = [b, a];
  for (let i = 2; i < p.length; i++) {
    if (p[i] > p[a]) [a, b] = [i, a];
    else if (p[i] > p[b]) b = i;
  }
  return [a, b];
}
