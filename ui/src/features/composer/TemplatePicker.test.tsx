import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';

const invoke = vi.fn();
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...a: unknown[]) => invoke(...a) }));

import type { Template } from '../../ipc';
import { TemplatePicker } from './TemplatePicker';
import { fillLocally, foldForSearch } from './templateText';

const tpl = (patch: Partial<Template>): Template => ({
  name: 'x',
  language: 'en',
  category: 'UTILITY',
  body: '',
  paramsCount: 0,
  headerType: 'none',
  headerText: null,
  footer: null,
  dir: 'ltr',
  ...patch,
});

const templates = [
  tpl({ name: 'Order_Ready', body: 'Hello {{1}}, your ORDER is ready.\nSecond line', paramsCount: 1 }),
  tpl({ name: 'welcome_ar', language: 'ar', category: 'MARKETING', body: 'أهلاً بك في صيدلية النور', dir: 'rtl' }),
  tpl({ name: 'otp', category: 'AUTHENTICATION', body: 'Your code is {{1}}', paramsCount: 1 }),
];

function core(answers: Record<string, (args: any) => unknown>) {
  invoke.mockImplementation(async (cmd: string, args: unknown) => {
    const a = answers[cmd];
    if (!a) throw { code: 'INTERNAL', message: `unexpected ${cmd}` };
    return a(args);
  });
}

const names = (c: HTMLElement) => Array.from(c.querySelectorAll<HTMLElement>('.template-option')).map((b) => b.dataset.name);

afterEach(() => {
  cleanup();
  invoke.mockReset();
});

describe('TemplatePicker', () => {
  it('lists the templates of the conversation with name, language, category and first line', async () => {
    core({ templates_for: () => templates });
    const { container } = render(<TemplatePicker lang="en" conversationId={7} />);
    expect(screen.getByText('Loading the approved templates…')).toBeTruthy();
    await waitFor(() => expect(names(container)).toEqual(['Order_Ready', 'welcome_ar', 'otp']));
    expect(invoke).toHaveBeenCalledWith('templates_for', { conversationId: 7 });
    const first = container.querySelector<HTMLElement>('.template-option[data-name="Order_Ready"]')!;
    expect(first.tagName).toBe('BUTTON');
    expect(first.textContent).toContain('Utility');
    expect(first.textContent).toContain('Hello {{1}}, your ORDER is ready.');
    expect(first.textContent).not.toContain('Second line');
    const arabic = container.querySelector<HTMLElement>('.template-option[data-name="welcome_ar"] .template-first-line')!;
    expect(arabic.getAttribute('dir')).toBe('rtl');
    expect(container.querySelector('.template-option[data-name="welcome_ar"]')!.textContent).toContain('Marketing');
  });

  it('filters by name and body, ignoring case and Arabic marks', async () => {
    core({ templates_for: () => templates });
    const { container } = render(<TemplatePicker lang="en" conversationId={7} />);
    await waitFor(() => expect(names(container)).toHaveLength(3));
    const search = container.querySelector<HTMLInputElement>('#template-search')!;
    expect(screen.getByLabelText('Search templates')).toBe(search);
    fireEvent.change(search, { target: { value: 'order' } });
    expect(names(container)).toEqual(['Order_Ready']);
    fireEvent.change(search, { target: { value: 'YOUR' } });
    expect(names(container)).toEqual(['Order_Ready', 'otp']);
    fireEvent.change(search, { target: { value: 'صيدلية' } });
    expect(names(container)).toEqual(['welcome_ar']);
    // Typed without the hamza and with harakat.
    fireEvent.change(search, { target: { value: 'اهلاً' } });
    expect(names(container)).toEqual(['welcome_ar']);
    fireEvent.change(search, { target: { value: 'nothing like it' } });
    expect(names(container)).toEqual([]);
    expect(screen.getByText('No template matches “nothing like it”.')).toBeTruthy();
  });

  it('says when the number has no approved templates', async () => {
    core({ templates_for: () => [] });
    render(<TemplatePicker lang="en" conversationId={7} />);
    expect(await screen.findByText(/This number has no approved templates yet/)).toBeTruthy();
  });

  it('shows the core failure and tries again', async () => {
    let calls = 0;
    core({
      templates_for: () => {
        calls += 1;
        if (calls === 1) throw { code: 'DB_UNAVAILABLE', message: 'The archive is busy.' };
        return templates;
      },
    });
    const { container } = render(<TemplatePicker lang="en" conversationId={7} />);
    expect((await screen.findByRole('alert')).textContent).toContain('The archive is busy.');
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(names(container)).toHaveLength(3));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('opens the form for the chosen template and goes back', async () => {
    core({ templates_for: () => templates, template_preview: () => ({ rendered: 'r', problem: null }) });
    const { container } = render(<TemplatePicker lang="en" conversationId={7} />);
    await waitFor(() => expect(names(container)).toHaveLength(3));
    fireEvent.click(container.querySelector('.template-option[data-name="otp"]')!);
    expect(container.querySelectorAll('input.template-param')).toHaveLength(1);
    expect(container.querySelector('#template-search')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Back to the templates' }));
    expect(names(container)).toHaveLength(3);
  });

  it('closes on Escape only when it can be closed', async () => {
    core({ templates_for: () => templates });
    const onClose = vi.fn();
    const { container } = render(<TemplatePicker lang="en" conversationId={7} onClose={onClose} />);
    fireEvent.keyDown(container.querySelector('#template-search')!, { key: 'Escape' });
    expect(onClose).toHaveBeenCalledTimes(1);
    fireEvent.click(screen.getByRole('button', { name: 'Close the templates' }));
    expect(onClose).toHaveBeenCalledTimes(2);
    await waitFor(() => expect(names(container)).toHaveLength(3));
  });

  it('moves between the search box and the options with the arrow keys', async () => {
    core({ templates_for: () => templates });
    const { container } = render(<TemplatePicker lang="en" conversationId={7} autoFocus />);
    const search = container.querySelector<HTMLInputElement>('#template-search')!;
    expect(document.activeElement).toBe(search);
    await waitFor(() => expect(names(container)).toHaveLength(3));
    fireEvent.keyDown(search, { key: 'ArrowDown' });
    expect((document.activeElement as HTMLElement).dataset.name).toBe('Order_Ready');
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowDown' });
    expect((document.activeElement as HTMLElement).dataset.name).toBe('welcome_ar');
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowUp' });
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowUp' });
    expect(document.activeElement).toBe(search);
  });
});

describe('template text helpers', () => {
  it('folds case and Arabic letter forms', () => {
    expect(foldForSearch('ORDER')).toBe('order');
    expect(foldForSearch('أهلاً')).toBe(foldForSearch('اهلا'));
    expect(foldForSearch('مكتبة')).toBe(foldForSearch('مكتبه'));
  });

  it('fills only the filled parameters', () => {
    expect(fillLocally('{{1}} and {{2}} and {{1}}', ['a', ' '])).toBe('a and {{2}} and a');
    expect(fillLocally('cost $&{{1}}', ['$1'])).toBe('cost $&$1');
  });
});
