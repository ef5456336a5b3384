// A worker as a separate process (`npm run worker`'s entry point) serving a test stack's task
// queue, so a test can kill it with SIGKILL as an operator's machine would lose it.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { inject } from 'vitest';
import type { TestStack } from './stack';

/** Starts the process and resolves once it polls; `children` collects it for the test's cleanup. */
export async function startWorkerProcess(stack: TestStack, children: ChildProcess[]): Promise<ChildProcess> {
  const root = join(__dirname, '..', '..');
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'entry-points', 'worker.ts')], {
    cwd: root,
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_NAMESPACE: stack.config.temporal.namespace,
      TASK_QUEUE: stack.config.taskQueue,
      DATABASE_URL: stack.config.databaseUrl,
      WORKFLOW_BUNDLE: inject('workflowBundle'),
      // As the test stack's own worker: no audit draws unless a test asks (an automatic decision
      // then stays `decided`, whatever its case id hashes to).
      AUDIT_RATE: String(stack.config.auditRate),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  let out = '';
  await new Promise<void>((ready, fail) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('polling')) ready();
    });
    child.once('exit', (code) => fail(new Error(`worker exited with ${code}: ${out}`)));
  });
  return child;
}
