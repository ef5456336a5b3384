// An LLM behind the classifier interface, for any OpenAI-compatible chat-completions server
// (OpenAI, Azure OpenAI, vLLM, Ollama, ...). Confidence comes from the token log-probabilities of
// the chosen intent when the server returns them; without them the answer is marked uncalibrated
// and the routing policy never lets it decide alone.
import { categoryOf } from '../domain/ticket/categories';
import { OUT_OF_SCOPE, type Classification } from '../domain/ticket/types';
import type { TicketClassifier } from './classifier';

export interface LlmOptions {
  /** e.g. https://api.openai.com/v1 or http://127.0.0.1:11434/v1 */
  baseUrl: string;
  model: string;
  apiKey?: string;
  /** The intents the model must choose from. */
  labels: readonly string[];
  timeoutMs?: number;
}

export class LlmError extends Error {
  override name = 'LlmError';
}

interface TokenLogprob {
  token: string;
  logprob: number;
  top_logprobs?: { token: string; logprob: number }[];
}

interface ChatCompletion {
  choices?: { message?: { content?: string | null }; logprobs?: { content?: TokenLogprob[] | null } | null }[];
}

export class LlmTicketClassifier implements TicketClassifier {
  readonly modelVersion: string;

  constructor(private readonly options: LlmOptions) {
    this.modelVersion = `llm:${options.model}`;
  }

  async classify(text: string): Promise<Classification> {
    const body = {
      model: this.options.model,
      temperature: 0,
      response_format: { type: 'json_object' },
      logprobs: true,
      top_logprobs: 5,
      messages: [
        {
          role: 'system',
          content:
            'You route customer-support tickets for a bank. Choose exactly one intent from this list, or ' +
            `"${OUT_OF_SCOPE}" if none fits: ${this.options.labels.join(', ')}. ` +
            'Answer with JSON only: {"intent": "<intent>", "explanation": "<one sentence naming the words that decided it>"}.',
        },
        { role: 'user', content: text },
      ],
    };
    const res = await fetch(`${this.options.baseUrl.replace(/\/$/, '')}/chat/completions`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {}),
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
    });
    if (!res.ok) throw new LlmError(`LLM server answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
    const completion = (await res.json()) as ChatCompletion;
    const choice = completion.choices?.[0];
    const content = choice?.message?.content ?? '';
    let parsed: { intent?: unknown; explanation?: unknown };
    try {
      parsed = JSON.parse(content);
    } catch {
      throw new LlmError(`LLM answer is not JSON: ${content.slice(0, 200)}`);
    }
    const intent = typeof parsed.intent === 'string' ? parsed.intent : '';
    const known = this.options.labels.includes(intent);
    const tokens = choice?.logprobs?.content ?? null;
    const scored = tokens && known ? intentProbability(content, tokens, intent, this.options.labels) : null;
    return {
      intent: known ? intent : OUT_OF_SCOPE,
      category: categoryOf(intent),
      confidence: scored ? +scored.confidence.toFixed(4) : 0,
      runnerUp: scored?.runnerUp
        ? {
            intent: scored.runnerUp.intent,
            category: categoryOf(scored.runnerUp.intent),
            confidence: +scored.runnerUp.confidence.toFixed(4),
          }
        : null,
      explanation:
        typeof parsed.explanation === 'string' ? [{ feature: parsed.explanation.slice(0, 300), weight: 1 }] : [],
      oodScore: known ? 0 : 1,
      anomaly: !known,
      calibrated: scored !== null,
      modelVersion: this.modelVersion,
    };
  }
}

/**
 * P(intent) as the product of the probabilities of the tokens that spell the intent's value in the
 * answer; the runner-up is the most likely other first token that starts another intent.
 */
export function intentProbability(
  content: string,
  tokens: TokenLogprob[],
  intent: string,
  labels: readonly string[],
): { confidence: number; runnerUp: { intent: string; confidence: number } | null } | null {
  const key = content.search(/"intent"\s*:\s*"/);
  if (key < 0) return null;
  const start = content.indexOf('"', content.indexOf(':', key)) + 1;
  const end = start + intent.length;
  if (content.slice(start, end) !== intent) return null;
  let offset = 0;
  let logprob = 0;
  let first: TokenLogprob | null = null;
  for (const t of tokens) {
    const tokenStart = offset;
    offset += t.token.length;
    if (offset <= start || tokenStart >= end) continue;
    first ??= t;
    logprob += t.logprob;
  }
  if (!first || offset < end) return null; // the tokens do not spell the answer: no confidence to derive
  let runnerUp: { intent: string; confidence: number } | null = null;
  for (const alt of first.top_logprobs ?? []) {
    const prefix = alt.token.replace(/^"/, '');
    const other = prefix && labels.find((l) => l !== intent && l.startsWith(prefix) && !intent.startsWith(prefix));
    if (other && (!runnerUp || Math.exp(alt.logprob) > runnerUp.confidence))
      runnerUp = { intent: other, confidence: Math.exp(alt.logprob) };
  }
  return { confidence: Math.exp(logprob), runnerUp };
}
