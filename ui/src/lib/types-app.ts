// The app's upkeep, as Rust serialises it: updates (src-tauri/src/updates.rs) and start at login
// (src-tauri/src/login_start.rs).

/** The `{code, message}` of a command error (CommandError in Rust). */
export interface BackendErrorShape {
  code: string;
  message: string;
}

/** updates::Available. */
export interface AvailableUpdate {
  version: string;
  notes: string | null;
  date: string | null;
}

/** updates::Phase. */
export type UpdatePhase =
  | 'idle'
  | 'checking'
  | 'downloading'
  | 'waiting_for_run'
  | 'installing'
  | 'restarting';

/** updates::UpdateStatus. */
export interface UpdateStatus {
  current: string;
  phase: UpdatePhase;
  available: AvailableUpdate | null;
  last_checked: string | null;
  error: BackendErrorShape | null;
}

/** login_start::LoginStart. */
export interface LoginStart {
  enabled: boolean;
  chosen_by_merchant: boolean;
}

/** engine::RunReason: why the last run started (the status bar words it). */
export type RunReason =
  | 'scheduled'
  | 'first_run'
  | 'missed_while_closed'
  | 'missed_while_asleep'
  | 'manual';
