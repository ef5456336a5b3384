// The ticket classifier behind the small interface the activities use: a calibrated TF-IDF
// softmax model trained on BANKING77 by default, an LLM adapter (model/llm-classifier.ts) as
// the alternative behind the same interface.
import { categoryOf } from '../domain/ticket/categories';
import { OUT_OF_SCOPE, type Classification, type FeatureWeight } from '../domain/ticket/types';
import { loadArtifact, type ModelArtifact } from './artifact';
import { vectorize, type SparseVector, type Vectorizer } from './features';
import { NearestIndex, shareAbove } from './nearest';
import { logits, logSumExp, softmax } from './softmax';

export interface TicketClassifier {
  readonly modelVersion: string;
  classify(text: string): Promise<Classification>;
}

const EXPLANATION_SIZE = 5;
const NEAREST_SIZE = 3;

export interface Scored {
  probs: Float64Array;
  /** 0 = as typical as the validation tickets get, 1 = less familiar than all of them. */
  oodScore: number;
  x: SparseVector;
}

export class LinearTicketClassifier implements TicketClassifier {
  readonly modelVersion: string;
  private readonly vectorizer: Vectorizer;
  private readonly index: NearestIndex;
  /** The background class trained on other-domain text, when the model has one. */
  private readonly outOfScope: number;

  constructor(readonly artifact: ModelArtifact) {
    this.modelVersion = `${artifact.modelId}@${artifact.version}`;
    this.vectorizer = { vocab: new Map(artifact.vocab.map((t, i) => [t, i])), idf: Float32Array.from(artifact.idf) };
    this.outOfScope = artifact.labels.indexOf(OUT_OF_SCOPE);
    this.index = new NearestIndex(artifact.examples.map((e) => vectorize(e.text, this.vectorizer)));
  }

  static fromFile(path: string): LinearTicketClassifier {
    return new LinearTicketClassifier(loadArtifact(path));
  }

  /** Probabilities and OOD score only: what evaluation and benchmarks need. */
  score(text: string): Scored {
    const { model, temperature, oodReference } = this.artifact;
    const x = vectorize(text, this.vectorizer);
    const z = logits(model, x);
    const nearest = this.index.nearest(x, 1)[0]?.similarity ?? 0;
    // Any one signal can say "unlike the training data": little evidence for any intent, no similar
    // training ticket, or a likeness to the background of other-domain text.
    const probs = softmax(z, temperature);
    const background = this.outOfScope < 0 ? 0 : probs[this.outOfScope];
    const oodScore =
      x.indices.length === 0
        ? 1
        : Math.max(
            shareAbove(oodReference.logSumExp, logSumExp(z)),
            shareAbove(oodReference.similarity, nearest),
            background,
          );
    return { probs, oodScore, x };
  }

  /** Unlike the training tickets, or closest to the background class of other-domain text. */
  isAnomaly(best: number, oodScore: number): boolean {
    return oodScore >= 1 - this.artifact.oodRate || this.artifact.labels[best] === OUT_OF_SCOPE;
  }

  async classify(text: string): Promise<Classification> {
    const { model, labels, vocab, examples } = this.artifact;
    const { probs: p, oodScore, x } = this.score(text);
    const [best, second] = topTwo(p);
    const explanation: FeatureWeight[] = [];
    for (let k = 0; k < x.indices.length; k++) {
      const f = x.indices[k];
      // Evidence for the chosen intent over the runner-up: what made the model pick one over the other.
      const weight =
        (model.weights[f * model.classes + best] - model.weights[f * model.classes + second]) * x.values[k];
      if (weight > 0) explanation.push({ feature: vocab[f], weight: +weight.toFixed(4) });
    }
    explanation.sort((a, b) => b.weight - a.weight);
    // Words and word pairs read better than character trigrams ("#riv"); trigrams only when no word helped.
    const words = explanation.filter((e) => !e.feature.startsWith('#'));
    return {
      intent: labels[best],
      category: categoryOf(labels[best]),
      confidence: +p[best].toFixed(4),
      runnerUp: { intent: labels[second], category: categoryOf(labels[second]), confidence: +p[second].toFixed(4) },
      explanation: (words.length ? words : explanation).slice(0, EXPLANATION_SIZE),
      nearest: this.index.nearest(x, NEAREST_SIZE).map((n) => ({
        text: examples[n.index].text,
        intent: labels[examples[n.index].label],
        similarity: +n.similarity.toFixed(3),
      })),
      oodScore: +oodScore.toFixed(4),
      anomaly: this.isAnomaly(best, oodScore),
      calibrated: true,
      modelVersion: this.modelVersion,
    };
  }
}

function topTwo(probabilities: Float64Array): [number, number] {
  let a = 0;
  let b = 1;
  if (probabilities[b] > probabilities[a]) [a, b] = [b, a];
  for (let i = 2; i < probabilities.length; i++) {
    if (probabilities[i] > probabilities[a]) [a, b] = [i, a];
    else if (probabilities[i] > probabilities[b]) b = i;
  }
  return [a, b];
}
