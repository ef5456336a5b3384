// The incident's cause: a model version that, from its onset, sends one category's tickets to
// another with undiminished confidence (the ambiguous overlap our users fear). It wraps the real
// classifier, so everything else about each proposal stays as the real model made it.
import type { TicketClassifier } from '../model/classifier';
import type { Classification } from '../domain/ticket/types';

export interface Confusion {
  /** Tickets the real model puts here ... */
  from: string;
  /** ... the faulty one sends here, as this intent. */
  to: string;
  toIntent: string;
}

export class FaultyClassifier implements TicketClassifier {
  private faultyFrom: number | null = null;

  constructor(
    private readonly real: TicketClassifier,
    private readonly confusion: Confusion,
  ) {}

  get modelVersion(): string {
    return this.faultyFrom === null ? this.real.modelVersion : `${this.real.modelVersion}+faulty`;
  }

  /** From now on the model confuses the two categories. */
  breakNow(): void {
    this.faultyFrom = Date.now();
  }

  async classify(text: string): Promise<Classification> {
    const proposal = await this.real.classify(text);
    if (this.faultyFrom === null) return proposal;
    const version = { modelVersion: this.modelVersion };
    if (proposal.category !== this.confusion.from) return { ...proposal, ...version };
    return { ...proposal, ...version, intent: this.confusion.toIntent, category: this.confusion.to };
  }
}
