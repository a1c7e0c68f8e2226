import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';

const invoke = vi.fn();
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...a: unknown[]) => invoke(...a) }));

import { MessageBubble, dirOfLanguage, mapLink } from './MessageBubble';
import { msg } from './fixtures';
import type { Message } from '../../ipc';

const XSS = '<img src=x onerror=alert(1)>';

const show = (m: Message, onLocalChange?: (id: number, next: Message | null) => void, lang: 'en' | 'ar' = 'en') =>
  render(<MessageBubble lang={lang} message={m} onLocalChange={onLocalChange} />);
const article = (c: HTMLElement) => c.querySelector<HTMLElement>('article.message')!;

afterEach(() => {
  cleanup();
  invoke.mockReset();
});

describe('MessageBubble', () => {
  it('renders customer text as literal text, never as HTML, in its own direction', () => {
    const { container } = show(msg({ id: 9, text: XSS }));
    const a = article(container);
    expect(a.className).toBe('message inbound');
    expect(a.dataset.id).toBe('9');
    expect(a.dataset.type).toBe('text');
    expect(container.querySelector('img')).toBeNull();
    expect(screen.getByText(XSS).getAttribute('dir')).toBe('auto');
    for (const el of container.querySelectorAll('p')) {
      if (el.textContent === XSS) expect(el.getAttribute('dir')).toBe('auto');
    }
  });

  it('every place customer text can appear stays text', () => {
    const { container } = show(
      msg({
        type: 'location',
        locationName: XSS,
        locationAddress: XSS,
        locationLat: 24.7136,
        locationLng: 46.6753,
        reactions: [{ emoji: XSS, direction: 'inbound' }],
      }),
    );
    expect(container.querySelector('img')).toBeNull();
    expect(screen.getAllByText(XSS).length).toBeGreaterThanOrEqual(2);
    cleanup();
    const r2 = show(msg({ type: 'image', text: null, mediaCaption: XSS, mediaFilename: XSS }));
    expect(r2.container.querySelector('img')).toBeNull();
    cleanup();
    const r3 = show(msg({ type: 'interactive', text: null, interactive: { type: 'button', body: { text: XSS }, action: { buttons: [{ reply: { title: XSS } }] } } }));
    expect(r3.container.querySelector('img')).toBeNull();
    expect(screen.getAllByText(XSS)).toHaveLength(2);
  });

  it('shows media as a typed placeholder, with caption, filename or the placeholder text', () => {
    const cases: Array<[Message['type'], string]> = [
      ['image', 'Photo'],
      ['video', 'Video'],
      ['audio', 'Voice message'],
      ['document', 'Document'],
      ['sticker', 'Sticker'],
    ];
    for (const [type, label] of cases) {
      const { container } = show(msg({ type, text: null, mediaPlaceholder: `[${type}]` }));
      expect(container.querySelector('.media-kind')?.textContent).toBe(label);
      expect(screen.getByText(`[${type}]`)).toBeTruthy();
      cleanup();
    }
    const { container } = show(
      msg({ type: 'document', text: null, mediaFilename: 'invoice.pdf', mediaLink: 'https://cdn.example.com/invoice.pdf' }),
    );
    expect(screen.getByText('invoice.pdf')).toBeTruthy();
    // The link is shown as text, never loaded nor made clickable.
    expect(screen.getByText('https://cdn.example.com/invoice.pdf').tagName).toBe('P');
    expect(container.querySelector('a, img, video, audio, iframe')).toBeNull();
    cleanup();
    show(msg({ type: 'image', text: null, mediaCaption: 'the box', mediaLink: 'javascript:alert(1)' }));
    expect(screen.getByText('the box')).toBeTruthy();
    expect(screen.queryByText('javascript:alert(1)')).toBeNull();
  });

  it('shows a template with its rendered body, name and language, in the language direction', () => {
    const { container } = show(
      msg({ direction: 'outbound', status: 'sent', type: 'template', text: null, templateName: 'order_ready', templateLanguage: 'ar', renderedBody: 'طلبك جاهز' }),
    );
    expect(screen.getByText('طلبك جاهز').getAttribute('dir')).toBe('rtl');
    expect(screen.getByText('Template: order_ready (ar)')).toBeTruthy();
    expect(article(container).dataset.type).toBe('template');
    expect(dirOfLanguage('en_US')).toBe('ltr');
    expect(dirOfLanguage('he')).toBe('rtl');
    expect(dirOfLanguage('fa_IR')).toBe('rtl');
    expect(dirOfLanguage('ur')).toBe('rtl');
    expect(dirOfLanguage(null)).toBe('auto');
  });

  it('shows interactive buttons and list rows as chips that cannot be clicked', () => {
    show(
      msg({
        direction: 'outbound',
        status: 'delivered',
        type: 'interactive',
        text: null,
        interactive: { type: 'button', body: { text: 'Pick one' }, action: { buttons: [{ type: 'reply', reply: { id: 'y', title: 'Yes' } }, { reply: { title: 'No' } }, 'junk', null] } },
      }),
    );
    expect(screen.getByText('Pick one')).toBeTruthy();
    expect(screen.getByText('Yes').tagName).toBe('LI');
    expect(screen.getByText('No').tagName).toBe('LI');
    expect(screen.queryAllByRole('button', { name: /Yes|No/ })).toHaveLength(0);
    cleanup();
    show(
      msg({
        type: 'interactive',
        text: null,
        interactive: { type: 'list', body: { text: 'Branches' }, action: { button: 'Choose', sections: [{ title: 'Riyadh', rows: [{ id: 'r1', title: 'Olaya', description: 'Open 24h' }] }, { rows: 'bad' }] } },
      }),
    );
    expect(screen.getByText('Olaya')).toBeTruthy();
    expect(screen.getByText('Open 24h')).toBeTruthy();
    expect(screen.getByText('Choose')).toBeTruthy();
  });

  it('shows an inbound reply and survives odd interactive values', () => {
    show(msg({ type: 'interactive', text: null, interactive: { type: 'button_reply', title: 'Yes please' } }));
    expect(screen.getByText('Yes please')).toBeTruthy();
    expect(screen.getByText('Tapped a button')).toBeTruthy();
    cleanup();
    show(msg({ type: 'interactive', text: null, interactive: { type: 'list_reply', list_reply: { title: 'Olaya' } } }));
    expect(screen.getByText('Olaya')).toBeTruthy();
    expect(screen.getByText('Chose from a list')).toBeTruthy();
    for (const odd of [null, 42, 'not json', '{"type":"button"}', [1, 2], { action: { buttons: 'x' } }]) {
      cleanup();
      expect(() => show(msg({ type: 'interactive', text: 'fallback', interactive: odd }))).not.toThrow();
      expect(screen.getByText('fallback')).toBeTruthy();
    }
  });

  it('shows a location with coordinates and a map link built from numbers only', () => {
    const { container } = show(
      msg({ type: 'location', text: null, locationLat: 24.7136, locationLng: 46.6753, locationName: 'Kingdom Centre', locationAddress: 'Olaya St, Riyadh' }),
    );
    expect(screen.getByText('Kingdom Centre')).toBeTruthy();
    expect(screen.getByText('Olaya St, Riyadh')).toBeTruthy();
    expect(screen.getByText('24.7136, 46.6753')).toBeTruthy();
    const a = container.querySelector('a')!;
    expect(a.getAttribute('href')).toBe('https://www.openstreetmap.org/?mlat=24.7136&mlon=46.6753');
    expect(a.textContent).toBe('https://www.openstreetmap.org/?mlat=24.7136&mlon=46.6753');
    expect(a.getAttribute('target')).toBe('_blank');
    expect(a.getAttribute('rel')).toBe('noopener noreferrer');
    cleanup();
    const r = show(msg({ type: 'location', text: null, locationLat: '24" onmouseover="x' as unknown as number, locationLng: 46, locationName: 'X' }));
    expect(r.container.querySelector('a')).toBeNull();
    expect(mapLink(NaN, 1)).toBeNull();
    expect(mapLink(91, 1)).toBeNull();
  });

  it('shows a reaction whose message is not here, and reactions on a message', () => {
    show(msg({ type: 'reaction', text: null, reactionEmoji: '👍' }));
    expect(screen.getByText('Reacted 👍')).toBeTruthy();
    cleanup();
    show(msg({ reactions: [{ emoji: '❤️', direction: 'inbound' }, { emoji: '🙏', direction: 'outbound' }] }));
    expect(screen.getByLabelText('❤️ from the customer').textContent).toBe('❤️');
    expect(screen.getByLabelText('🙏 from you')).toBeTruthy();
    expect(screen.getByRole('list', { name: 'Reactions' })).toBeTruthy();
  });

  it('shows time and tick on outbound messages with an accessible label', () => {
    const { container } = show(msg({ direction: 'outbound', status: 'read' }));
    expect(article(container).className).toBe('message outbound');
    expect(article(container).dataset.status).toBe('read');
    const tick = screen.getByRole('img', { name: 'Read' });
    expect(tick.textContent).toBe('✓✓');
    expect(tick.className).toContain('read');
    expect(container.querySelector('time')).toBeTruthy();
  });

  it('says scheduled and unconfirmed in words', () => {
    show(msg({ direction: 'outbound', status: 'scheduled' }));
    expect(screen.getByText('Scheduled')).toBeTruthy();
    cleanup();
    show(msg({ direction: 'outbound', status: 'unconfirmed' }));
    expect(screen.getByText('Not confirmed: may not have been sent')).toBeTruthy();
  });

  it('shows why a message failed: in the tick label, on hover and under the bubble', () => {
    const { container } = show(
      msg({ direction: 'outbound', status: 'failed', failureCode: '131026', failureReason: 'Number not on WhatsApp' }),
    );
    const tick = screen.getByRole('img', { name: 'Failed: Number not on WhatsApp' });
    expect(tick.getAttribute('title')).toBe('Failed: Number not on WhatsApp');
    expect(container.querySelector('.bubble')!.getAttribute('title')).toBe('Number not on WhatsApp');
    expect(container.querySelector('.message-failure')!.textContent).toBe('Number not on WhatsApp');
  });

  it('reveals category and cost on demand', () => {
    show(msg({ direction: 'outbound', status: 'sent', category: 'MARKETING', cost: 0.05, costCurrency: 'USD' }));
    const info = screen.getByRole('button', { name: 'Category and cost' });
    expect(info.getAttribute('aria-expanded')).toBe('false');
    expect(screen.queryByText('Marketing · 0.0500 USD')).toBeNull();
    fireEvent.click(info);
    expect(info.getAttribute('aria-expanded')).toBe('true');
    expect(screen.getByText('Marketing · 0.0500 USD')).toBeTruthy();
    fireEvent.click(info);
    expect(screen.queryByText('Marketing · 0.0500 USD')).toBeNull();
    cleanup();
    show(msg({ direction: 'outbound', status: 'sent' }));
    expect(screen.queryByRole('button', { name: 'Category and cost' })).toBeNull();
  });

  it('retries a failed message and shows an error in plain words', async () => {
    const changed = vi.fn();
    invoke.mockRejectedValueOnce({ code: 'NOT_RETRIABLE', message: 'This message can no longer be retried.' });
    const m = msg({ id: 4, direction: 'outbound', status: 'failed', failureReason: 'Timeout', canRetry: true });
    show(m, changed);
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('Could not retry: This message can no longer be retried.');
    expect(invoke).toHaveBeenCalledWith('retry_message', { messageId: 4 });
    expect(changed).not.toHaveBeenCalled();

    invoke.mockResolvedValueOnce(undefined);
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(changed).toHaveBeenCalled());
    expect(changed.mock.calls[0][0]).toBe(4);
    expect(changed.mock.calls[0][1].status).toBe('pending');
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('edits a message inline: prefilled, Save calls the core, Cancel leaves it', async () => {
    const changed = vi.fn();
    show(msg({ id: 5, direction: 'outbound', status: 'scheduled', text: 'See you at 5', canEdit: true }), changed);
    fireEvent.click(screen.getByRole('button', { name: 'Edit' }));
    const box = screen.getByLabelText('Edit the message') as HTMLTextAreaElement;
    expect(box.value).toBe('See you at 5');
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByLabelText('Edit the message')).toBeNull();
    expect(invoke).not.toHaveBeenCalled();

    fireEvent.click(screen.getByRole('button', { name: 'Edit' }));
    fireEvent.change(screen.getByLabelText('Edit the message'), { target: { value: 'See you at 6' } });
    invoke.mockResolvedValueOnce(undefined);
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(changed).toHaveBeenCalled());
    expect(invoke).toHaveBeenCalledWith('edit_message', { messageId: 5, text: 'See you at 6' });
    expect(changed.mock.calls[0][1].text).toBe('See you at 6');
    expect(screen.queryByLabelText('Edit the message')).toBeNull();
  });

  it('keeps the editor open and says why when saving fails', async () => {
    show(msg({ id: 5, direction: 'outbound', status: 'scheduled', text: 'x', canEdit: true }));
    fireEvent.click(screen.getByRole('button', { name: 'Edit' }));
    invoke.mockRejectedValueOnce({ code: 'TEXT_TOO_LONG', message: 'The text is too long.' });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Could not save the change: The text is too long.');
    expect(screen.getByLabelText('Edit the message')).toBeTruthy();
  });

  it('asks before deleting, then deletes', async () => {
    const changed = vi.fn();
    show(msg({ id: 6, direction: 'outbound', status: 'failed', canDelete: true }), changed);
    fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    expect(invoke).not.toHaveBeenCalled();
    expect(screen.getByText('Delete this message from this computer? This cannot be undone.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Keep it' }));
    expect(screen.queryByText(/cannot be undone/)).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    invoke.mockResolvedValueOnce(undefined);
    fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(changed).toHaveBeenCalledWith(6, null));
    expect(invoke).toHaveBeenCalledWith('delete_message', { messageId: 6 });
  });

  it('shows no actions the core does not allow, and speaks Arabic', () => {
    show(msg({ direction: 'outbound', status: 'read' }));
    expect(screen.queryByRole('button')).toBeNull();
    cleanup();
    show(msg({ direction: 'outbound', status: 'failed', failureReason: 'انتهت المهلة', canRetry: true }), undefined, 'ar');
    expect(screen.getByRole('button', { name: 'إعادة المحاولة' })).toBeTruthy();
    expect(screen.getByRole('img', { name: 'فشلت: انتهت المهلة' })).toBeTruthy();
  });
});
