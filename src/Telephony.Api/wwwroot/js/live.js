// The SignalR hub connection, re-emitted as DOM events on one EventTarget so views stay decoupled.
import { session } from './api.js';

export const EVENTS = ['yeastar:connected', 'yeastar:disconnected', 'call:new', 'call:ringing', 'call:answered',
  'call:ended', 'call:updated', 'extension:status'];

export const live = new EventTarget();
let connection = null;

function emit(type, detail) { live.dispatchEvent(new CustomEvent(type, { detail })); }

function setState(state) {
  const badge = document.getElementById('live-status');
  if (badge) {
    badge.dataset.state = state;
    badge.textContent = { connected: 'Live', connecting: 'Connecting…', reconnecting: 'Reconnecting…', disconnected: 'Offline' }[state];
  }
  emit('live:state', state);
}

export async function startLive() {
  await stopLive();
  const signalR = window.signalR;
  if (!signalR) {
    setState('disconnected');
    throw new Error('The SignalR client is missing (run scripts/lib/web-assets.sh)');
  }
  const ext = session.extension;
  const conn = new signalR.HubConnectionBuilder()
    .withUrl('/hubs/calls' + (ext ? '?extension=' + encodeURIComponent(ext) : ''), { accessTokenFactory: () => session.key })
    .withAutomaticReconnect({ nextRetryDelayInMilliseconds: (ctx) => Math.min(30000, 1000 * 2 ** Math.min(ctx.previousRetryCount, 5)) })
    .configureLogging(signalR.LogLevel.Warning)
    .build();
  connection = conn;
  for (const name of EVENTS) conn.on(name, (payload) => emit(name, payload));
  conn.onreconnecting(() => setState('reconnecting'));
  // Pushes missed while reconnecting are gone: views reload their snapshot on 'live:resync'.
  conn.onreconnected(() => { setState('connected'); emit('live:resync'); });
  conn.onclose(() => {
    if (connection !== conn) return;
    setState('disconnected');
    setTimeout(() => { if (connection === conn) startLive().catch(() => {}); }, 5000);
  });
  setState('connecting');
  try {
    await conn.start();
  } catch (err) {
    if (connection !== conn) return;
    setState('disconnected');
    setTimeout(() => { if (connection === conn) startLive().catch(() => {}); }, 5000);
    throw err;
  }
  if (connection === conn) setState('connected');
}

export async function stopLive() {
  const conn = connection;
  connection = null;
  if (conn) await conn.stop().catch(() => {});
}

export function on(name, handler) {
  live.addEventListener(name, (e) => handler(e.detail));
}
