import { afterEach, describe, expect, it, vi } from 'vitest';

const invoke = vi.fn();
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...a: unknown[]) => invoke(...a) }));

import { appStatus, toAppError, UNKNOWN_ERROR_MESSAGE } from './ipc';

afterEach(() => invoke.mockReset());

describe('toAppError', () => {
  it('passes a well-formed core error through, keeping only code and message', () => {
    const e = toAppError({ code: 'DB_CORRUPT', message: 'The archive file /x/cubedesk.db is damaged.', extra: 1 });
    expect(e).toEqual({ code: 'DB_CORRUPT', message: 'The archive file /x/cubedesk.db is damaged.' });
    expect(Object.keys(e).sort()).toEqual(['code', 'message']);
  });

  it('keeps the code of an Error that carries one', () => {
    const err = Object.assign(new Error('disk is full'), { code: 'DISK_FULL' });
    expect(toAppError(err)).toEqual({ code: 'DISK_FULL', message: 'disk is full' });
  });

  it('turns an Error or a string into INTERNAL with its text', () => {
    expect(toAppError(new Error('boom'))).toEqual({ code: 'INTERNAL', message: 'boom' });
    expect(toAppError(new TypeError(''))).toEqual({ code: 'INTERNAL', message: 'TypeError' });
    expect(toAppError('command app_status not allowed')).toEqual({
      code: 'INTERNAL',
      message: 'command app_status not allowed',
    });
  });

  it('gives a known code with no text a sentence instead of a blank', () => {
    expect(toAppError({ code: 'DB_UNAVAILABLE', message: '' })).toEqual({
      code: 'DB_UNAVAILABLE',
      message: UNKNOWN_ERROR_MESSAGE,
    });
  });

  it('never fails, and never invents a code, on shapes it does not know', () => {
    const throwingGetter = Object.defineProperty({}, 'code', {
      get() {
        throw new Error('nope');
      },
    });
    const { proxy: revoked, revoke } = Proxy.revocable({}, {});
    revoke();
    const odd: unknown[] = [
      null,
      undefined,
      42,
      NaN,
      true,
      '',
      Symbol('s'),
      [],
      Object.create(null),
      { code: 7, message: 'x' },
      { code: '', message: 'x' },
      { code: 'DB_CORRUPT' },
      { message: 'no code' },
      throwingGetter,
      revoked,
    ];
    for (const value of odd) {
      expect(toAppError(value)).toEqual({ code: 'INTERNAL', message: UNKNOWN_ERROR_MESSAGE });
    }
  });
});

describe('commands', () => {
  it('app_status calls the core by name and returns what it answers', async () => {
    invoke.mockResolvedValueOnce({ version: '0.1.0' });
    await expect(appStatus()).resolves.toEqual({ version: '0.1.0' });
    expect(invoke).toHaveBeenLastCalledWith('app_status', undefined);
  });

  it('app_status rejects with an AppError whatever the core threw', async () => {
    invoke.mockRejectedValueOnce({ code: 'ALREADY_RUNNING', message: 'CubeDesk is already open.' });
    await expect(appStatus()).rejects.toEqual({ code: 'ALREADY_RUNNING', message: 'CubeDesk is already open.' });
    invoke.mockRejectedValueOnce('not allowed');
    await expect(appStatus()).rejects.toEqual({ code: 'INTERNAL', message: 'not allowed' });
  });
});
