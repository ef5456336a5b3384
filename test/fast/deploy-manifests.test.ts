// No cluster runs here, so the Kubernetes recipe is held to the code the other way round: every
// manifest parses, runs an entry point the build produces, sets only variables the configuration
// reads, probes paths the processes answer, and scales on the task queue the workers poll.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { CONFIG_VARIABLES, loadConfig } from '../../config';

const ROOT = join(__dirname, '..', '..');
const DIR = join(ROOT, 'deploy', 'kubernetes');

interface Container {
  command: string[];
  env?: { name: string; value: string }[];
  envFrom?: ({ configMapRef: { name: string } } | { secretRef: { name: string } })[];
  ports?: { name: string; containerPort: number }[];
  livenessProbe?: { httpGet: { path: string; port: string } };
  readinessProbe?: { httpGet: { path: string; port: string } };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
}
type Manifest = { kind: string; metadata: { name: string }; [key: string]: any };

const manifests: Manifest[] = readdirSync(DIR)
  .filter((file) => file.endsWith('.yaml'))
  .flatMap((file) =>
    parseAllDocuments(readFileSync(join(DIR, file), 'utf8')).map((doc) => {
      expect(doc.errors, file).toEqual([]);
      return doc.toJS() as Manifest;
    }),
  );
const byKind = (kind: string) => manifests.filter((manifest) => manifest.kind === kind);
const containers = (): { deployment: string; container: Container }[] =>
  byKind('Deployment').flatMap((deployment) =>
    (deployment.spec.template.spec.containers as Container[]).map((container) => ({
      deployment: deployment.metadata.name,
      container,
    })),
  );
const configMap = byKind('ConfigMap')[0];
const secret = byKind('Secret')[0];

/** What a container's process sees: the ConfigMap, the Secret, then its own env. */
function environment(container: Container): Record<string, string> {
  const env: Record<string, string> = { ...configMap.data, ...secret.stringData };
  for (const { name, value } of container.env ?? []) env[name] = value;
  return env;
}

describe('deploy/kubernetes', () => {
  it('has the API and the worker, a ConfigMap, a Secret example and a backlog autoscaler', () => {
    expect(
      byKind('Deployment')
        .map((d) => d.metadata.name)
        .sort(),
    ).toEqual(['agent-ops-api', 'agent-ops-worker']);
    expect(configMap).toBeDefined();
    expect(secret).toBeDefined();
    expect(byKind('ScaledObject')).toHaveLength(1);
  });

  it.each(containers())('$deployment runs a compiled entry point with node, no tsx', ({ container }) => {
    const [command, entry] = container.command;
    expect(command).toBe('node');
    expect(container.command.join(' ')).not.toMatch(/tsx/);
    expect(entry).toMatch(/^dist\/entry-points\/\w+\.js$/);
    const source = entry.replace(/^dist\//, '').replace(/\.js$/, '.ts');
    expect(existsSync(join(ROOT, source)), source).toBe(true);
    if (existsSync(join(ROOT, 'dist'))) expect(existsSync(join(ROOT, entry)), entry).toBe(true);
  });

  it.each(containers())('$deployment sets only variables the configuration reads, and they load', ({ container }) => {
    const env = environment(container);
    for (const name of Object.keys(env)) expect(CONFIG_VARIABLES, name).toContain(name);
    const config = loadConfig(env);
    expect(config.development).toBe(false);
    expect(config.temporal.address).toBe('temporal-frontend.temporal.svc:7233');
  });

  it.each(containers())('$deployment probes paths its process answers, on ports it listens on', ({ container }) => {
    const env = environment(container);
    const isWorker = container.command[1].endsWith('worker.js');
    const served = readFileSync(join(ROOT, isWorker ? 'infra/worker-health.ts' : 'api/routes/health.ts'), 'utf8');
    for (const probe of [container.livenessProbe, container.readinessProbe]) {
      expect(probe).toBeDefined();
      expect(served).toContain(`'${probe!.httpGet.path}'`);
      const port = container.ports!.find((candidate) => candidate.name === probe!.httpGet.port)!.containerPort;
      const listens = isWorker ? env.WORKER_HEALTH_ADDRESS : `${env.HOST}:${env.PORT}`;
      expect(listens).toBe(`0.0.0.0:${port}`);
    }
    expect(container.resources?.requests).toBeDefined();
    expect(container.resources?.limits?.memory).toBeDefined();
  });

  it('scales the workers on the backlog of the task queue and build they poll', () => {
    const [scaled] = byKind('ScaledObject');
    const worker = containers().find(({ deployment }) => deployment === 'agent-ops-worker')!.container;
    const env = environment(worker);
    expect(scaled.spec.scaleTargetRef.name).toBe('agent-ops-worker');
    const [trigger] = scaled.spec.triggers;
    expect(trigger.type).toBe('temporal');
    expect(trigger.metadata).toMatchObject({
      taskQueue: env.TASK_QUEUE,
      namespace: env.TEMPORAL_NAMESPACE,
      endpoint: env.TEMPORAL_ADDRESS,
      buildId: env.BUILD_ID,
    });
  });
});
