// Short-lived messages in an aria-live region, so screen readers hear results and errors too.
const region = () => document.getElementById('toasts');

export function notify(message, kind = 'info') {
  const host = region();
  if (!host) return;
  const item = document.createElement('div');
  item.className = `toast toast-${kind}`;
  item.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  item.textContent = message;
  host.append(item);
  // Old messages make way rather than pile up over the page.
  while (host.children.length > 4) host.firstElementChild.remove();
  setTimeout(() => item.remove(), kind === 'error' ? 8000 : 4000);
}

export const notifyError = (err) => notify(err?.message || String(err), 'error');
