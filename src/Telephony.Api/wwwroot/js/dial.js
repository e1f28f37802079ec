// Click-to-call: any <button class="dial" data-number> on the page dials from my extension.
import { api, session } from './api.js';
import { notify, notifyError } from './notify.js';

let onExtensionChosen = () => {};

/** Ask for my extension inline (a <dialog>, not prompt()), remembering it for the session. */
function askExtension(number) {
  const dialog = document.getElementById('dial-dialog');
  const form = document.getElementById('dial-form');
  const input = document.getElementById('dial-from');
  document.getElementById('dial-target').textContent = number;
  input.value = session.extension;
  return new Promise((resolve) => {
    const finish = (value) => {
      form.removeEventListener('submit', submit);
      dialog.removeEventListener('close', cancel);
      if (dialog.open) dialog.close();
      resolve(value);
    };
    const submit = (e) => {
      e.preventDefault();
      const value = input.value.trim();
      if (!value) { input.focus(); return; }
      finish(value);
    };
    const cancel = () => finish('');
    form.addEventListener('submit', submit);
    dialog.addEventListener('close', cancel);
    dialog.showModal();
    input.focus();
  });
}

export async function dial(number) {
  let from = session.extension;
  if (!from) {
    from = await askExtension(number);
    if (!from) return;
    session.setExtension(from);
    onExtensionChosen(from);
  }
  try {
    await api.dial(from, number);
    notify(`Calling ${number} from ${from} — pick up your phone`);
  } catch (err) {
    notifyError(err);
  }
}

export function initDial({ extensionChosen }) {
  onExtensionChosen = extensionChosen;
  document.getElementById('dial-cancel').addEventListener('click', () => document.getElementById('dial-dialog').close());
  document.addEventListener('click', (e) => {
    const button = e.target.closest('button.dial');
    if (!button || !button.dataset.number) return;
    e.preventDefault();
    e.stopPropagation();
    if (button.dataset.busy) return;
    button.dataset.busy = '1';
    dial(button.dataset.number).finally(() => delete button.dataset.busy);
  });
}
