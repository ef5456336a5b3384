// Connects to Temporal the same way everywhere: a local dev server, a self-hosted cluster with
// mTLS, or Temporal Cloud with an API key, from the profile @temporalio/envconfig loaded (config).
import { Client, Connection } from '@temporalio/client';
import { toClientOptions } from '@temporalio/envconfig';
import { NativeConnection, type NativeConnectionOptions } from '@temporalio/worker';
import type { Config } from '../config';

type TemporalConfig = Config['temporal'];

/** The profile's connection options, at `address` (the profile's, or a dev server this process started). */
function connectionOptions(temporal: TemporalConfig & { address: string }): NativeConnectionOptions {
  const { connectionOptions: options } = toClientOptions(temporal.profile);
  return { ...options, address: temporal.address };
}

export async function connectClient(temporal: TemporalConfig & { address: string }): Promise<Client> {
  const { address, tls, apiKey, metadata } = connectionOptions(temporal);
  const connection = await Connection.connect({ address, tls, apiKey, metadata });
  return new Client({ connection, namespace: temporal.namespace });
}

export function connectWorker(temporal: TemporalConfig & { address: string }): Promise<NativeConnection> {
  return NativeConnection.connect(connectionOptions(temporal));
}
