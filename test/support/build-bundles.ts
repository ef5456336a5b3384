// `npm test`, before the tiers: builds (or finds cached) the workflow bundles both tiers use, so
// neither tier spends its time in webpack.
import { workflowBundle } from './bundle';

async function main(): Promise<void> {
  const started = Date.now();
  const paths = await Promise.all([workflowBundle('real'), workflowBundle('changed')]);
  console.log(`[test] workflow bundles ready in ${Date.now() - started} ms: ${paths.join(', ')}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
