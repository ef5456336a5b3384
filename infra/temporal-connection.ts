// Connects to Temporal the same way everywhere: a local dev server, a self-hosted cluster with
// mTLS, or Temporal Cloud with an API key.
import { readFileSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { Config } from '../config';

type TemporalConfig = Config['temporal'];

function tlsOptions(t: TemporalConfig) {
  if (!t.tls) return undefined;
  if (t.tlsCertPath && t.tlsKeyPath) {
    return { clientCertPair: { crt: readFileSync(t.tlsCertPath), key: readFileSync(t.tlsKeyPath) } };
  }
  return true as const;
}

export async function connectClient(t: TemporalConfig & { address: string }): Promise<Client> {
  const connection = await Connection.connect({ address: t.address, tls: tlsOptions(t), apiKey: t.apiKey });
  return new Client({ connection, namespace: t.namespace });
}

export function connectWorker(t: TemporalConfig & { address: string }): Promise<NativeConnection> {
  return NativeConnection.connect({ address: t.address, tls: tlsOptions(t), apiKey: t.apiKey });
}
