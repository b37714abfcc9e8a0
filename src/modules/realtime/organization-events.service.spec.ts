import { jest } from '@jest/globals';
import type { MessageEvent } from '@nestjs/common';
import type { Subscription } from 'rxjs';
import type { DatabaseNotifications } from '../../database/database-notifications.js';
import { HEARTBEAT_MS, OrganizationEventsService } from './organization-events.service.js';

describe('OrganizationEventsService', () => {
  let published: unknown[];
  let deliver: (payload: unknown) => void;
  let sut: OrganizationEventsService;
  const open: Subscription[] = [];
  const follow = (organizationId: string, received: MessageEvent[]) =>
    open.push(sut.stream(organizationId).subscribe((event) => received.push(event)));

  beforeEach(async () => {
    published = [];
    const notifications = {
      publish: (_channel: string, payload: unknown) => {
        published.push(payload);
        return Promise.resolve();
      },
      subscribe: (_channel: string, handler: (payload: unknown) => void) => {
        deliver = handler;
        return Promise.resolve(() => undefined);
      },
    };
    sut = new OrganizationEventsService(notifications as unknown as DatabaseNotifications);
    await sut.onApplicationBootstrap();
  });
  afterEach(() => {
    open.splice(0).forEach((subscription) => subscription.unsubscribe());
    jest.useRealTimers();
  });

  it('publishes domain events on the shared channel rather than to local streams directly', async () => {
    const received: MessageEvent[] = [];
    follow('org-1', received);
    await sut.walletUpdated({ organizationId: 'org-1', balance: 5 });
    expect(published).toEqual([
      { organizationId: 'org-1', type: 'wallet.updated', data: { balance: 5 } },
    ]);
    expect(received).toEqual([]);
    deliver(published[0]);
    expect(received).toEqual([{ type: 'wallet.updated', data: { balance: 5 } }]);
  });

  it("hands an organization's event only to that organization's streams", () => {
    const mine: MessageEvent[] = [];
    const theirs: MessageEvent[] = [];
    follow('org-1', mine);
    follow('org-2', theirs);
    deliver({ organizationId: 'org-1', type: 'purchase.completed', data: { credits: 1 } });
    expect(mine).toHaveLength(1);
    expect(theirs).toEqual([]);
  });

  it('sends a heartbeat every 15 seconds and stops when the client goes away', () => {
    jest.useFakeTimers();
    const received: MessageEvent[] = [];
    const subscription = sut.stream('org-1').subscribe((event) => received.push(event));
    jest.advanceTimersByTime(HEARTBEAT_MS * 2);
    expect(received.map((event) => event.type)).toEqual(['heartbeat', 'heartbeat']);
    subscription.unsubscribe();
    jest.advanceTimersByTime(HEARTBEAT_MS);
    deliver({ organizationId: 'org-1', type: 'wallet.updated', data: { balance: 1 } });
    expect(received).toHaveLength(2);
  });
});
