// What the API shows the network: security headers on every answer, a request limit per key, and
// no socket held open by a client that sends its request too slowly.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEYS, startTestStack, type TestStack } from './support/stack';

let s: TestStack;

beforeAll(async () => {
  s = await startTestStack(__filename, { RATE_LIMIT: '5', REQUEST_TIMEOUT: '1s' });
});
afterAll(() => s?.stop());

describe('what every answer carries', () => {
  it('security headers, also on errors and unauthenticated routes', async () => {
    for (const path of ['/healthz', '/v1/cases', '/v1/nothing']) {
      const res = await fetch(`${s.api.url}${path}`);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(res.headers.get('strict-transport-security')).toMatch(/max-age/);
      expect(res.headers.get('x-powered-by')).toBeNull();
    }
  });
});

describe('a limit per API key', () => {
  it('answers 429 in the error shape past the limit, and counts each key apart', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await s.http('GET', '/v1/governor', { key: KEYS.auditor })).status);
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    const limited = await s.http('GET', '/v1/governor', { key: KEYS.auditor });
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('rate_limited');
    expect((await s.http('GET', '/v1/governor', { key: KEYS.reviewer })).status).toBe(200);
  });
});

describe('a client that stalls mid-request', () => {
  it('is cut off with 408 after REQUEST_TIMEOUT instead of holding the connection', async () => {
    const { hostname, port } = new URL(s.api.url);
    const socket = connect(Number(port), hostname);
    await new Promise((resolve) => socket.once('connect', resolve));
    const started = Date.now();
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString()));
    const closed = new Promise((resolve) => socket.once('close', resolve));
    socket.write(
      `POST /v1/tickets HTTP/1.1\r\nHost: ${hostname}\r\nAuthorization: Bearer ${KEYS.service}\r\n` +
        'Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"externalId":',
    );
    await closed;
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
