// Live engine state shared by the status bar and the views: one `engine://event` subscription
// feeds it. Views watch `live.revision` to reload after a run or an order change.
import { engineStatus, onEngineEvent, toBackendError, type BackendError } from './backend';
import type { EngineEvent, EngineStatus, Phase, RunSummary } from './types';

export interface Progress {
  phase: Phase;
  done: number;
  total: number;
}

export const live = $state<{
  status: EngineStatus | null;
  statusError: BackendError | null;
  progress: Progress | null;
  lastRun: RunSummary | null;
  findingsOpen: number | null;
  revision: number;
}>({ status: null, statusError: null, progress: null, lastRun: null, findingsOpen: null, revision: 0 });

/** Applies one event to the live state (exported for tests). */
export function applyEvent(event: EngineEvent): void {
  switch (event.type) {
    case 'progress':
      live.progress = { phase: event.phase, done: event.done, total: event.total };
      break;
    case 'run_finished': {
      const { type: _type, ...summary } = event;
      live.lastRun = summary;
      live.progress = null;
      live.revision += 1;
      break;
    }
    case 'order_state_changed':
      live.revision += 1;
      break;
    case 'status': {
      const { type: _type, ...status } = event;
      live.status = status;
      live.statusError = null;
      break;
    }
    case 'findings_changed':
      live.findingsOpen = event.open;
      live.revision += 1;
      break;
  }
}

/** Percent done for the progress bar (0–100), or null when the total is unknown. */
export function progressPercent(p: Progress | null): number | null {
  if (!p || p.total <= 0) return null;
  return Math.min(100, Math.round((p.done / p.total) * 100));
}

export async function refreshStatus(): Promise<void> {
  try {
    live.status = await engineStatus();
    live.statusError = null;
  } catch (raw) {
    live.statusError = toBackendError(raw);
  }
}

/** Starts listening; returns the stop function (for onMount cleanup). */
export function startLive(): () => void {
  void refreshStatus();
  const unlisten = onEngineEvent(applyEvent).catch(() => null);
  return () => void unlisten.then((stop) => stop?.());
}
