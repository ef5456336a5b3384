// Once per `npm test`: one Temporal dev server on free ports (a namespace per test file, so
// files can run side by side), and the workflow bundle built once for every worker.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { TestProject } from 'vitest/node';
import { freePort, startDevServer, temporalCli } from '../../infra/dev-server';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    workflowBundle: string;
  }
}

export function namespaceFor(file: string): string {
  return basename(file).replace(/\.test\.ts$/, '');
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const root = resolve(__dirname, '..', '..');
  const namespaces = readdirSync(join(root, 'test'))
    .filter((f) => f.endsWith('.test.ts'))
    .map(namespaceFor);
  const cli = temporalCli({ install: true, log: console.log });
  const port = await freePort();
  const started = Date.now();
  const server = await startDevServer({
    cli,
    port,
    namespace: 'default',
    extraNamespaces: namespaces,
    readyTimeoutMs: 120_000,
  });
  console.log(`[test] Temporal dev server on ${server.address} in ${Date.now() - started} ms`);

  const dir = mkdtempSync(join(tmpdir(), 'agent-ops-bundle-'));
  const bundlePath = join(dir, 'workflows.js');
  const { code } = await bundleWorkflowCode({ workflowsPath: join(root, 'workflows'), logger: quietLogger });
  writeFileSync(bundlePath, code);

  project.provide('temporalAddress', server.address);
  project.provide('workflowBundle', bundlePath);
  return async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}

const noop = () => undefined;
const quietLogger = { log: noop, trace: noop, debug: noop, info: noop, warn: console.warn, error: console.error };
