// Ticket texts whose real classification falls in each band of the routing policy; shared by the
// tests and the history recorder. `assertBands` (tickets.ts) checks them against the live model.
export const TEXTS = {
  auto: { subject: 'Charged twice', body: 'I was charged twice for the same coffee' },
  assisted: { subject: 'Help', body: 'The exchange rate seems wrong' },
  manual: { subject: 'Help', body: 'Please help, something is wrong with my payment' },
  anomaly: { subject: 'Question', body: 'what is the weather in paris tomorrow' },
  /** A critical rule (lost or stolen card) and the model agree on cards. */
  critical: { subject: 'Card stolen', body: 'My card was stolen, how do I freeze it' },
  /** The rule says cards; the model proposes transfers with assisted confidence. */
  disagreement: { subject: 'Top up', body: 'I lost my card so how do I top up my account with a bank transfer' },
};
