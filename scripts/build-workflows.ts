// `npm run build:workflows`: the workflow bundle production workers load (WORKFLOW_BUNDLE),
// so no worker runs webpack at start.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';

async function main(): Promise<void> {
  const out = process.argv[2] ?? join(__dirname, '..', 'dist', 'workflow-bundle.js');
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../workflows') });
  mkdirSync(join(out, '..'), { recursive: true });
  writeFileSync(out, code);
  console.log(`wrote ${out} (${(code.length / 1024).toFixed(0)} KiB); run workers with WORKFLOW_BUNDLE=${out}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
