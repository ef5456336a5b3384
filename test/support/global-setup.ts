// Once per run of the integration tier: one Temporal dev server on free ports (a namespace per
// test file, so files can run side by side), and the workflow bundle built once for every worker.
import { readdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startDevServer, temporalCli } from '../../infra/dev-server';
import { workflowBundle } from './bundle';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    workflowBundle: string;
    changedWorkflowBundle: string;
  }
}

export function namespaceFor(file: string): string {
  return basename(file).replace(/\.test\.ts$/, '');
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const root = resolve(__dirname, '..', '..');
  const namespaces = readdirSync(join(root, 'test'))
    .filter((file) => file.endsWith('.test.ts'))
    .map(namespaceFor);
  // The compose test's processes use a namespace of their own, as a deployment would.
  if (namespaces.includes('compose')) namespaces.push('compose-stack');
  // The scale-out test races two `npm start`s in a namespace nobody else uses.
  if (namespaces.includes('scale-out')) namespaces.push('scale-out-race');
  const cli = temporalCli({ install: true, log: console.log });
  const started = Date.now();
  const server = await startDevServer({
    cli,
    namespace: 'default',
    extraNamespaces: namespaces,
    readyTimeoutMs: 120_000,
  });
  console.log(`[test] Temporal dev server on ${server.address} in ${Date.now() - started} ms`);

  project.provide('temporalAddress', server.address);
  project.provide('workflowBundle', await workflowBundle('real'));
  project.provide('changedWorkflowBundle', await workflowBundle('changed'));
  return () => server.stop();
}
