// Process lifecycle shared by the entry points: stop in order on SIGINT/SIGTERM, and report a
// start-up failure as a sentence when it is one we expect (bad configuration, no database).
import { ConfigError } from '../config';
import { DatabaseUnavailableError } from '../db/connect';

export function stopOnSignals(stops: (() => Promise<void>)[]): void {
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    for (const s of stops) await s().catch((err) => console.error(err));
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

export function exitOnStartupError(name: string): (err: unknown) => never {
  return (err) => {
    const known = err instanceof ConfigError || err instanceof DatabaseUnavailableError;
    console.error(`[${name}] ${known ? (err as Error).message : err instanceof Error ? err.stack : err}`);
    process.exit(1);
  };
}
