// The one typed door to the Rust core. Types here mirror the Rust command types
// (src-tauri/commands/); every command's failure arrives as an AppError.
import { invoke } from '@tauri-apps/api/core';

/** Stable codes the core uses (src-tauri/commands/error.rs). */
export type ErrorCode =
  | 'DATA_DIR_UNWRITABLE'
  | 'ALREADY_RUNNING'
  | 'DB_NOT_SQLITE'
  | 'DB_NOT_CUBEDESK'
  | 'DB_CORRUPT'
  | 'DB_NEWER_SCHEMA'
  | 'DB_UNAVAILABLE'
  | 'DISK_FULL'
  | 'INVALID_PHONE'
  | 'TEXT_EMPTY'
  | 'TEXT_TOO_LONG'
  | 'WINDOW_CLOSED'
  | 'INBOUND_ONLY_TYPE'
  | 'TEMPLATE_PARAMS_MISMATCH'
  | 'TEMPLATE_PARAM_INVALID'
  | 'INTERNAL';

export interface AppError {
  code: ErrorCode | string;
  message: string;
}

export interface AppStatus {
  version: string;
  dataDir: string;
  dbPath: string;
  schemaVersion: number;
  accounts: number;
  conversations: number;
}

/** Whatever a failed call threw, as an AppError; never throws itself. */
export function toAppError(e: unknown): AppError {
  if (typeof e === 'object' && e !== null) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && typeof message === 'string') {
      return { code, message };
    }
    if (e instanceof Error) {
      return { code: 'INTERNAL', message: e.message || String(e) };
    }
  }
  if (typeof e === 'string' && e.length > 0) {
    return { code: 'INTERNAL', message: e };
  }
  return { code: 'INTERNAL', message: 'Something went wrong inside CubeDesk.' };
}

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    throw toAppError(e);
  }
}

export const appStatus = (): Promise<AppStatus> => call<AppStatus>('app_status');
