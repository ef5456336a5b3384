// Workflow bundles for the tests: the real one every worker and replay uses, and `changed`, the
// next build with a change to the ticket's command sequence (test/support/changed-workflows).
// Bundles are cached by the content of what they compile, so each tier (and each rerun) reuses them.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';

const ROOT = join(__dirname, '..', '..');
const CACHE = join(ROOT, 'node_modules', '.cache', 'agent-ops-workflow-bundles');
const CHANGED = join(__dirname, 'changed-workflows');
/** Everything a workflow bundle compiles from this project; the SDK is covered by its version. */
const SOURCES = ['workflows', 'domain'];

const noop = () => undefined;
const quietLogger = { log: noop, trace: noop, debug: noop, info: noop, warn: console.warn, error: console.error };

export type BundleVariant = 'real' | 'changed';

function sourceHash(variant: BundleVariant): string {
  const hash = createHash('sha256').update(variant);
  hash.update(
    JSON.parse(readFileSync(join(ROOT, 'node_modules', '@temporalio', 'workflow', 'package.json'), 'utf8')).version,
  );
  const files = SOURCES.flatMap((dir) =>
    readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' }).map((file) => join(dir, file)),
  ).filter((file) => file.endsWith('.ts'));
  for (const file of files.sort()) hash.update(file).update(readFileSync(join(ROOT, file)));
  hash.update(readFileSync(join(CHANGED, 'index.ts')));
  return hash.digest('hex').slice(0, 16);
}

async function build(variant: BundleVariant): Promise<string> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: variant === 'changed' ? CHANGED : join(ROOT, 'workflows'),
    logger: quietLogger,
  });
  return code;
}

/** The bundle's path, building it when the sources changed since it was last built. */
export async function workflowBundle(variant: BundleVariant): Promise<string> {
  const path = join(CACHE, `${variant}-${sourceHash(variant)}.js`);
  if (existsSync(path)) return path;
  mkdirSync(CACHE, { recursive: true });
  const partial = `${path}.${process.pid}.tmp`;
  writeFileSync(partial, await build(variant));
  renameSync(partial, path); // atomic: a concurrent reader never sees half a bundle
  return path;
}
