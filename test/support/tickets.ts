// Ticket builders whose real classification falls in each band of the routing policy. The bands
// are checked against the live model by `assertBands`, so a retrained model that moves a text out
// of its band fails loudly instead of silently testing the wrong route.
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { DEFAULT_THRESHOLDS } from '../../domain/routing';
import type { TicketClassifier } from '../../model/classifier';
import { TEXTS } from './texts';

export { TEXTS };

export function ticket(kind: keyof typeof TEXTS, extra: Record<string, unknown> = {}) {
  return { externalId: `${kind}-${randomBytes(5).toString('hex')}`, ...TEXTS[kind], ...extra };
}

export async function assertBands(classifier: TicketClassifier): Promise<void> {
  const t = DEFAULT_THRESHOLDS;
  const all = Object.fromEntries(
    await Promise.all(
      (Object.keys(TEXTS) as (keyof typeof TEXTS)[]).map(
        async (k) => [k, await classifier.classify(`${TEXTS[k].subject}\n${TEXTS[k].body}`)] as const,
      ),
    ),
  );
  const c = (k: keyof typeof TEXTS) => all[k];
  expect(c('auto').confidence, 'auto text must be confident').toBeGreaterThan(t.reducedAuto);
  expect(c('auto').anomaly).toBe(false);
  expect(c('assisted').confidence, 'assisted text must be in the assisted band').toBeGreaterThanOrEqual(t.assisted);
  expect(c('assisted').confidence).toBeLessThanOrEqual(t.auto);
  expect(c('assisted').anomaly).toBe(false);
  expect(c('manual').confidence, 'manual text must be below the assisted threshold').toBeLessThan(t.assisted);
  expect(c('manual').anomaly).toBe(false);
  expect(c('anomaly').anomaly, 'anomaly text must look unlike the training data').toBe(true);
}
