// One case in front of the reviewer: the input (a ticket's text; an invoice's PDF beside the
// fields read off it with their confidences), the agent's proposal with its reasons, the match
// and fraud findings, the case's history, and the decisions its kind takes.
import { fetchBlob } from './api.js';
import { renderPdf } from './pdf-view.js';
import { age, el, money } from './dom.js';

function proposalOfTicket(view) {
  const suggestion = view.suggestion;
  if (!suggestion)
    return el(
      'p',
      {},
      view.suggestionHidden ? 'The proposal is hidden in shutdown: decide from the ticket.' : 'No proposal yet.',
    );
  return el(
    'div',
    {},
    el(
      'p',
      {},
      'The agent proposes ',
      el('strong', {}, suggestion.category),
      ` (${suggestion.intent}) at ${suggestion.confidence.toFixed(2)}`,
      suggestion.runnerUp
        ? `; runner-up ${suggestion.runnerUp.category} ${suggestion.runnerUp.confidence.toFixed(2)}`
        : '',
    ),
    suggestion.explanation?.length
      ? el('p', {}, 'Words that drove it: ', suggestion.explanation.map((item) => item.feature).join(', '))
      : null,
    suggestion.nearest?.length
      ? el(
          'details',
          {},
          el('summary', {}, 'Nearest labelled tickets'),
          el(
            'ul',
            {},
            suggestion.nearest.map((near) => el('li', {}, `${near.intent}: ${near.text}`)),
          ),
        )
      : null,
    view.critical
      ? el('p', { class: 'error' }, `Critical rule ${view.critical.rule} names ${view.critical.category}`)
      : null,
  );
}

function fieldsTable(fields) {
  return el(
    'table',
    { class: 'fields' },
    el(
      'tbody',
      {},
      Object.entries(fields).map(([name, field]) =>
        el(
          'tr',
          {},
          el('td', {}, name),
          el('td', {}, String(field.value)),
          el('td', { title: field.evidence }, field.confidence.toFixed(2)),
        ),
      ),
    ),
  );
}

function proposalOfInvoice(view) {
  const suggestion = view.suggestion;
  if (!suggestion) return el('p', {}, 'The assessment is hidden in shutdown: decide from the document.');
  const facts = suggestion.facts;
  return el(
    'div',
    {},
    el(
      'p',
      {},
      'The agent proposes ',
      el('strong', {}, suggestion.category),
      ` at ${suggestion.confidence.toFixed(2)}; `,
      `total ${money(facts.total, facts.currency)}; ${suggestion.approvers.reason}`,
    ),
    el(
      'ul',
      {},
      (suggestion.explanation ?? []).map((line) => el('li', {}, line)),
    ),
    suggestion.fraud.signals.length
      ? el(
          'div',
          {},
          el('h4', {}, `Fraud signals (score ${suggestion.fraud.score})`),
          el(
            'ul',
            {},
            suggestion.fraud.signals.map((signal) =>
              el(
                'li',
                { class: signal.gate ? 'error' : null },
                `${signal.name} (${signal.gate ? 'gate' : signal.weight}): ${signal.detail}`,
              ),
            ),
          ),
        )
      : null,
    el('h4', {}, `Purchase order: ${suggestion.match.status}`),
    el(
      'ul',
      {},
      suggestion.match.explanation.map((line) => el('li', {}, line)),
    ),
    el('h4', {}, 'Fields read'),
    fieldsTable(suggestion.fields),
  );
}

function history(view, me) {
  const entries = [
    ['received', view.createdAt],
    ...(view.invoice?.approvals ?? []).map((approval) => [
      `approved by ${approval.reviewer} (${approval.via})`,
      approval.at,
    ]),
    ...(view.refusedReviews ?? []).map((refused) => [
      `refused ${refused.decision ?? 'review'} from ${refused.reviewer ?? '?'}: ${refused.message}`,
      refused.at,
    ]),
    ...(view.decision
      ? [
          [
            `decided: ${view.decision.outcome}${view.decision.reviewer ? ` by ${view.decision.reviewer}` : ''}`,
            view.decision.decidedAt,
          ],
        ]
      : []),
    ...(view.outcomes ?? []).map((outcome) => [
      `${outcome.source} by ${outcome.foundBy}: ${outcome.verdict}`,
      outcome.at,
    ]),
  ].sort((a, b) => Date.parse(a[1]) - Date.parse(b[1]));
  const link = me.links?.workflow
    ? me.links.workflow.replace('{workflowId}', encodeURIComponent(view.workflowId))
    : null;
  return el(
    'div',
    {},
    el('h4', {}, 'History'),
    el(
      'ol',
      {},
      entries.map(([what, at]) => el('li', {}, `${new Date(at).toLocaleString()}: ${what}`)),
    ),
    link
      ? el(
          'a',
          { href: link, target: '_blank', rel: 'noopener', id: 'workflow-link' },
          'Open the workflow in the Temporal Web UI',
        )
      : null,
  );
}

function actions(view, kinds, review) {
  const rules = kinds[view.kind];
  const comment = el('textarea', { id: 'comment', rows: 2, placeholder: 'comment (optional)' });
  const withComment = (extra = {}) => ({ ...extra, comment: comment.value.trim() || undefined });
  const buttons = [];
  if (rules.decisions.includes('approve'))
    buttons.push(el('button', { id: 'approve', onclick: () => review('approve', withComment()) }, 'Approve (a)'));
  if (rules.decisions.includes('correct')) {
    const select = el(
      'select',
      { id: 'correct-category', 'aria-label': 'correct to' },
      el('option', { value: '' }, 'correct to…'),
      rules.categories.map((category) => el('option', { value: category }, category)),
    );
    select.addEventListener('change', () => {
      if (select.value) review('correct', withComment({ category: select.value }));
    });
    buttons.push(select);
  }
  if (rules.decisions.includes('reject'))
    buttons.push(el('button', { id: 'reject', onclick: () => review('reject', withComment()) }, 'Reject (r)'));
  if (rules.decisions.includes('request_changes'))
    buttons.push(
      el(
        'button',
        { id: 'request-changes', onclick: () => review('request_changes', withComment()) },
        'Request changes',
      ),
    );
  return el('div', { class: 'actions' }, comment, buttons);
}

export async function renderCase(panel, view, { me, canReview, review }) {
  const header = el(
    'h2',
    {},
    `${view.kind} ${view.externalId} · ${view.status}${view.escalated ? ' · escalated' : ''} · ${age(view.createdAt)} old`,
  );
  const why = el(
    'p',
    {},
    `Waiting because: ${view.status === 'audit' ? 'audit sample' : view.routeReason} (mode ${view.mode})`,
  );
  let input;
  if (view.kind === 'invoice') {
    const document = el('div', { class: 'pdf', id: 'pdf' }, 'loading the PDF…');
    input = el('div', { class: 'invoice-view' }, document, proposalOfInvoice(view));
    fetchBlob(view.invoice.document.href)
      .then((blob) => renderPdf(document, blob))
      .catch((err) =>
        document.replaceChildren(el('p', { class: 'error' }, `The PDF could not be shown: ${err.message}`)),
      );
  } else {
    input = el(
      'div',
      {},
      el('h3', {}, view.ticket.subject),
      el('p', { class: 'ticket-body' }, view.ticket.body),
      proposalOfTicket(view),
    );
  }
  const waiting = ['awaiting_review', 'escalated', 'manual', 'audit'].includes(view.status);
  panel.replaceChildren(
    header,
    why,
    input,
    canReview && waiting ? actions(view, me.kinds, review) : null,
    history(view, me),
  );
}
