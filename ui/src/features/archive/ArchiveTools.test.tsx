import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';

const invoke = vi.fn();
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...a: unknown[]) => invoke(...a) }));
const save = vi.fn();
const open = vi.fn();
vi.mock('@tauri-apps/plugin-dialog', () => ({ save: (...a: unknown[]) => save(...a), open: (...a: unknown[]) => open(...a) }));

import type { ImportPreview, NumberSummary } from '../../ipc';
import { ArchiveTools } from './ArchiveTools';
import { ExportButton } from './ExportButton';
import { formatBytes, isoDay } from './files';

type Answers = Record<string, (args: any) => unknown>;
let answers: Answers;
const calls = (cmd: string) => invoke.mock.calls.filter((c) => c[0] === cmd).map((c) => c[1]);

beforeEach(() => {
  answers = {};
  invoke.mockImplementation(async (cmd: string, args: unknown) => {
    const a = answers[cmd];
    if (!a) throw { code: 'INTERNAL', message: `unexpected ${cmd}` };
    return a(args);
  });
});

afterEach(() => {
  cleanup();
  invoke.mockReset();
  save.mockReset();
  open.mockReset();
});

const $ = <T extends Element = HTMLElement>(sel: string) => document.querySelector<T & HTMLElement>(sel)!;
const today = isoDay(new Date());

describe('Export everything', () => {
  it('a cancelled save dialog exports nothing', async () => {
    save.mockResolvedValue(null);
    render(<ArchiveTools lang="en" />);
    fireEvent.click($('#archive-export'));
    await waitFor(() => expect(save).toHaveBeenCalled());
    await waitFor(() => expect($<HTMLButtonElement>('#archive-export').disabled).toBe(false));
    expect(calls('export_archive')).toHaveLength(0);
  });

  it('exports everything in the chosen format to the chosen path and says how many', async () => {
    let finish: (v: unknown) => void = () => {};
    answers.export_archive = () => new Promise((r) => (finish = r));
    save.mockResolvedValue('D:\\Backups\\all.json');
    render(<ArchiveTools lang="en" />);
    fireEvent.change($('#archive-export-format'), { target: { value: 'json' } });
    fireEvent.click($('#archive-export'));
    // Busy while the core works.
    await waitFor(() => expect($<HTMLButtonElement>('#archive-export').textContent).toContain('Working…'));
    expect($<HTMLButtonElement>('#archive-export').disabled).toBe(true);
    expect(save.mock.calls[0][0].defaultPath).toBe(`cubedesk-archive-${today}.json`);
    expect(save.mock.calls[0][0].filters[0].extensions).toEqual(['json']);
    expect(calls('export_archive')[0]).toEqual({ scope: { kind: 'all' }, format: 'json', path: 'D:\\Backups\\all.json' });
    finish({ path: 'D:\\Backups\\all.json', messages: 12345, bytes: 1000 });
    expect((await screen.findByRole('status')).textContent).toBe('Saved 12,345 messages to D:\\Backups\\all.json');
  });

  it('shows the core\'s message when the export fails', async () => {
    answers.export_archive = () => {
      throw { code: 'DISK_FULL', message: 'The disk is full.' };
    };
    save.mockResolvedValue('/x.csv');
    render(<ArchiveTools lang="en" />);
    fireEvent.click($('#archive-export'));
    expect((await screen.findByRole('alert')).textContent).toBe('The disk is full.');
  });
});

describe('ExportButton', () => {
  it('offers three formats and exports its scope with the default name', async () => {
    answers.export_archive = (a) => ({ path: a.path, messages: 1, bytes: 10 });
    save.mockResolvedValue('/home/me/sara.html');
    render(<ExportButton lang="en" scope={{ kind: 'conversation', conversationId: 9 }} defaultName="cubedesk-sara-2026-11-30" />);
    fireEvent.click(screen.getByRole('button', { name: 'Export…' }));
    const menu = screen.getByRole('group', { name: 'Choose a format to export' });
    expect(within(menu).getAllByRole('button')).toHaveLength(3);
    fireEvent.click(within(menu).getByRole('button', { name: 'Page you can print (HTML)' }));
    await screen.findByText('Saved 1 message to /home/me/sara.html');
    expect(save.mock.calls[0][0].defaultPath).toBe('cubedesk-sara-2026-11-30.html');
    expect(calls('export_archive')[0]).toEqual({ scope: { kind: 'conversation', conversationId: 9 }, format: 'html', path: '/home/me/sara.html' });
  });
});

const preview = (over: Partial<ImportPreview> = {}): ImportPreview => ({
  messages: 120,
  notices: 2,
  authors: [
    { name: 'Sara', count: 70 },
    { name: 'Ahmed Shop', count: 50 },
  ],
  suggestedMe: 'Ahmed Shop',
  firstAt: '2025-01-03T10:00:00Z',
  lastAt: '2025-12-30T18:00:00Z',
  dateOrder: 'dayFirst',
  alreadyImported: 0,
  problems: [
    { line: 17, text: '31/02/2025, 10:00 - ???', reason: 'Not a real date' },
    { line: 240, text: 'garbage line', reason: 'No date at the start' },
  ],
  ...over,
});

async function pickAndPreview(numbers: NumberSummary[] = []) {
  open.mockResolvedValue('/home/me/WhatsApp Chat with Sara.txt');
  render(<ArchiveTools lang="en" numbers={numbers} />);
  fireEvent.click($('#import-file'));
  await screen.findByText('WhatsApp Chat with Sara.txt');
  expect(open.mock.calls[0][0].filters[0].extensions).toEqual(['txt']);
  fireEvent.change($('#import-phone'), { target: { value: '+966 50 123 4567' } });
  fireEvent.change($('#import-name'), { target: { value: 'Sara' } });
  fireEvent.click($('#import-preview'));
}

describe('Import a WhatsApp chat', () => {
  it('shows what the file holds, the problem lines with their numbers, and preselects the core\'s guess', async () => {
    answers.preview_import = () => preview();
    await pickAndPreview();
    await screen.findByText('Lines CubeDesk could not read: 2');
    expect(calls('preview_import')[0]).toEqual({
      input: { path: '/home/me/WhatsApp Chat with Sara.txt', phone: '+966 50 123 4567', customerName: 'Sara', numberId: null, dateOrder: null },
    });
    expect($('#import-found').textContent).toBe('120');
    const problems = screen.getAllByRole('listitem').map((li) => li.textContent);
    expect(problems[0]).toContain('Line 17');
    expect(problems[0]).toContain('31/02/2025, 10:00 - ???');
    expect(problems[0]).toContain('Not a real date');
    expect(problems[1]).toContain('Line 240');
    const me = screen.getByRole('group', { name: 'Which one is you?' });
    expect((within(me).getByRole('radio', { name: /Ahmed Shop/ }) as HTMLInputElement).checked).toBe(true);
    expect((within(me).getByRole('radio', { name: /Sara/ }) as HTMLInputElement).checked).toBe(false);
    expect($('#import-confirm').textContent).toBe('Import 120 messages');
  });

  it('the "which one is you" choice is what importChat gets, and the result is reported', async () => {
    answers.preview_import = () => preview();
    answers.import_chat = () => ({ conversationId: 5, imported: 117, duplicates: 3, problems: [] });
    await pickAndPreview();
    const me = await screen.findByRole('group', { name: 'Which one is you?' });
    fireEvent.click(within(me).getByRole('radio', { name: /Sara/ }));
    fireEvent.click($('#import-confirm'));
    expect((await screen.findByRole('status')).textContent).toBe('Import finished. New messages: 117 · already in the archive: 3.');
    expect(calls('import_chat')[0]).toEqual({
      input: {
        path: '/home/me/WhatsApp Chat with Sara.txt',
        phone: '+966 50 123 4567',
        customerName: 'Sara',
        numberId: null,
        dateOrder: 'dayFirst',
        me: 'Sara',
      },
    });
  });

  it('without a guess, nothing is imported until the owner says who they are', async () => {
    answers.preview_import = () => preview({ suggestedMe: null });
    answers.import_chat = () => ({ conversationId: 5, imported: 120, duplicates: 0, problems: [] });
    await pickAndPreview();
    await screen.findByText('Choose which one is you to continue.');
    expect($<HTMLButtonElement>('#import-confirm').disabled).toBe(true);
    fireEvent.click(screen.getByRole('radio', { name: /None of them/ }));
    fireEvent.click($('#import-confirm'));
    await waitFor(() => expect(calls('import_chat')).toHaveLength(1));
    expect(calls('import_chat')[0].input.me).toBe(''); // empty: none of the authors is the owner
  });

  it('switching the date order checks the file again with that order', async () => {
    answers.preview_import = (a) => preview({ dateOrder: a.input.dateOrder ?? 'dayFirst', firstAt: a.input.dateOrder === 'monthFirst' ? '2025-03-01T10:00:00Z' : '2025-01-03T10:00:00Z' });
    answers.import_chat = () => ({ conversationId: 5, imported: 1, duplicates: 0, problems: [] });
    await pickAndPreview();
    const order = await screen.findByRole('group', { name: 'How the dates are written in the file' });
    expect((within(order).getByRole('radio', { name: /Day first/ }) as HTMLInputElement).checked).toBe(true);
    fireEvent.click(within(order).getByRole('radio', { name: /Month first/ }));
    await waitFor(() => expect(calls('preview_import')).toHaveLength(2));
    expect(calls('preview_import')[1].input.dateOrder).toBe('monthFirst');
    await waitFor(() => expect((screen.getByRole('radio', { name: /Month first/ }) as HTMLInputElement).checked).toBe(true));
    fireEvent.click($('#import-confirm'));
    await waitFor(() => expect(calls('import_chat')).toHaveLength(1));
    expect(calls('import_chat')[0].input.dateOrder).toBe('monthFirst');
    expect(calls('import_chat')[0].input.me).toBe('Ahmed Shop');
  });

  it('only the new messages are counted, and a file already imported offers nothing to import', async () => {
    answers.preview_import = () => preview({ alreadyImported: 100 });
    await pickAndPreview();
    await waitFor(() => expect($('#import-confirm').textContent).toBe('Import 20 messages'));
    expect($('#import-already').textContent).toBe('100');
    cleanup();
    answers.preview_import = () => preview({ alreadyImported: 120 });
    await pickAndPreview();
    await screen.findByText('Everything in this file is already in the archive.');
    expect(document.querySelector('#import-confirm')).toBeNull();
  });

  it('an error from the core shows its message and the form keeps its values', async () => {
    answers.preview_import = () => {
      throw { code: 'INVALID_PHONE', message: 'This phone number is not valid.' };
    };
    await pickAndPreview();
    expect((await screen.findByRole('alert')).textContent).toBe('This phone number is not valid.');
    expect($<HTMLInputElement>('#import-phone').value).toBe('+966 50 123 4567');
    expect($<HTMLInputElement>('#import-name').value).toBe('Sara');
    expect(screen.getByText('WhatsApp Chat with Sara.txt')).toBeTruthy();
  });

  it('with several WhatsApp numbers, the chosen one is sent', async () => {
    answers.preview_import = () => preview();
    await pickAndPreview([
      { id: 1, apiId: 'a', displayName: 'Shop', webhookAccountId: null },
      { id: 2, apiId: 'b', displayName: 'Clinic', webhookAccountId: null },
    ]);
    await waitFor(() => expect(calls('preview_import')).toHaveLength(1));
    expect(calls('preview_import')[0].input.numberId).toBe(1);
    fireEvent.change($('#import-number'), { target: { value: '2' } });
    fireEvent.click($('#import-preview'));
    await waitFor(() => expect(calls('preview_import')).toHaveLength(2));
    expect(calls('preview_import')[1].input.numberId).toBe(2);
  });
});

describe('Backup and restore', () => {
  it('backs up to the chosen file and shows the size', async () => {
    answers.backup_archive = (a) => ({ path: a.path, bytes: 12_897_485 });
    save.mockResolvedValue('/media/usb/cubedesk.db');
    render(<ArchiveTools lang="en" />);
    fireEvent.click($('#backup-now'));
    expect((await screen.findByRole('status')).textContent).toBe('Backup saved (12.3 MB) to /media/usb/cubedesk.db');
    expect(save.mock.calls[0][0].defaultPath).toBe(`cubedesk-backup-${today}.db`);
    expect(calls('backup_archive')[0]).toEqual({ path: '/media/usb/cubedesk.db' });
  });

  it('a cancelled backup dialog does nothing', async () => {
    save.mockResolvedValue(null);
    render(<ArchiveTools lang="en" />);
    fireEvent.click($('#backup-now'));
    await waitFor(() => expect(save).toHaveBeenCalled());
    await waitFor(() => expect($<HTMLButtonElement>('#backup-now').disabled).toBe(false));
    expect(calls('backup_archive')).toHaveLength(0);
  });

  it('restoring shows what the backup holds and asks before replacing anything', async () => {
    answers.check_backup = () => ({ schemaVersion: 7, customers: 1200, conversations: 1350, messages: 45678 });
    answers.restore_archive = () => ({ schemaVersion: 7, customers: 1200, conversations: 1350, messages: 45678 });
    open.mockResolvedValue('/media/usb/cubedesk-backup-2026-11-01.db');
    render(<ArchiveTools lang="en" />);
    fireEvent.click($('#restore-backup'));
    const dialog = await screen.findByRole('alertdialog', { name: 'Restore this backup?' });
    expect(calls('check_backup')[0]).toEqual({ path: '/media/usb/cubedesk-backup-2026-11-01.db' });
    expect(dialog.textContent).toContain('1,200');
    expect(dialog.textContent).toContain('1,350');
    expect(dialog.textContent).toContain('45,678');
    expect(dialog.textContent).toContain('kept beside the backup');
    expect(calls('restore_archive')).toHaveLength(0);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Restore and restart' }));
    await screen.findByText('Restoring… CubeDesk will restart in a moment.');
    expect(calls('restore_archive')[0]).toEqual({ path: '/media/usb/cubedesk-backup-2026-11-01.db' });
  });

  it('cancelling the confirmation restores nothing; a bad backup shows the core\'s message', async () => {
    answers.check_backup = () => ({ schemaVersion: 7, customers: 1, conversations: 1, messages: 1 });
    open.mockResolvedValue('/b.db');
    render(<ArchiveTools lang="en" />);
    fireEvent.click($('#restore-backup'));
    fireEvent.click(await screen.findByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(calls('restore_archive')).toHaveLength(0);

    answers.check_backup = () => {
      throw { code: 'DB_NOT_CUBEDESK', message: 'This file is not a CubeDesk archive.' };
    };
    fireEvent.click($('#restore-backup'));
    expect((await screen.findByRole('alert')).textContent).toBe('This file is not a CubeDesk archive.');
    expect(screen.queryByRole('alertdialog')).toBeNull();
  });

  it('sizes read like a file manager\'s, in both languages', () => {
    expect(formatBytes('en', 512)).toBe('512 bytes');
    expect(formatBytes('en', 12_897_485)).toBe('12.3 MB');
    expect(formatBytes('ar', 12_897_485)).toContain('ميغابايت');
  });
});
