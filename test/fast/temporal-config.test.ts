// The Temporal connection is configured as Temporal's CLI and SDKs configure it: a profile in a
// TOML file, the TEMPORAL_* variables over it, and our earlier variable names as aliases.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../config';

const dir = mkdtempSync(join(tmpdir(), 'temporal-toml-'));
const file = join(dir, 'temporal.toml');
writeFileSync(
  file,
  [
    '[profile.default]',
    'address = "temporal.internal:7233"',
    'namespace = "agents"',
    '',
    '[profile.cloud]',
    'address = "agents.a1b2c.tmprl.cloud:7233"',
    'namespace = "agents.a1b2c"',
    'api_key = "cloud-key"',
    '',
  ].join('\n'),
);

describe('the Temporal connection from envconfig', () => {
  it('takes the default profile of the TOML file', () => {
    const { temporal } = loadConfig({ TEMPORAL_CONFIG_FILE: file });
    expect(temporal).toMatchObject({ address: 'temporal.internal:7233', namespace: 'agents' });
  });

  it('takes a named profile, with TLS on for its API key', () => {
    const { temporal } = loadConfig({ TEMPORAL_CONFIG_FILE: file, TEMPORAL_PROFILE: 'cloud' });
    expect(temporal).toMatchObject({ address: 'agents.a1b2c.tmprl.cloud:7233', namespace: 'agents.a1b2c' });
    expect(temporal.profile.apiKey).toBe('cloud-key');
  });

  it('lets the environment override the profile', () => {
    const { temporal } = loadConfig({
      TEMPORAL_CONFIG_FILE: file,
      TEMPORAL_ADDRESS: '127.0.0.1:7233',
      TEMPORAL_NAMESPACE: 'other',
    });
    expect(temporal).toMatchObject({ address: '127.0.0.1:7233', namespace: 'other' });
  });

  it('leaves the address unset with neither, so npm start runs its dev server', () => {
    const { temporal } = loadConfig({ TEMPORAL_CONFIG_FILE: join(dir, 'missing.toml') });
    expect(temporal.address).toBeUndefined();
    expect(temporal.namespace).toBe('default');
  });

  it('reads TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY as aliases of the client certificate paths', () => {
    const { temporal } = loadConfig({
      TEMPORAL_CONFIG_FILE: join(dir, 'missing.toml'),
      TEMPORAL_ADDRESS: 'temporal.internal:7233',
      TEMPORAL_TLS_CERT: '/certs/client.pem',
      TEMPORAL_TLS_KEY: '/certs/client.key',
    });
    expect(temporal.profile.tls?.clientCert).toEqual({ path: '/certs/client.pem' });
    expect(temporal.profile.tls?.clientKey).toEqual({ path: '/certs/client.key' });
  });

  it('names a broken profile file in the configuration error', () => {
    const broken = join(dir, 'broken.toml');
    writeFileSync(broken, '[profile.default\naddress = ');
    expect(() => loadConfig({ TEMPORAL_CONFIG_FILE: broken })).toThrow(ConfigError);
  });
});
