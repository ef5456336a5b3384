// Opens PostgreSQL for the service: creates the database when it is missing and applies
// migrations, and turns "nothing answers" into a message that says how to start one.
import knex, { type Knex } from 'knex';
import { Client } from 'pg';
import { migrationSource } from './migrations';

export class DatabaseUnavailableError extends Error {
  override name = 'DatabaseUnavailableError';
}

function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, '')) || 'postgres';
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(name)}`;
  return u.toString();
}

export async function ensureDatabase(url: string): Promise<void> {
  const name = databaseName(url);
  const admin = new Client({ connectionString: withDatabase(url, 'postgres'), connectionTimeoutMillis: 5000 });
  try {
    await admin.connect();
  } catch (err) {
    const where = new URL(url).host;
    throw new DatabaseUnavailableError(
      `PostgreSQL does not answer at ${where} (${(err as Error).message}).\n` +
        `Start one with \`docker compose up -d postgres\`, or point DATABASE_URL at a running server.`,
    );
  }
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) {
      // Identifier quoting by hand: CREATE DATABASE takes no bind parameters.
      await admin.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`).catch((err: { code?: string }) => {
        // Created concurrently by another process: 42P04, or the catalogue's unique index when
        // both creations ran at once (two `npm start`s on a fresh machine).
        if (err.code !== '42P04' && err.code !== '23505') throw err;
      });
    }
  } finally {
    await admin.end();
  }
}

export function createDb(url: string, pool = { min: 0, max: 10 }): Knex {
  return knex({ client: 'pg', connection: url, pool });
}

export async function openDatabase(url: string, poolMax = 10): Promise<Knex> {
  await ensureDatabase(url);
  const db = createDb(url, { min: 0, max: poolMax });
  await migrateLatest(db);
  return db;
}

/**
 * Applies the migrations. Another process migrating at the same moment (two starts on a fresh
 * database) either holds knex's lock or races us to create knex's own tables: wait, then try again.
 */
async function migrateLatest(db: Knex, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await db.migrate.latest({ migrationSource });
      return;
    } catch (err) {
      const { code, message, name } = err as Error & { code?: string };
      const racing =
        code === '23505' || code === '42P07' || /already locked/i.test(message) || name === 'MigrationLocked';
      if (!racing || Date.now() > deadline) throw err;
      await new Promise((resolveWait) => setTimeout(resolveWait, 250));
    }
  }
}

export async function dropDatabase(url: string): Promise<void> {
  const admin = new Client({ connectionString: withDatabase(url, 'postgres') });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${databaseName(url).replace(/"/g, '""')}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

export { withDatabase };
