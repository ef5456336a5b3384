// Process lifecycle shared by the entry points: stop in order on SIGINT/SIGTERM, and report a
// start-up failure as a sentence when it is one we expect (bad configuration, no database).
import { ConfigError } from '../config';
import { DatabaseUnavailableError } from '../db/connect';

/** A signal this soon after the first is the same one again: npm forwards a Ctrl-C it also got. */
const ECHO_MS = 2_000;

/**
 * Stops the process's parts on SIGINT or SIGTERM and exits. Returns the same shutdown for the
 * caller's own failure path, with the exit code it should end with.
 *
 * A Ctrl-C under `npm start` reaches node twice: from the terminal (the whole process group) and
 * forwarded by npm. The second must not end the process mid-stop, which would leave the dev
 * server running; a signal well after the first is a person insisting, and ends it at once.
 */
export function stopOnSignals(
  stop: () => Promise<void>,
  log?: (line: string) => void,
): (code: number) => Promise<void> {
  let stoppingSince: number | null = null;
  const shutdown = async (code: number) => {
    if (stoppingSince !== null) return;
    stoppingSince = Date.now();
    log?.('stopping ... (Ctrl-C again to quit at once)');
    await stop().catch((err) => console.error(err));
    log?.('stopped');
    process.exit(code);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (stoppingSince === null) return void shutdown(0);
    if (Date.now() - stoppingSince < ECHO_MS) return;
    log?.(`${signal} again: exiting without waiting (a dev server left running is stopped by the next start)`);
    process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
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
