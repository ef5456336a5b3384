// A split worker's health for its orchestrator (compose's healthcheck, Kubernetes' probes):
// /healthz answers while the process runs; /readyz only while its workers poll.
import { createServer, type Server } from 'node:http';
import type { Worker } from '@temporalio/worker';

export function serveWorkerHealth(address: string, worker: () => Worker | null): Promise<Server> {
  const [host, port] = splitAddress(address);
  const server = createServer((req, res) => {
    const state = worker()?.getState() ?? 'INITIALIZED';
    const ready = state === 'RUNNING';
    const status = req.url === '/healthz' ? 200 : req.url === '/readyz' ? (ready ? 200 : 503) : 404;
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ state }));
  });
  return new Promise((resolveServer, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolveServer(server));
  });
}

function splitAddress(address: string): [string, number] {
  const at = address.lastIndexOf(':');
  return [address.slice(0, at).replace(/^\[|\]$/g, ''), Number(address.slice(at + 1))];
}
