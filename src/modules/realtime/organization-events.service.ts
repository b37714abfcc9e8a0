import { Injectable, type MessageEvent, type OnApplicationBootstrap } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { Observable, Subject, finalize, interval, map, merge } from 'rxjs';
import { DatabaseNotifications } from '../../database/database-notifications.js';
import type { DomainEventMap } from '../../events/domain-events.js';

/** The events a member's browser can follow live (API.md, "…/events"). */
export type OrganizationEventType =
  | 'wallet.updated'
  | 'wallet.low_balance'
  | 'subscription.updated'
  | 'entitlements.changed'
  | 'purchase.completed';

interface OrganizationEvent {
  organizationId: string;
  type: OrganizationEventType;
  data: Record<string, unknown>;
}

const CHANNEL = 'organization_events';
/** Often enough that proxies with a 30-60 s idle timeout keep the stream open. */
export const HEARTBEAT_MS = 15_000;

/**
 * Live updates per organization. A domain event of this process is published on the database's
 * notification channel; every replica (this one included) hears it there and hands it to the
 * streams open on it for that organization. Nothing is stored: a client that reconnects reads
 * the current state through the REST API.
 */
@Injectable()
export class OrganizationEventsService implements OnApplicationBootstrap {
  private readonly streams = new Map<string, Set<Subject<MessageEvent>>>();

  constructor(private readonly notifications: DatabaseNotifications) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.notifications.subscribe(CHANNEL, (payload) =>
      this.deliver(payload as OrganizationEvent),
    );
  }

  /** The organization's events from now on, with a heartbeat, until the client goes away. */
  stream(organizationId: string): Observable<MessageEvent> {
    const events = new Subject<MessageEvent>();
    const open = this.streams.get(organizationId) ?? new Set();
    this.streams.set(organizationId, open);
    open.add(events);
    const heartbeats = interval(HEARTBEAT_MS).pipe(
      map((): MessageEvent => ({ type: 'heartbeat', data: { at: new Date().toISOString() } })),
    );
    return merge(events, heartbeats).pipe(
      finalize(() => {
        open.delete(events);
        if (open.size === 0) this.streams.delete(organizationId);
      }),
    );
  }

  @OnEvent('wallet.updated')
  walletUpdated(event: DomainEventMap['wallet.updated']): Promise<void> {
    return this.relay('wallet.updated', event);
  }

  @OnEvent('wallet.low_balance')
  lowBalance(event: DomainEventMap['wallet.low_balance']): Promise<void> {
    return this.relay('wallet.low_balance', event);
  }

  @OnEvent('subscription.updated')
  subscriptionUpdated(event: DomainEventMap['subscription.updated']): Promise<void> {
    return this.relay('subscription.updated', event);
  }

  @OnEvent('entitlements.changed')
  entitlementsChanged(event: DomainEventMap['entitlements.changed']): Promise<void> {
    return this.relay('entitlements.changed', event);
  }

  @OnEvent('purchase.completed')
  purchaseCompleted(event: DomainEventMap['purchase.completed']): Promise<void> {
    return this.relay('purchase.completed', event);
  }

  /** The domain event, less its organization id, goes out as the stream event's data. */
  private relay(
    type: OrganizationEventType,
    { organizationId, ...data }: { organizationId: string },
  ): Promise<void> {
    return this.notifications.publish(CHANNEL, { organizationId, type, data });
  }

  private deliver(event: OrganizationEvent): void {
    for (const stream of this.streams.get(event.organizationId) ?? []) {
      stream.next({ type: event.type, data: event.data });
    }
  }
}
