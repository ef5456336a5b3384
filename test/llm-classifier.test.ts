// The LLM adapter against a local server that speaks the OpenAI chat-completions API: the
// request it sends, confidence from token log-probabilities, and what happens without them.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeCase, DEFAULT_THRESHOLDS } from '../domain/routing';
import { LlmTicketClassifier } from '../model/llm-classifier';
import { KEYS, startTestStack, type TestStack } from './support/stack';

const LABELS = ['card_arrival', 'card_delivery_estimate', 'lost_or_stolen_card', 'exchange_rate'];

/** Splits an answer into tokens the way a tokenizer might, with chosen log-probabilities. */
function tokenize(content: string, intentLogprobs: number[], alternatives: { token: string; logprob: number }[]) {
  const m = /"intent"\s*:\s*"([^"]*)"/.exec(content)!;
  const start = m.index + m[0].length - m[1].length - 2; // the value's opening quote
  const intent = m[1];
  const pieces = [content.slice(0, start + 1)];
  const parts = [intent.slice(0, 4), intent.slice(4, 9), intent.slice(9)].filter(Boolean);
  pieces.push(...parts, content.slice(start + 1 + intent.length));
  return pieces.map((token, i) => {
    const k = i - 1;
    const inIntent = k >= 0 && k < parts.length;
    return {
      token,
      logprob: inIntent ? (intentLogprobs[k] ?? 0) : -0.001,
      ...(k === 0 ? { top_logprobs: [{ token, logprob: intentLogprobs[0] }, ...alternatives] } : {}),
    };
  });
}

let server: Server;
let baseUrl: string;
const requests: any[] = [];
let reply: (req: any) => { status?: number; body: unknown };

beforeAll(async () => {
  const app = express();
  app.use(express.json());
  app.post('/v1/chat/completions', (req, res) => {
    requests.push({ body: req.body, auth: req.get('authorization') });
    const r = reply(req.body);
    res.status(r.status ?? 200).json(r.body);
  });
  server = await new Promise((ok) => {
    const s = app.listen(0, '127.0.0.1', () => ok(s));
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));

const answer = (intent: string, withLogprobs: boolean, logprobs = [-0.05, -0.02, -0.01]) => {
  const content = JSON.stringify({ intent, explanation: 'the customer says the card has not arrived' });
  return {
    body: {
      choices: [
        {
          message: { role: 'assistant', content },
          logprobs: withLogprobs
            ? {
                content: tokenize(content, logprobs, [
                  { token: 'card_d', logprob: -3.2 },
                  { token: 'lost', logprob: -4 },
                ]),
              }
            : null,
        },
      ],
    },
  };
};

describe('LLM classifier over the OpenAI-compatible API', () => {
  it('asks for structured JSON with log-probabilities, and derives the confidence from them', async () => {
    reply = () => answer('card_arrival', true);
    const llm = new LlmTicketClassifier({ baseUrl, model: 'tiny-model', apiKey: 'sk-test', labels: LABELS });
    const c = await llm.classify('my card has not arrived');
    const sent = requests.at(-1)!;
    expect(sent.auth).toBe('Bearer sk-test');
    expect(sent.body).toMatchObject({
      model: 'tiny-model',
      response_format: { type: 'json_object' },
      logprobs: true,
      temperature: 0,
    });
    expect(sent.body.messages[0].content).toContain('card_arrival');
    expect(sent.body.messages[1]).toEqual({ role: 'user', content: 'my card has not arrived' });
    expect(c).toMatchObject({
      intent: 'card_arrival',
      category: 'cards',
      calibrated: true,
      anomaly: false,
      modelVersion: 'llm:tiny-model',
    });
    expect(c.confidence).toBeCloseTo(Math.exp(-0.08), 4);
    expect(c.runnerUp).toMatchObject({ intent: 'card_delivery_estimate' });
    expect(c.runnerUp!.confidence).toBeCloseTo(Math.exp(-3.2), 4);
    expect(routeCase({ ...c, mode: 'normal', thresholds: DEFAULT_THRESHOLDS }).route).toBe('auto');
  });

  it('without log-probabilities the answer is uncalibrated and never decided alone', async () => {
    reply = () => answer('card_arrival', false);
    const c = await new LlmTicketClassifier({ baseUrl, model: 'm', labels: LABELS }).classify('my card');
    expect(c).toMatchObject({ intent: 'card_arrival', calibrated: false });
    expect(routeCase({ ...c, mode: 'normal', thresholds: DEFAULT_THRESHOLDS }).route).not.toBe('auto');
  });

  it('an intent outside the list is an anomaly; a broken answer or server is an error', async () => {
    reply = () => answer('weather_forecast', true);
    expect(await new LlmTicketClassifier({ baseUrl, model: 'm', labels: LABELS }).classify('rain?')).toMatchObject({
      anomaly: true,
      intent: 'out_of_scope',
    });
    reply = () => ({ body: { choices: [{ message: { content: 'I think it is card_arrival' } }] } });
    await expect(new LlmTicketClassifier({ baseUrl, model: 'm', labels: LABELS }).classify('x')).rejects.toThrow(
      /not JSON/,
    );
    reply = () => ({ status: 503, body: { error: 'overloaded' } });
    await expect(new LlmTicketClassifier({ baseUrl, model: 'm', labels: LABELS }).classify('x')).rejects.toThrow(/503/);
  });
});

describe('a ticket classified by an LLM without log-probabilities', () => {
  let s: TestStack;
  beforeAll(async () => {
    reply = () => answer('card_arrival', false);
    s = await startTestStack(__filename, { CLASSIFIER: 'llm', LLM_BASE_URL: baseUrl, LLM_MODEL: 'no-logprobs-model' });
  });
  afterAll(() => s?.stop());

  it('waits for a human with the reason recorded', async () => {
    reply = () => answer('card_arrival', false);
    const res = await s.http('POST', '/v1/tickets', {
      body: { externalId: 'llm-1', subject: 'Card', body: 'where is my card' },
    });
    const st = await s.waitForCase(res.body.caseId, (c) => c.status !== 'processing', 'routed');
    expect(st).toMatchObject({ route: 'assisted', routeReason: 'uncalibrated' });
    const view = (await s.http('GET', `/v1/cases/${res.body.caseId}`, { key: KEYS.auditor })).body;
    expect(view).toMatchObject({ suggestion: { intent: 'card_arrival' }, modelVersion: 'llm:no-logprobs-model' });
  });
});
