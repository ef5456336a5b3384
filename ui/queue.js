// The review queue and the case in front of the reviewer: what waits (oldest or riskiest first,
// filtered by kind, team and reason), the case's input and the agent's proposal with its
// reasons, and the decision, sent through the same review route as the API. A case someone else
// decided first (409) is said plainly and the queue moves on.
import { ApiFailure, api } from './api.js';
import { renderCase } from './case-view.js';
import { age, el, money } from './dom.js';

const $ = (selector) => document.querySelector(selector);
const PAGE = 25;
const REASONS = [
  'low_confidence',
  'uncertain',
  'anomaly',
  'rule_disagreement',
  'mode_safe',
  'mode_human_routing',
  'mode_shutdown',
  'review_timeout',
  'new_vendor',
  'fraud_signal',
  'po_mismatch',
  'extraction_uncertain',
  'approval_required',
  'no_text_layer',
  'audit',
];

export class Queue {
  constructor({ me, notice }) {
    this.me = me;
    this.notice = notice;
    this.items = [];
    this.cursor = null;
    this.current = null;
    this.canReview = me.roles.includes('reviewer');
    for (const reason of REASONS)
      $('#filter-reason').append(el('option', { value: reason }, reason === 'audit' ? 'audit sample' : reason));
    for (const id of ['#filter-kind', '#filter-reason', '#order'])
      $(id).addEventListener('change', () => void this.load());
    $('#filter-team').addEventListener('change', () => void this.load());
    $('#more').addEventListener('click', () => void this.load(false));
  }

  query() {
    const params = new URLSearchParams({ order: $('#order').value, limit: String(PAGE) });
    const reason = $('#filter-reason').value;
    params.set('status', reason === 'audit' ? 'audit' : 'waiting');
    if (reason && reason !== 'audit') params.set('reason', reason);
    if ($('#filter-kind').value) params.set('kind', $('#filter-kind').value);
    if ($('#filter-team').value.trim()) params.set('category', $('#filter-team').value.trim());
    if (this.cursor) params.set('cursor', this.cursor);
    return params;
  }

  async load(reset = true) {
    if (reset) {
      this.items = [];
      this.cursor = null;
    }
    try {
      const page = await api(`/v1/cases?${this.query()}`);
      this.items.push(...page.items);
      this.cursor = page.nextCursor;
    } catch (err) {
      this.say(err.message, true);
    }
    this.render();
    const stillThere = this.current && this.items.find((item) => item.caseId === this.current.caseId);
    if (!stillThere) await this.open(this.items[0]?.caseId ?? null);
  }

  render() {
    const body = $('#queue tbody');
    body.replaceChildren(...this.items.map((item) => this.row(item)));
    $('#more').hidden = !this.cursor;
    $('#queue-empty').hidden = this.items.length > 0;
  }

  row(item) {
    const suggestion = item.suggestion;
    const confidence = suggestion?.confidence ?? null;
    const team =
      item.kind === 'invoice'
        ? money(suggestion?.facts?.total ?? null, suggestion?.facts?.currency)
        : (item.category ?? suggestion?.category ?? '—');
    const why = item.status === 'audit' ? 'audit sample' : (item.routeReason ?? '—');
    return el(
      'tr',
      {
        dataset: { caseId: item.caseId },
        class: this.current?.caseId === item.caseId ? 'selected' : null,
        onclick: () => void this.open(item.caseId),
      },
      el('td', {}, item.externalId),
      el('td', {}, item.kind),
      el('td', {}, team),
      el(
        'td',
        { title: confidence === null ? 'hidden or none' : confidence.toFixed(2) },
        el(
          'span',
          { class: `bar${confidence !== null && confidence < 0.6 ? ' low' : ''}` },
          el('span', { style: `width:${Math.round((confidence ?? 0) * 100)}%` }),
        ),
        confidence === null ? ' —' : ` ${confidence.toFixed(2)}`,
      ),
      el('td', { class: item.escalated ? 'escalated' : null }, why, item.escalated ? ' · escalated' : ''),
      el('td', {}, age(item.createdAt)),
    );
  }

  async open(caseId) {
    this.current = null;
    const panel = $('#case');
    if (!caseId) {
      panel.hidden = true;
      this.render();
      return;
    }
    try {
      this.current = await api(`/v1/cases/${encodeURIComponent(caseId)}`);
    } catch (err) {
      this.say(err.message, true);
      return;
    }
    this.render();
    panel.hidden = false;
    await renderCase(panel, this.current, {
      me: this.me,
      canReview: this.canReview,
      review: (decision, extra) => this.review(decision, extra),
    });
  }

  next() {
    const index = this.items.findIndex((item) => item.caseId === this.current?.caseId);
    const following = this.items[index + 1] ?? this.items[0];
    if (following) void this.open(following.caseId);
  }

  async review(decision, { category, comment } = {}) {
    const decided = this.current;
    if (!decided || !this.canReview) return;
    try {
      const result = await api(`/v1/cases/${encodeURIComponent(decided.caseId)}/review`, {
        method: 'POST',
        body: { decision, ...(category ? { category } : {}), ...(comment ? { comment } : {}) },
      });
      if (result.status === 'decided') this.say(`${decided.externalId}: ${result.decision.outcome.replace('_', ' ')}`);
      else this.say(`${decided.externalId}: your approval is recorded; it waits for a second approver`);
    } catch (err) {
      if (!(err instanceof ApiFailure)) throw err;
      if (err.status === 409) {
        this.say(`${decided.externalId}: someone else decided this case first (${err.message}). Moving on.`, true);
      } else {
        this.say(`${decided.externalId}: ${err.message}`, true);
        return;
      }
    }
    const index = this.items.findIndex((item) => item.caseId === decided.caseId);
    this.items.splice(index, 1);
    this.current = null;
    this.render();
    await this.open(this.items[Math.min(index, this.items.length - 1)]?.caseId ?? null);
  }

  shortcut(key) {
    if (key === 'n') return this.next();
    if (!this.current || !this.canReview) return;
    if (key === 'a') document.querySelector('#approve')?.click();
    if (key === 'r') document.querySelector('#reject')?.click();
    if (key === 'c') document.querySelector('#correct-category')?.focus();
  }

  say(text, problem = false) {
    this.notice.textContent = text;
    this.notice.classList.toggle('conflict', problem);
  }
}
