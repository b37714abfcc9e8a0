import { quotaPeriodOf } from './quota-period.js';

const free = { currentPeriodEnd: null, billingCycle: null };
const now = new Date('2026-11-23T07:30:00Z');

describe('quotaPeriodOf', () => {
  it('counts a day from UTC midnight to the next', () => {
    expect(quotaPeriodOf('day', free, now)).toEqual({
      start: new Date('2026-11-23T00:00:00Z'),
      end: new Date('2026-11-24T00:00:00Z'),
    });
  });

  it('counts a month as the calendar month, across the year end too', () => {
    expect(quotaPeriodOf('month', free, new Date('2026-12-31T23:59:59Z'))).toEqual({
      start: new Date('2026-12-01T00:00:00Z'),
      end: new Date('2027-01-01T00:00:00Z'),
    });
  });

  it("counts a billing period back from the subscription's period end", () => {
    const yearly = { currentPeriodEnd: new Date('2027-03-10T12:00:00Z'), billingCycle: 'yearly' };
    expect(quotaPeriodOf('billing_period', yearly, now)).toEqual({
      start: new Date('2026-03-10T12:00:00Z'),
      end: new Date('2027-03-10T12:00:00Z'),
    });
    const monthly = { currentPeriodEnd: new Date('2026-12-05T00:00:00Z'), billingCycle: 'monthly' };
    expect(quotaPeriodOf('billing_period', monthly, now)?.start).toEqual(
      new Date('2026-11-05T00:00:00Z'),
    );
  });

  it('falls back to the calendar month for a billing period without a subscription', () => {
    expect(quotaPeriodOf('billing_period', free, now)).toEqual(quotaPeriodOf('month', free, now));
  });

  it('has no window for a limit that is not periodic', () => {
    expect(quotaPeriodOf(null, free, now)).toBeNull();
  });
});
