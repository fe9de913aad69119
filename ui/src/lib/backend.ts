// The one module through which the UI reaches Rust: every `invoke` and `listen` goes through here,
// so tests can replace the backend in one place and errors arrive in one shape.
import { invoke } from '@tauri-apps/api/core';
import { listen, type UnlistenFn } from '@tauri-apps/api/event';

/** What the backend reports about itself (Rust: `commands::AppStatus`). */
export interface AppStatus {
  version: string;
  dataDir: string;
  logDir: string;
  roundTrips: number;
}

/** An error from a command: branch on `code`, show `message`. */
export class BackendError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'BackendError';
    this.code = code;
  }
}

/** Turns whatever `invoke` rejected with into a BackendError. */
export function toBackendError(raw: unknown): BackendError {
  if (raw instanceof BackendError) return raw;
  if (typeof raw === 'object' && raw !== null && 'code' in raw && 'message' in raw) {
    const { code, message } = raw as { code: unknown; message: unknown };
    return new BackendError(String(code), String(message));
  }
  if (raw instanceof Error) return new BackendError('ui.unexpected', raw.message);
  return new BackendError('ui.unexpected', typeof raw === 'string' ? raw : JSON.stringify(raw));
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (raw) {
    throw toBackendError(raw);
  }
}

/** Asks the backend for its status; each call is one live round trip to Rust. */
export function appStatus(): Promise<AppStatus> {
  return call<AppStatus>('app_status');
}

/** Event names, one place (Rust: `tray::EVENT_SYNC_REQUESTED`). */
export const EVENTS = {
  syncRequested: 'sync://requested',
} as const;

/** Calls `handler` with the source ("tray", …) whenever a sync is requested outside the window. */
export function onSyncRequested(handler: (source: string) => void): Promise<UnlistenFn> {
  return listen<string>(EVENTS.syncRequested, (event) => handler(event.payload));
}
