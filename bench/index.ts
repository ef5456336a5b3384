// `npm run bench [-- --tickets 300 --concurrency 20]`: prints the figures BENCHMARKS.md quotes.
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { benchClassifier } from './classifier';
import { benchEndToEnd } from './e2e';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { tickets: { type: 'string', default: '300' }, concurrency: { type: 'string', default: '20' } },
  });
  const tickets = Number(values.tickets);
  const concurrency = Number(values.concurrency);
  if (!(tickets > 0 && concurrency > 0)) throw new Error('--tickets and --concurrency take positive numbers');
  console.log(`node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'})`);
  console.log('\nclassifier (one core, in process):');
  console.table(await benchClassifier());
  console.log(
    `\nend to end, ${tickets} auto-routed tickets, ${concurrency} in flight (API -> Temporal dev server -> worker -> PostgreSQL):`,
  );
  console.table(await benchEndToEnd({ tickets, concurrency }));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
