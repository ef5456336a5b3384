// Process lifecycle shared by the entry points: stop in order on SIGINT/SIGTERM, and report a
// start-up failure as a sentence when it is one we expect (bad configuration, no database).
import { ConfigError } from '../config';
import { DatabaseUnavailableError } from '../db/connect';

/**
 * Stops the process's parts on SIGINT or SIGTERM and exits. Returns the same shutdown for the
 * caller's own failure path, with the exit code it should end with.
 */
export function stopOnSignals(
  stop: () => Promise<void>,
  log?: (line: string) => void,
): (code: number) => Promise<void> {
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log?.('stopping ...');
    await stop().catch((err) => console.error(err));
    log?.('stopped');
    process.exit(code);
  };
  process.once('SIGINT', () => void shutdown(0));
  process.once('SIGTERM', () => void shutdown(0));
  return shutdown;
}

/** A start-up failure we expect is a sentence to the operator; anything else keeps its stack. */
export function describeStartupError(err: unknown): string {
  if (err instanceof ConfigError || err instanceof DatabaseUnavailableError) return err.message;
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}

export function exitOnStartupError(name: string): (err: unknown) => never {
  return (err) => {
    console.error(`[${name}] ${describeStartupError(err)}`);
    process.exit(1);
  };
}
