// API keys that rotate without a restart: the API reads its keys through a ring, and SIGHUP makes
// the process read API_KEYS_FILE again. A file that no longer parses changes nothing: the keys in
// force stay, and the log says why.
import { readFileSync } from 'node:fs';
import { parseApiKeys, type ApiKeyTable } from '../config/api-keys';

export class KeyRing {
  constructor(private table: ApiKeyTable) {}

  get current(): ApiKeyTable {
    return this.table;
  }

  /** Reads the key file again; the new table replaces the old one only when it parses. */
  reload(file: string, development: boolean): { ok: true; keys: number } | { ok: false; problem: string } {
    try {
      const table = parseApiKeys(readFileSync(file, 'utf8'), { development });
      this.table = table;
      return { ok: true, keys: table.length };
    } catch (err) {
      return { ok: false, problem: (err as Error).message };
    }
  }
}

/** Re-reads `file` on every SIGHUP. Returns the function that stops listening. */
export function rotateOnSighup(
  ring: KeyRing,
  file: string,
  development: boolean,
  log: (fields: Record<string, unknown>, message: string) => void,
): () => void {
  const reload = () => {
    const result = ring.reload(file, development);
    if (result.ok) log({ keys: result.keys, file }, 'API keys reloaded');
    else log({ file, problem: result.problem }, 'API keys NOT reloaded: the keys in force stay');
  };
  process.on('SIGHUP', reload);
  return () => process.off('SIGHUP', reload);
}
