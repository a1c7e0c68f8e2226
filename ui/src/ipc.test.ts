import { describe, expect, it, vi } from 'vitest';

const invoke = vi.fn();
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...a: unknown[]) => invoke(...a) }));

import { appStatus, toAppError } from './ipc';

describe('toAppError', () => {
  it('passes a well-formed core error through unchanged', () => {
    expect(toAppError({ code: 'DB_CORRUPT', message: 'damaged', extra: 1 })).toEqual({
      code: 'DB_CORRUPT',
      message: 'damaged',
    });
  });

  it('turns an Error or a string into INTERNAL with its text', () => {
    expect(toAppError(new Error('boom'))).toEqual({ code: 'INTERNAL', message: 'boom' });
    expect(toAppError('command app_status not allowed')).toEqual({
      code: 'INTERNAL',
      message: 'command app_status not allowed',
    });
  });

  it('never fails on shapes it does not know', () => {
    for (const odd of [null, undefined, 42, '', { code: 7, message: 'x' }, { message: 'no code' }]) {
      const e = toAppError(odd);
      expect(e.code).toBe('INTERNAL');
      expect(e.message.length).toBeGreaterThan(0);
    }
  });
});

describe('commands', () => {
  it('app_status calls the core and rejects with an AppError', async () => {
    invoke.mockResolvedValueOnce({ version: '0.1.0' });
    await expect(appStatus()).resolves.toEqual({ version: '0.1.0' });
    expect(invoke).toHaveBeenLastCalledWith('app_status', undefined);

    invoke.mockRejectedValueOnce('not allowed');
    await expect(appStatus()).rejects.toEqual({ code: 'INTERNAL', message: 'not allowed' });
  });
});
