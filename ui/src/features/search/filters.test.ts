import { describe, expect, it } from 'vitest';
import { choose, localMidnightMs, toFilter } from './filters';

describe('search filters', () => {
  it('turns date inputs into local midnights, the end day exclusive', () => {
    expect(localMidnightMs('2026-03-01')).toBe(new Date(2026, 2, 1).getTime());
    expect(localMidnightMs('2026-02-28', 1)).toBe(new Date(2026, 2, 1).getTime());
    expect(localMidnightMs('')).toBeUndefined();
    expect(localMidnightMs('01/02/2026')).toBeUndefined();
    expect(toFilter({ from: '2026-02-01', to: '2026-02-01' })).toEqual({
      fromMs: new Date(2026, 1, 1).getTime(),
      toMs: new Date(2026, 1, 2).getTime(),
    });
  });

  it('sends only what is chosen', () => {
    expect(toFilter({})).toEqual({});
    expect(toFilter({ customer: { id: 4, label: 'Sara' }, numberId: 0, tag: 'vip' })).toEqual({ customerId: 4, numberId: 0, tag: 'vip' });
    expect(choose({ tag: 'vip' }, 'tag', '')).toEqual({});
    expect(choose({}, 'direction', 'inbound')).toEqual({ direction: 'inbound' });
  });
});
