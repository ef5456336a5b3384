// Keeps this process's view of the mode current: the last recorded change at start, then every
// change PostgreSQL pushes on the mode channel (reconnecting when the connection drops), and the
// table itself whenever a case asks.
import { EventEmitter } from 'node:events';
import type { Knex } from 'knex';
import { Client } from 'pg';
import type { ModeState } from '../domain/case';
import { initialModeState } from '../domain/modes';
import { latestModeChange, MODE_CHANNEL } from './mode-changes';

/** Where an activity asks for the mode a case should route by. */
export interface ModeSource {
  current(): Promise<ModeState>;
}

export class ModeListener extends EventEmitter implements ModeSource {
  private state: ModeState = initialModeState(new Date(0).toISOString());
  private pg: Client | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  private pollTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly databaseUrl: string,
    private readonly db: Knex,
    /** Set: read the mode table this often instead of LISTEN (a server without NOTIFY across sessions). */
    private readonly pollMs?: number,
  ) {
    super();
  }

  get mode(): ModeState {
    return this.state;
  }

  /**
   * The newest mode, read from the table: a NOTIFY may still be in flight when a case asks right
   * after a change returned, and a case must not route by a mode that has already been replaced.
   * Falls back to the last pushed state when the database does not answer.
   */
  async current(): Promise<ModeState> {
    try {
      const last = await latestModeChange(this.db);
      if (last) this.apply(last);
    } catch {
      // Keep routing with what was last pushed; the activity is not the place to fail a case.
    }
    return this.state;
  }

  async start(): Promise<void> {
    if (this.pollMs) return this.poll();
    try {
      await this.connect();
    } catch (err) {
      await this.pg?.end().catch(() => undefined);
      this.pg = null;
      throw err;
    }
  }

  private async connect(): Promise<void> {
    const pg = new Client({ connectionString: this.databaseUrl });
    pg.on('notification', (msg) => {
      if (msg.channel === MODE_CHANNEL && msg.payload) this.apply(JSON.parse(msg.payload) as ModeState);
    });
    pg.on('error', () => this.lost(pg));
    // Held before connecting, so that a connection that fails half-way is ended, not leaked.
    this.pg = pg;
    await pg.connect();
    await pg.query(`LISTEN ${MODE_CHANNEL}`);
    // Read after LISTEN so no change falls between the read and the subscription.
    const last = await latestModeChange(this.db);
    if (last) this.apply(last);
  }

  /**
   * The connection failed: end it and schedule one new attempt. A failure can be reported twice
   * (an 'error' event and a rejected query); only the first counts, or reconnections would multiply.
   */
  private lost(pg: Client): void {
    if (this.pg !== pg) return;
    this.pg = null;
    pg.end().catch(() => undefined);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.reconnectTimer) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (this.stopped) return;
      this.connect().catch(() => {
        if (this.pg) this.lost(this.pg);
        else this.scheduleReconnect();
      });
    }, 1000);
    this.reconnectTimer.unref();
  }

  private apply(change: ModeState): void {
    if (change.seq <= this.state.seq) return; // stale or repeated
    this.state = change;
    this.emit('change', change);
  }

  /** Without LISTEN (an embedded PostgreSQL is one session): the table, read now and then every pollMs. */
  private async poll(): Promise<void> {
    const read = async () => {
      const last = await latestModeChange(this.db).catch(() => null);
      if (last) this.apply(last);
    };
    await read();
    const timer = setInterval(() => void read(), this.pollMs);
    timer.unref();
    this.pollTimer = timer;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    await this.pg?.end().catch(() => undefined);
    this.pg = null;
  }
}
