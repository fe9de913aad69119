// The update state shared by the header's version label and the update banner: one read of
// `update_status`, then every `update://status` event. Errors of the automatic checks (no network,
// feed down) stay out of sight; an error is shown once the merchant asked (check or install).
import { checkUpdate, installUpdate, onUpdateStatus, toBackendError, updateStatus } from './backend';
import type { UpdateStatus } from './types-app';

export const updates = $state<{ status: UpdateStatus | null; error: string | null; asked: boolean }>({
  status: null,
  error: null,
  asked: false,
});

/** Starts following the update state; returns the stop function. */
export function followUpdates(): () => void {
  updateStatus().then(
    (s) => (updates.status = s),
    () => (updates.status = null),
  );
  const unlisten = onUpdateStatus((s) => {
    updates.status = s;
    updates.error = updates.asked ? (s.error?.message ?? null) : null;
  }).catch(() => null);
  // The listener may already be gone (the window closing, or a test clearing its mocks).
  return () => void unlisten.then((stop) => stop?.()).catch(() => null);
}

async function ask(fn: () => Promise<UpdateStatus>) {
  updates.asked = true;
  updates.error = null;
  try {
    updates.status = await fn();
    updates.error = updates.status.error?.message ?? null;
  } catch (raw) {
    updates.error = toBackendError(raw).message;
  }
}

/** "Check for updates". */
export const checkNow = () => ask(checkUpdate);
/** "Install and restart": the merchant agreed. */
export const installNow = () => ask(installUpdate);
