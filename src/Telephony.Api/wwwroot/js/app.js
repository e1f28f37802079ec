// Entry point: sign-in, then wires the live connection to the board, pop-ups, history, stats and callbacks.
import { api, session, setUnauthorizedHandler } from './api.js';
import { startLive, stopLive, on } from './live.js';
import { initBoard, loadBoard } from './board.js';
import { initPopups, popupsFromSnapshot, clearPopups } from './popup.js';
import { initDial } from './dial.js';
import { initHistory, loadHistory } from './history.js';
import { initStats, loadStats } from './stats.js';
import { initCallbacks, loadCallbacks } from './callbacks.js';
import { notifyError } from './notify.js';

const $ = (id) => document.getElementById(id);

function showSignIn(message) {
  document.body.dataset.view = 'signin';
  $('app').hidden = true;
  $('signin-view').hidden = false;
  $('signin-error').hidden = !message;
  $('signin-error').textContent = message || '';
  $('my-extension').value = session.extension;
  $('agent-key').focus();
}

function showExtension() {
  const ext = session.extension;
  $('me-extension').textContent = ext ? `Ext. ${ext}` : 'No extension set';
  $('me-extension').title = ext ? 'Pop-ups and click-to-call use this extension' : 'Pop-ups show for every incoming call';
}

async function refreshAll() {
  const active = await loadBoard();
  popupsFromSnapshot(active);
  loadCallbacks();
}

async function enterApp() {
  document.body.dataset.view = 'app';
  $('signin-view').hidden = true;
  $('app').hidden = false;
  showExtension();
  // Connect first, then take the snapshot, so nothing that happens in between is lost.
  await startLive().catch((err) => notifyError(err));
  await refreshAll();
  loadHistory();
  loadStats();
}

async function signOut(message) {
  session.signOut();
  clearPopups();
  await stopLive();
  showSignIn(message);
}

async function changeExtension(ext) {
  session.setExtension(ext);
  showExtension();
  clearPopups();
  // The hub joins the extension's group from the connection URL, so reconnect with the new one.
  await startLive().catch((err) => notifyError(err));
  await refreshAll();
}

function initSignIn() {
  $('signin').addEventListener('submit', async (e) => {
    e.preventDefault();
    const key = $('agent-key').value.trim();
    const ext = $('my-extension').value.trim();
    if (!key) { showSignIn('Enter your agent key.'); return; }
    const button = $('signin-submit');
    button.disabled = true;
    try {
      await api.pbx(key);
      session.signIn(key, ext);
      $('agent-key').value = '';
      await enterApp();
    } catch (err) {
      showSignIn(err.status === 401 ? 'That agent key was not accepted.' : err.message);
    } finally {
      button.disabled = false;
    }
  });
}

function initExtensionForm() {
  const form = $('ext-form');
  const input = $('ext-input');
  $('me-extension').addEventListener('click', () => {
    form.hidden = !form.hidden;
    $('me-extension').setAttribute('aria-expanded', String(!form.hidden));
    if (!form.hidden) { input.value = session.extension; input.focus(); }
  });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    form.hidden = true;
    $('me-extension').setAttribute('aria-expanded', 'false');
    await changeExtension(input.value.trim());
  });
  $('ext-cancel').addEventListener('click', () => { form.hidden = true; $('me-extension').setAttribute('aria-expanded', 'false'); });
}

function init() {
  setUnauthorizedHandler(() => { if (session.key) signOut('Your session ended or the key was revoked. Sign in again.'); });
  initSignIn();
  initExtensionForm();
  initDial({ extensionChosen: () => changeExtension(session.extension) });
  initBoard();
  initPopups();
  initHistory();
  initStats();
  initCallbacks();
  on('live:resync', refreshAll);
  $('signout').addEventListener('click', () => signOut());
  if ($('notify-enable') && 'Notification' in window && Notification.permission === 'default') {
    $('notify-enable').hidden = false;
    $('notify-enable').addEventListener('click', () => Notification.requestPermission().then(() => { $('notify-enable').hidden = true; }));
  }
  if (session.key) enterApp(); else showSignIn();
}

init();
