// The review desk: sign in with an API key, then the queue and, for auditors and ops, the
// dashboards. What the page shows follows the key's roles; the API enforces them again.
import { api, session } from './api.js';
import { startDashboard, stopDashboard } from './dashboard.js';
import { Queue } from './queue.js';

const $ = (selector) => document.querySelector(selector);
let queue = null;

async function signIn(key) {
  session.key = key;
  try {
    const me = await api('/v1/me');
    show(me);
  } catch (err) {
    session.key = null;
    $('#sign-in-error').textContent = err.status === 401 ? 'That key is not valid.' : err.message;
  }
}

function show(me) {
  $('#sign-in-panel').hidden = true;
  $('#desk').hidden = false;
  $('#tabs').hidden = false;
  $('#sign-out').hidden = false;
  $('#who').textContent = `${me.holder} (${me.roles.join(', ')})`;
  const canSeeDashboards = me.roles.includes('auditor') || me.roles.includes('ops');
  $('#tab-dashboard').hidden = !canSeeDashboards;
  // Only ops change the mode; the API refuses anyone else (403) whatever the page shows.
  $('#mode-form').hidden = !me.roles.includes('ops');
  queue = new Queue({ me, notice: $('#notice') });
  void queue.load();
}

function switchTab(tab) {
  for (const button of document.querySelectorAll('#tabs button'))
    button.classList.toggle('active', button.dataset.tab === tab);
  for (const panel of document.querySelectorAll('[data-panel]')) panel.hidden = panel.dataset.panel !== tab;
  if (tab === 'dashboard') startDashboard();
  else stopDashboard();
}

$('#sign-in-form').addEventListener('submit', (event) => {
  event.preventDefault();
  $('#sign-in-error').textContent = '';
  void signIn($('#key').value.trim());
});
$('#sign-out').addEventListener('click', () => {
  session.key = null;
  location.reload();
});
for (const button of document.querySelectorAll('#tabs button'))
  button.addEventListener('click', () => switchTab(button.dataset.tab));
document.addEventListener('keydown', (event) => {
  if (!queue || event.target.matches('input, textarea, select') || event.metaKey || event.ctrlKey || event.altKey)
    return;
  queue.shortcut(event.key);
});

if (session.key) void signIn(session.key);
