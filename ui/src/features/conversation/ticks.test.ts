import { describe, expect, it } from 'vitest';
import { CLOCK, FAILED_MARK, ONE_TICK, TWO_TICKS, tickFor } from './ticks';
import type { MessageStatus } from '../../ipc';

describe('tickFor', () => {
  it('pending is a clock', () => {
    expect(tickFor('en', 'pending')).toEqual({ glyph: CLOCK, tone: 'muted', label: 'Waiting to send' });
  });

  it('queued is a clock too (not yet at WhatsApp), with its own label', () => {
    const q = tickFor('en', 'queued');
    expect(q.glyph).toBe(CLOCK);
    expect(q.tone).toBe('muted');
    expect(q.label).toBe('Queued: accepted, not sent to WhatsApp yet');
  });

  it('sent is one grey tick', () => {
    expect(tickFor('en', 'sent')).toEqual({ glyph: ONE_TICK, tone: 'muted', label: 'Sent' });
  });

  it('delivered is two grey ticks', () => {
    expect(tickFor('en', 'delivered')).toEqual({ glyph: TWO_TICKS, tone: 'muted', label: 'Delivered' });
  });

  it('read is two blue ticks', () => {
    expect(tickFor('en', 'read')).toEqual({ glyph: TWO_TICKS, tone: 'read', label: 'Read' });
  });

  it('failed is a red mark with the reason in the label', () => {
    expect(tickFor('en', 'failed', 'Number not on WhatsApp')).toEqual({
      glyph: FAILED_MARK,
      tone: 'danger',
      label: 'Failed: Number not on WhatsApp',
    });
    expect(tickFor('en', 'failed', null).label).toBe('Failed');
    expect(tickFor('en', 'failed', '   ').label).toBe('Failed');
  });

  it('scheduled and unconfirmed are said in words', () => {
    expect(tickFor('en', 'scheduled')).toEqual({ glyph: null, tone: 'words', label: 'Scheduled' });
    expect(tickFor('en', 'unconfirmed')).toEqual({
      glyph: null,
      tone: 'words',
      label: 'Not confirmed: may not have been sent',
    });
  });

  it('every status has an Arabic label different from the English one', () => {
    const all: MessageStatus[] = ['pending', 'unconfirmed', 'queued', 'scheduled', 'sent', 'delivered', 'read', 'failed'];
    for (const s of all) {
      const ar = tickFor('ar', s, 'x');
      expect(ar.label.length, s).toBeGreaterThan(0);
      expect(ar.label, s).not.toBe(tickFor('en', s, 'x').label);
      expect(ar.glyph, s).toBe(tickFor('en', s, 'x').glyph);
    }
    expect(tickFor('ar', 'failed', 'سبب').label).toContain('سبب');
  });

  it('an unknown status from a newer core is shown as it is', () => {
    expect(tickFor('en', 'archived' as MessageStatus)).toEqual({ glyph: null, tone: 'words', label: 'archived' });
  });
});
