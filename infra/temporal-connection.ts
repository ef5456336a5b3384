// Connects to Temporal the same way everywhere: a local dev server, a self-hosted cluster with
// mTLS, or Temporal Cloud with an API key.
import { readFileSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { Config } from '../config';

type TemporalConfig = Config['temporal'];

function tlsOptions(temporal: TemporalConfig) {
  if (!temporal.tls) return undefined;
  if (temporal.tlsCertPath && temporal.tlsKeyPath) {
    return { clientCertPair: { crt: readFileSync(temporal.tlsCertPath), key: readFileSync(temporal.tlsKeyPath) } };
  }
  return true as const;
}

export async function connectClient(temporal: TemporalConfig & { address: string }): Promise<Client> {
  const connection = await Connection.connect({
    address: temporal.address,
    tls: tlsOptions(temporal),
    apiKey: temporal.apiKey,
  });
  return new Client({ connection, namespace: temporal.namespace });
}

export function connectWorker(temporal: TemporalConfig & { address: string }): Promise<NativeConnection> {
  return NativeConnection.connect({ address: temporal.address, tls: tlsOptions(temporal), apiKey: temporal.apiKey });
}
