import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { createRef } from 'react';

const invoke = vi.fn();
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...a: unknown[]) => invoke(...a) }));

import type { ConversationInfo, Template } from '../../ipc';
import { Composer } from './Composer';

let nextId = 100;
function info(patch: Partial<ConversationInfo> = {}): ConversationInfo {
  return {
    conversationId: nextId++,
    numberId: 1,
    numberName: 'Al Noor Pharmacy',
    customerId: 3,
    customerName: 'سارة الحربي',
    customerPhone: '966501234567',
    customerBlocked: false,
    unreadCount: 0,
    window: { phase: 'open', active: true, expiresAt: null, remainingMinutes: 600, source: 'server' },
    sendable: ['text', 'template'],
    ...patch,
  };
}

const closed = { phase: 'closed', active: false, expiresAt: null, remainingMinutes: 0, source: 'server' } as const;

const templates: Template[] = [
  {
    name: 'order_ready',
    language: 'en',
    category: 'UTILITY',
    body: 'Hello {{1}}, your order is ready.\nSee you soon.',
    paramsCount: 1,
    headerType: 'none',
    headerText: null,
    footer: null,
    dir: 'ltr',
  },
  {
    name: 'welcome_ar',
    language: 'ar',
    category: 'MARKETING',
    body: 'أهلاً بك في صيدلية النور',
    paramsCount: 0,
    headerType: 'none',
    headerText: null,
    footer: null,
    dir: 'rtl',
  },
];

function core(answers: Record<string, (args: any) => unknown>) {
  invoke.mockImplementation(async (cmd: string, args: unknown) => {
    const a = answers[cmd];
    if (!a) throw { code: 'INTERNAL', message: `unexpected ${cmd}` };
    return a(args);
  });
}

const box = (c: HTMLElement) => c.querySelector<HTMLTextAreaElement>('#composer-text');
const sendButton = (c: HTMLElement) => c.querySelector<HTMLButtonElement>('#composer-send')!;

afterEach(() => {
  cleanup();
  invoke.mockReset();
});

describe('Composer inside the window', () => {
  it('sends on Enter, makes a new line on Shift+Enter, and waits for an input method', async () => {
    core({ send_message: () => 1 });
    const onSent = vi.fn();
    const i = info();
    const { container } = render(<Composer lang="en" info={i} onSent={onSent} />);
    const text = box(container)!;
    expect(text.getAttribute('dir')).toBe('auto');
    expect(text.getAttribute('aria-label')).toBe('Message to the customer');
    expect(sendButton(container).disabled).toBe(true);

    fireEvent.change(text, { target: { value: 'مرحبا' } });
    expect(fireEvent.keyDown(text, { key: 'Enter', shiftKey: true })).toBe(true); // default kept: new line
    expect(fireEvent.keyDown(text, { key: 'Enter', isComposing: true })).toBe(true);
    expect(fireEvent.keyDown(text, { key: 'Enter', keyCode: 229 })).toBe(true);
    expect(invoke).not.toHaveBeenCalled();

    expect(fireEvent.keyDown(text, { key: 'Enter' })).toBe(false);
    await waitFor(() => expect(onSent).toHaveBeenCalledTimes(1));
    expect(invoke).toHaveBeenCalledWith('send_message', { conversationId: i.conversationId, draft: { kind: 'text', text: 'مرحبا' } });
    expect(text.value).toBe('');
  });

  it('keeps the text and shows the core refusal when sending fails', async () => {
    core({
      send_message: () => {
        throw { code: 'WINDOW_CLOSED', message: 'The 24-hour window closed a minute ago: send a template instead.' };
      },
    });
    const onSent = vi.fn();
    const { container } = render(<Composer lang="en" info={info()} onSent={onSent} />);
    fireEvent.change(box(container)!, { target: { value: 'Is it in stock?' } });
    fireEvent.click(sendButton(container));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('The 24-hour window closed a minute ago: send a template instead.');
    expect(box(container)!.value).toBe('Is it in stock?');
    expect(onSent).not.toHaveBeenCalled();
  });

  it('does not send blank text', () => {
    core({ send_message: () => 1 });
    const { container } = render(<Composer lang="en" info={info()} />);
    fireEvent.change(box(container)!, { target: { value: '  \n ' } });
    expect(sendButton(container).disabled).toBe(true);
    fireEvent.keyDown(box(container)!, { key: 'Enter' });
    expect(invoke).not.toHaveBeenCalled();
  });

  it('counts code points, shows the counter past 3,500 and refuses more than 4,096', () => {
    const { container } = render(<Composer lang="en" info={info()} />);
    const text = box(container)!;
    fireEvent.change(text, { target: { value: 'a'.repeat(3500) } });
    expect(container.querySelector('#composer-counter')).toBeNull();
    // 3,501 emoji: 7,002 UTF-16 units but 3,501 characters.
    fireEvent.change(text, { target: { value: '😀'.repeat(3501) } });
    expect(container.querySelector('#composer-counter')!.textContent).toBe('3501 / 4096');
    expect(sendButton(container).disabled).toBe(false);
    fireEvent.change(text, { target: { value: 'ب'.repeat(4096) } });
    expect(container.querySelector('#composer-too-long')).toBeNull();
    expect(sendButton(container).disabled).toBe(false);
    fireEvent.change(text, { target: { value: 'x'.repeat(4512) } });
    expect(screen.getByText('Too long: 4,512 characters, the limit is 4,096')).toBeTruthy();
    expect(sendButton(container).disabled).toBe(true);
    expect(text.getAttribute('aria-invalid')).toBe('true');
  });

  it('takes a 100,000-character paste without freezing', () => {
    const { container } = render(<Composer lang="en" info={info()} />);
    const started = performance.now();
    fireEvent.change(box(container)!, { target: { value: 'ع'.repeat(100_000) } });
    expect(screen.getByText('Too long: 100,000 characters, the limit is 4,096')).toBeTruthy();
    expect(performance.now() - started).toBeLessThan(1000);
    expect(sendButton(container).disabled).toBe(true);
  });

  it('hands its text box to the caller', () => {
    const ref = createRef<HTMLTextAreaElement>();
    const { container } = render(<Composer lang="en" info={info()} textareaRef={ref} />);
    expect(ref.current).toBe(box(container));
  });

  it('opens the template picker from its button and closes it with Escape', async () => {
    core({ templates_for: () => templates });
    const { container } = render(<Composer lang="en" info={info()} />);
    expect(container.querySelector('#template-picker')).toBeNull();
    const open = container.querySelector<HTMLButtonElement>('#open-templates')!;
    fireEvent.click(open);
    expect(open.getAttribute('aria-expanded')).toBe('true');
    await waitFor(() => expect(container.querySelectorAll('.template-option')).toHaveLength(2));
    fireEvent.keyDown(container.querySelector('#template-search')!, { key: 'Escape' });
    expect(container.querySelector('#template-picker')).toBeNull();
    // The text box is still there: the window is open.
    expect(box(container)).toBeTruthy();
  });

  it('opens the picker when pickerRequest changes to a new non-zero value', async () => {
    core({ templates_for: () => templates });
    const i = info();
    const { container, rerender } = render(<Composer lang="en" info={i} pickerRequest={3} />);
    // Mounting with an old request does not open it.
    expect(container.querySelector('#template-picker')).toBeNull();
    rerender(<Composer lang="en" info={i} pickerRequest={0} />);
    expect(container.querySelector('#template-picker')).toBeNull();
    rerender(<Composer lang="en" info={i} pickerRequest={4} />);
    expect(container.querySelector('#template-picker')).toBeTruthy();
    await waitFor(() => expect(container.querySelectorAll('.template-option')).toHaveLength(2));
  });

  it('closes the picker and reports after a template was sent', async () => {
    core({ templates_for: () => templates, template_preview: () => ({ rendered: 'x', problem: null }), send_message: () => 5 });
    const onSent = vi.fn();
    const { container } = render(<Composer lang="en" info={info()} onSent={onSent} />);
    fireEvent.click(container.querySelector('#open-templates')!);
    await waitFor(() => expect(container.querySelector('.template-option[data-name="welcome_ar"]')).toBeTruthy());
    fireEvent.click(container.querySelector('.template-option[data-name="welcome_ar"]')!);
    const send = container.querySelector<HTMLButtonElement>('#template-send')!;
    expect(send.disabled).toBe(false); // no parameters
    fireEvent.click(send);
    await waitFor(() => expect(onSent).toHaveBeenCalledTimes(1));
    expect(container.querySelector('#template-picker')).toBeNull();
  });
});

describe('Composer outside the window', () => {
  it('replaces the text box with an explanation and the template picker', async () => {
    core({ templates_for: () => templates });
    const { container } = render(<Composer lang="en" info={info({ window: closed, sendable: ['template'] })} />);
    expect(box(container)).toBeNull();
    expect(container.querySelector('#composer-send')).toBeNull();
    expect(container.querySelector('#open-templates')).toBeNull();
    expect(
      screen.getByText('The 24-hour window is closed: WhatsApp allows only approved templates until the customer writes again.'),
    ).toBeTruthy();
    expect(container.querySelector('#template-picker')).toBeTruthy();
    await waitFor(() => expect(container.querySelectorAll('.template-option')).toHaveLength(2));
    // Escape does not hide the only way to write.
    fireEvent.keyDown(container.querySelector('#template-search')!, { key: 'Escape' });
    expect(container.querySelector('#template-picker')).toBeTruthy();
  });

  it('explains a conversation the customer never started', () => {
    core({ templates_for: () => [] });
    render(
      <Composer
        lang="en"
        info={info({ window: { ...closed, phase: 'neverOpened' }, sendable: ['template'] })}
      />,
    );
    expect(screen.getByText(/The customer has not written yet/)).toBeTruthy();
  });

  it('shows only a notice for a blocked customer', async () => {
    core({ templates_for: () => templates });
    const { container } = render(<Composer lang="en" info={info({ customerBlocked: true })} />);
    expect(screen.getByText(/This customer is blocked/)).toBeTruthy();
    expect(container.querySelector('textarea, input, button')).toBeNull();
    await act(async () => {});
    expect(invoke).not.toHaveBeenCalled();
  });

  it('speaks Arabic', async () => {
    core({ templates_for: () => templates });
    render(<Composer lang="ar" info={info({ window: closed, sendable: ['template'] })} />);
    expect(screen.getByText(/نافذة الـ24 ساعة مغلقة/)).toBeTruthy();
    await screen.findByText('welcome_ar');
  });
});
