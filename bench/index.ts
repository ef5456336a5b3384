// `npm run bench`: prints the figures BENCHMARKS.md quotes.
import { cpus } from 'node:os';
import { benchClassifier } from './classifier';
import { benchEndToEnd } from './e2e';

async function main(): Promise<void> {
  console.log(`node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'})`);
  console.log('\nclassifier (one core, in process):');
  console.table(await benchClassifier());
  console.log('\nend to end, auto-routed tickets (API -> Temporal dev server -> worker -> PostgreSQL):');
  console.table(await benchEndToEnd());
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
