import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';

const invoke = vi.fn();
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...a: unknown[]) => invoke(...a) }));

import type { Template } from '../../ipc';
import { TemplateForm } from './TemplateForm';

const order: Template = {
  name: 'order_ready',
  language: 'en',
  category: 'UTILITY',
  body: 'Hello {{1}}, your order {{2}} is ready.',
  paramsCount: 2,
  headerType: 'text',
  headerText: 'Order update',
  footer: 'Al Noor Pharmacy',
  dir: 'ltr',
};

const arabic: Template = {
  name: 'welcome_ar',
  language: 'ar',
  category: 'MARKETING',
  body: 'مرحباً {{1}}، أهلاً بك في صيدلية النور',
  paramsCount: 1,
  headerType: 'none',
  headerText: null,
  footer: null,
  dir: 'rtl',
};

/** Answers each command like the core would. */
function core(answers: Record<string, (args: any) => unknown>) {
  invoke.mockImplementation(async (cmd: string, args: unknown) => {
    const a = answers[cmd];
    if (!a) throw { code: 'INTERNAL', message: `unexpected ${cmd}` };
    return a(args);
  });
}

const localPreview = (args: { params: string[] }) => ({
  rendered: `core: ${args.params.join('|')}`,
  problem: args.params.some((p) => p.trim() === '') ? { code: 'TEMPLATE_PARAMS_MISMATCH', message: 'Fill in parameter 1.' } : null,
});

const params = (c: HTMLElement) => Array.from(c.querySelectorAll<HTMLInputElement>('input.template-param'));
const send = (c: HTMLElement) => c.querySelector<HTMLButtonElement>('#template-send')!;

afterEach(() => {
  cleanup();
  invoke.mockReset();
});

describe('TemplateForm', () => {
  it('keeps Send disabled until every parameter is filled, then sends the template', async () => {
    core({ template_preview: localPreview, send_message: () => 41 });
    const onSent = vi.fn();
    const { container } = render(<TemplateForm lang="en" conversationId={7} template={order} onSent={onSent} />);
    const [p1, p2] = params(container);
    expect(params(container)).toHaveLength(2);
    expect(p1.getAttribute('aria-label')).toBe('Parameter 1');
    expect(p1.getAttribute('dir')).toBe('auto');
    expect(send(container).disabled).toBe(true);

    fireEvent.change(p1, { target: { value: 'Sara' } });
    expect(send(container).disabled).toBe(true);
    fireEvent.change(p2, { target: { value: '   ' } });
    expect(send(container).disabled).toBe(true); // blank is not filled
    fireEvent.change(p2, { target: { value: 'A-1001' } });
    expect(send(container).disabled).toBe(false);

    fireEvent.click(send(container));
    await waitFor(() => expect(onSent).toHaveBeenCalledTimes(1));
    expect(invoke).toHaveBeenCalledWith('send_message', {
      conversationId: 7,
      draft: { kind: 'template', name: 'order_ready', language: 'en', params: ['Sara', 'A-1001'], headerLink: null },
    });
    // Reset for the next one.
    expect(params(container).map((p) => p.value)).toEqual(['', '']);
    expect(send(container).disabled).toBe(true);
  });

  it('previews locally at once, then shows what the core rendered and its problem', async () => {
    core({ template_preview: localPreview });
    const { container } = render(<TemplateForm lang="en" conversationId={7} template={order} />);
    const preview = container.querySelector<HTMLElement>('#template-preview')!;
    expect(preview.textContent).toContain('Order update');
    expect(preview.textContent).toContain('Hello {{1}}, your order {{2}} is ready.');
    expect(preview.textContent).toContain('Al Noor Pharmacy');
    // The core's problem with the blank parameters shows under the form.
    expect(await screen.findByText('Fill in parameter 1.')).toBeTruthy();

    fireEvent.change(params(container)[0], { target: { value: 'Sara' } });
    // Until the core answers, the local substitution fills the preview.
    expect(preview.textContent).toContain('Hello Sara, your order {{2}} is ready.');
    await waitFor(() => expect(preview.textContent).toContain('core: Sara|'));
    expect(invoke).toHaveBeenCalledWith('template_preview', { conversationId: 7, name: 'order_ready', language: 'en', params: ['Sara', ''] });

    fireEvent.change(params(container)[1], { target: { value: 'B-7' } });
    await waitFor(() => expect(preview.textContent).toContain('core: Sara|B-7'));
    expect(screen.queryByText('Fill in parameter 1.')).toBeNull();
  });

  it('keeps the local preview when the core cannot render it', async () => {
    core({
      template_preview: () => {
        throw { code: 'INTERNAL', message: 'boom' };
      },
    });
    const { container } = render(<TemplateForm lang="en" conversationId={7} template={order} />);
    fireEvent.change(params(container)[0], { target: { value: 'Sara' } });
    await waitFor(() => expect(invoke).toHaveBeenCalledWith('template_preview', expect.objectContaining({ params: ['Sara', ''] })));
    expect(container.querySelector('#template-preview')!.textContent).toContain('Hello Sara, your order {{2}} is ready.');
  });

  it('shows an Arabic template right to left', async () => {
    core({ template_preview: localPreview });
    const { container } = render(<TemplateForm lang="en" conversationId={7} template={arabic} />);
    const preview = container.querySelector<HTMLElement>('#template-preview')!;
    expect(preview.getAttribute('dir')).toBe('rtl');
    expect(preview.getAttribute('lang')).toBe('ar');
    fireEvent.change(params(container)[0], { target: { value: 'سارة' } });
    expect(preview.textContent).toContain('مرحباً سارة، أهلاً بك');
    await waitFor(() => expect(invoke).toHaveBeenCalled());
  });

  it('shows the core refusal and keeps what was typed', async () => {
    core({
      template_preview: localPreview,
      send_message: () => {
        throw { code: 'TEMPLATE_PARAM_INVALID', message: 'Parameter 2 cannot contain a new line.' };
      },
    });
    const onSent = vi.fn();
    const { container } = render(<TemplateForm lang="en" conversationId={7} template={order} onSent={onSent} />);
    fireEvent.change(params(container)[0], { target: { value: 'Sara' } });
    fireEvent.change(params(container)[1], { target: { value: 'x' } });
    fireEvent.click(send(container));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Parameter 2 cannot contain a new line.');
    expect(onSent).not.toHaveBeenCalled();
    expect(params(container).map((p) => p.value)).toEqual(['Sara', 'x']);
    expect(send(container).disabled).toBe(false);
  });

  it('asks for a header link only for media headers, and requires https', async () => {
    core({ template_preview: localPreview, send_message: () => 9 });
    const { container, rerender } = render(<TemplateForm lang="en" conversationId={7} template={order} />);
    expect(container.querySelector('#template-header-link')).toBeNull();
    rerender(<TemplateForm lang="en" conversationId={7} template={{ ...order, headerType: 'none', headerText: null }} />);
    expect(container.querySelector('#template-header-link')).toBeNull();

    const withImage: Template = { ...order, name: 'promo_image', headerType: 'image', headerText: null };
    rerender(<TemplateForm lang="en" conversationId={7} template={withImage} />);
    const link = container.querySelector<HTMLInputElement>('#template-header-link')!;
    expect(link).toBeTruthy();
    expect(screen.getByLabelText('Link to the header image')).toBe(link);
    fireEvent.change(params(container)[0], { target: { value: 'Sara' } });
    fireEvent.change(params(container)[1], { target: { value: 'A-1' } });
    expect(send(container).disabled).toBe(true); // the link is still missing
    fireEvent.change(link, { target: { value: 'http://example.com/a.jpg' } });
    expect(send(container).disabled).toBe(true);
    expect(screen.getByText('The link must start with https://')).toBeTruthy();
    fireEvent.change(link, { target: { value: 'https://example.com/a.jpg' } });
    expect(send(container).disabled).toBe(false);
    fireEvent.click(send(container));
    await waitFor(() =>
      expect(invoke).toHaveBeenCalledWith('send_message', {
        conversationId: 7,
        draft: { kind: 'template', name: 'promo_image', language: 'en', params: ['Sara', 'A-1'], headerLink: 'https://example.com/a.jpg' },
      }),
    );

    for (const headerType of ['video', 'document'] as const) {
      rerender(<TemplateForm lang="en" conversationId={7} template={{ ...order, name: `t_${headerType}`, headerType, headerText: null }} />);
      expect(container.querySelector('#template-header-link')).toBeTruthy();
    }
  });
});
