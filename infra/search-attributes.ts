// Registers the custom search attributes the workflows upsert. Works on the dev server and on a
// self-hosted cluster; on Temporal Cloud they are created in the namespace settings instead.
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { ALL_SEARCH_ATTRIBUTES } from '../workflows/search-attributes';

const INDEXED: Record<string, temporal.api.enums.v1.IndexedValueType> = {
  KEYWORD: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  DOUBLE: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE,
  BOOL: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
};

const GRPC_UNIMPLEMENTED = 12;
const GRPC_ALREADY_EXISTS = 6;

export async function ensureSearchAttributes(client: Client): Promise<string[]> {
  const { operatorService } = client.connection;
  const namespace = client.options.namespace;
  let registered: Record<string, unknown> = {};
  try {
    registered = (await operatorService.listSearchAttributes({ namespace })).customAttributes ?? {};
  } catch (err) {
    // The time-skipping test server can add search attributes but not list them.
    if ((err as { code?: number }).code !== GRPC_UNIMPLEMENTED) throw err;
  }
  const missing = ALL_SEARCH_ATTRIBUTES.filter((k) => !(k.name in registered));
  if (missing.length === 0) return [];
  try {
    await operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map((k) => [k.name, INDEXED[k.type]])),
    });
  } catch (err) {
    // Workers and the API start side by side: another process may have added them first.
    if ((err as { code?: number }).code !== GRPC_ALREADY_EXISTS) throw err;
  }
  return missing.map((k) => k.name);
}
