// Delivers alerts to ALERT_WEBHOOK_URL: a POST of JSON per alert, retried with backoff, from a
// loop of its own in the worker process, so a slow or failing receiver never holds up a case.
// At least once: a receiver dedupes by `id`.
import type { Knex } from 'knex';
import { dueAlerts, markDelivered, markFailedAttempt } from '../db/alerts';

const POLL_MS = 1000;
const MAX_ATTEMPTS = 10;
const REQUEST_TIMEOUT_MS = 5000;

export function startAlertDelivery(db: Knex, url: string): { stop(): Promise<void> } {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> = Promise.resolve();

  const deliver = async () => {
    for (const alert of await dueAlerts(db, MAX_ATTEMPTS)) {
      if (stopped) return;
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(alert),
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        await markDelivered(db, alert.id);
      } catch (err) {
        const retryInMs = Math.min(60_000, 1000 * 2 ** alert.attempts);
        console.warn(
          `[alerts] delivering alert ${alert.id} failed (${(err as Error).message}); retry in ${retryInMs} ms`,
        );
        await markFailedAttempt(db, alert.id, retryInMs);
      }
    }
  };
  const tick = () => {
    running = deliver()
      .catch((err) => console.warn(`[alerts] ${(err as Error).message}`))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, POLL_MS);
      });
  };
  tick();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
