// Worker Versioning: which build a worker is, and making a build the deployment's current one.
// The build id names the code: BUILD_ID when set (the image's tag, a CI build number), else what
// `npm run build` recorded beside the compiled code (an image has no .git), else the package
// version and the git commit of the checkout.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isGrpcServiceError, type Client } from '@temporalio/client';
import type { WorkerDeploymentVersion } from '@temporalio/common';
import { PROJECT_ROOT } from '../config';

/**
 * What `npm run build` writes beside the compiled code, so an image knows its commit. Compiled,
 * PROJECT_ROOT is dist/ itself; from the sources it is the checkout, which has no such file.
 */
const BUILD_INFO_FILE = join(PROJECT_ROOT, 'build-info.json');

function gitCommit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], {
      cwd: PROJECT_ROOT,
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .toString()
      .trim();
  } catch {
    return null;
  }
}

/** The build id of this checkout or image: `<version>-<commit>`, or the version alone. */
export function resolveBuildId(explicit?: string): string {
  if (explicit) return explicit;
  if (existsSync(BUILD_INFO_FILE)) {
    return (JSON.parse(readFileSync(BUILD_INFO_FILE, 'utf8')) as { buildId: string }).buildId;
  }
  const { version } = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string };
  const commit = gitCommit();
  return commit ? `${version}-${commit}` : version;
}

/** gRPC status codes (the client's errors carry them as numbers). */
const NOT_FOUND = 5;
const FAILED_PRECONDITION = 9;

export type MakeCurrent = 'always' | 'if-none' | 'never';

/** The deployment's current build, or null (a deployment nobody has made current, or none yet). */
export async function currentBuild(client: Client, deploymentName: string): Promise<string | null> {
  try {
    const { workerDeploymentInfo } = await client.workflowService.describeWorkerDeployment({
      namespace: client.options.namespace,
      deploymentName,
    });
    return workerDeploymentInfo?.routingConfig?.currentDeploymentVersion?.buildId || null;
  } catch (err) {
    if (isGrpcServiceError(err) && err.code === NOT_FOUND) return null;
    throw err;
  }
}

/**
 * Makes `version` the deployment's current build, as `temporal worker deployment
 * set-current-version` does: new cases start on it, AUTO_UPGRADE workflows move to it, PINNED
 * ones stay where they started. The server knows a version once one of its workers has polled,
 * so this retries until it does. `if-none`: only when the deployment has no current build yet
 * (the first worker of a new deployment); a rollout is then the operator's.
 */
export async function makeBuildCurrent(
  client: Client,
  version: WorkerDeploymentVersion,
  when: MakeCurrent,
  timeoutMs = 30_000,
): Promise<'made-current' | 'already-current' | 'kept'> {
  if (when === 'never') return 'kept';
  const current = await currentBuild(client, version.deploymentName);
  if (current === version.buildId) return 'already-current';
  if (current && when === 'if-none') return 'kept';
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await client.workflowService.setWorkerDeploymentCurrentVersion({
        namespace: client.options.namespace,
        deploymentName: version.deploymentName,
        buildId: version.buildId,
        identity: client.options.identity,
      });
      return 'made-current';
    } catch (err) {
      // The version is not registered until its pollers reach the server.
      const notYet = isGrpcServiceError(err) && (err.code === NOT_FOUND || err.code === FAILED_PRECONDITION);
      if (!notYet || Date.now() > deadline) throw err;
      await new Promise((resolveWait) => setTimeout(resolveWait, 200));
    }
  }
}
