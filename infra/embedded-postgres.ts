// PostgreSQL without installing it: when DATABASE_URL is unset and nothing answers on the default
// port, `npm start` runs PGlite (PostgreSQL compiled to WebAssembly, in this process) with its
// data under .data/pglite, behind PGlite's socket server, so `pg` and `knex` connect unchanged and
// the same migrations run. PGlite is one session: the socket server queues the connections'
// queries (keeping a transaction's on its connection), the service uses one pooled connection,
// and the mode listener polls the mode table instead of LISTEN (no NOTIFY crosses connections).
import { mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import type { Config } from '../config';

/** How often the mode listener reads the mode table when it cannot LISTEN (embedded PostgreSQL). */
export const EMBEDDED_MODE_POLL_MS = 500;

export interface EmbeddedPostgres {
  url: string;
  dir: string;
  stop(): Promise<void>;
}

/** True when something accepts connections at host:port (a PostgreSQL, we assume). */
function answers(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 1000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

export async function startEmbeddedPostgres(dir: string): Promise<EmbeddedPostgres> {
  mkdirSync(dir, { recursive: true });
  // ES modules only, loaded when needed: a deployment with a real PostgreSQL never loads them.
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  const db = await PGlite.create(dir);
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 16 });
  await server.start();
  const { port } = server as unknown as { port: number };
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    dir,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}

/**
 * The configuration to run with: as given when DATABASE_URL is set or a PostgreSQL answers on the
 * default address; otherwise (or with EMBEDDED_POSTGRES=always) one on an embedded PGlite.
 */
export async function withEmbeddedPostgresIfNeeded(
  config: Config,
  log: (line: string) => void,
): Promise<{ config: Config; embedded: EmbeddedPostgres | null }> {
  const { mode, dir } = config.embeddedPostgres;
  if (mode === 'never') return { config, embedded: null };
  if (mode === 'auto') {
    if (config.databaseUrlExplicit) return { config, embedded: null };
    const url = new URL(config.databaseUrl);
    if (await answers(url.hostname, Number(url.port || 5432))) return { config, embedded: null };
    log(`no PostgreSQL answers at ${url.host} and DATABASE_URL is not set: starting an embedded one (PGlite)`);
  }
  const embedded = await startEmbeddedPostgres(dir);
  log(`embedded PostgreSQL (PGlite) on ${new URL(embedded.url).host}, data in ${dir}`);
  return {
    config: { ...config, databaseUrl: embedded.url, databasePoolMax: 1, modePollMs: EMBEDDED_MODE_POLL_MS },
    embedded,
  };
}
