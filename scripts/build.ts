// `npm run build`: what production runs, with no TypeScript at run time. Compiles the service to
// dist/ (tsc), prebuilds the workflow bundle workers load (dist/workflow-bundle.js), copies what
// the code reads beside itself (the committed model, the review page) and records the build id,
// since an image has no .git to read it from.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { loadConfig } from '../config';
import { resolveBuildId } from '../infra/worker-deployment';

const ROOT = join(__dirname, '..');
const DIST = join(ROOT, 'dist');
const step = (what: string) => console.log(`[build] ${what}`);

async function main(): Promise<void> {
  const started = Date.now();
  step('cleaning dist/');
  rmSync(DIST, { recursive: true, force: true });
  step('compiling TypeScript (tsconfig.build.json) ...');
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json')], {
    stdio: 'inherit',
  });
  step('bundling the workflows ...');
  const { code } = await bundleWorkflowCode({ workflowsPath: join(ROOT, 'workflows') });
  writeFileSync(join(DIST, 'workflow-bundle.js'), code);
  step('copying models/ and ui/ ...');
  for (const dir of ['models', 'ui']) cpSync(join(ROOT, dir), join(DIST, dir), { recursive: true });
  mkdirSync(DIST, { recursive: true });
  const buildId = resolveBuildId(loadConfig().deployment.buildId);
  writeFileSync(join(DIST, 'build-info.json'), `${JSON.stringify({ buildId, builtAt: new Date().toISOString() })}\n`);
  step(
    `done in ${((Date.now() - started) / 1000).toFixed(1)} s: build ${buildId}; run node dist/entry-points/worker.js`,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
