// `npm run bench [-- --tickets 300 --concurrency 20]`: prints the figures BENCHMARKS.md quotes.
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { benchActions } from './actions';
import { benchBroadcast } from './broadcast';
import { benchBudget } from './budget';
import { benchClassifier } from './classifier';
import { benchDashboard } from './dashboard';
import { benchFloor } from './floor';
import { machine, markdownTable, writeSection } from './report';
import { benchEndToEnd } from './e2e';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      tickets: { type: 'string', default: '300' },
      concurrency: { type: 'string', default: '20' },
      broadcast: { type: 'string', default: '100,1000' },
      outcomes: { type: 'string', default: '10,100,1000' },
      cases: { type: 'string', default: '100000' },
      only: { type: 'string' },
    },
  });
  const sizes = values.broadcast.split(',').map(Number);
  if (!sizes.every((size, i) => Number.isInteger(size) && size > 0 && (i === 0 || size > sizes[i - 1])))
    throw new Error('--broadcast takes increasing positive counts, e.g. 100,1000,5000');
  const only = values.only;
  if (
    only !== undefined &&
    !['actions', 'classifier', 'e2e', 'floor', 'broadcast', 'budget', 'dashboard'].includes(only)
  )
    throw new Error('--only takes actions, classifier, e2e, floor, broadcast, budget or dashboard');
  const caseCounts = values.cases.split(',').map(Number);
  if (!caseCounts.every((count) => Number.isInteger(count) && count > 0))
    throw new Error('--cases takes positive counts, e.g. 10000,100000');
  const rates = values.outcomes.split(',').map(Number);
  if (!rates.every((rate) => Number.isInteger(rate) && rate > 0))
    throw new Error('--outcomes takes positive counts per second, e.g. 10,100,1000');
  const tickets = Number(values.tickets);
  const concurrency = Number(values.concurrency);
  if (!(tickets > 0 && concurrency > 0)) throw new Error('--tickets and --concurrency take positive numbers');
  console.log(`node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'})`);
  if (!only || only === 'actions') {
    console.log('\nserver actions per case, from the recorded baseline histories (test/histories/0.1.0):');
    console.table(benchActions());
  }
  if (!only || only === 'classifier') {
    console.log('\nclassifier (one core, in process):');
    console.table(await benchClassifier());
  }
  if (!only || only === 'e2e') {
    console.log(
      `\nend to end, ${tickets} auto-routed tickets, ${concurrency} in flight (API -> Temporal dev server -> worker -> PostgreSQL):`,
    );
    // What `npm start` runs (a SQLite file in WAL mode), the same file with SQLite's default
    // journal, and an in-memory server (faster, not what users run), one after the other.
    console.table([
      await benchEndToEnd({ tickets, concurrency, devServer: 'file', wal: true }),
      await benchEndToEnd({ tickets, concurrency, devServer: 'file', wal: false }),
      await benchEndToEnd({ tickets, concurrency, devServer: 'memory' }),
    ]);
  }
  if (!only || only === 'floor') {
    console.log(`\nagainst the floor of the same server, ${tickets} each, ${concurrency} in flight:`);
    const rows = await benchFloor({ count: tickets, concurrency });
    console.table(rows);
    const at = new Date().toISOString().slice(0, 16).replace('T', ' ');
    const written = await writeSection(
      'floor',
      `Last run: ${at} UTC, ${tickets} each, ${concurrency} in flight, on ${machine()}.\n\n${markdownTable(rows)}`,
    );
    if (written) console.log('(written to BENCHMARKS.md, section "The latest floor run")');
  }
  if (!only || only === 'budget') {
    console.log(`\nthe governor's evaluation over an hour of findings at ${rates.join(', ')} per second:`);
    console.table(await benchBudget(rates));
  }
  if (!only || only === 'dashboard') {
    console.log(
      `\nthe dashboards' load (SQL aggregates per range) and a queue page with ${caseCounts.join(', ')} decided cases:`,
    );
    console.table(await benchDashboard(caseCounts));
  }
  if (!only || only === 'broadcast') {
    console.log(`\nmode broadcast to running cases (${sizes.join(', ')}), shutdown set by ops through the API:`);
    console.table(await benchBroadcast(sizes));
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
