import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import pg from 'pg';
import { DataSource, type EntityManager } from 'typeorm';
import { getPGliteInstance } from 'typeorm-pglite';
import { databaseConfig } from '../config/database.config.js';

type Handler = (payload: unknown) => void;

const RECONNECT_DELAY_MS = 1_000;

/**
 * PostgreSQL LISTEN/NOTIFY, the one fan-out every replica on the database shares: a change
 * published here reaches the handlers of every process, this one included. On a PostgreSQL
 * server a dedicated connection listens (reconnecting, and listening again, when it drops); on
 * the embedded database PGlite's own listen() does, taken while holding the session so that it
 * never lands inside another request's transaction.
 */
@Injectable()
export class DatabaseNotifications implements OnModuleDestroy {
  private readonly logger = new Logger(DatabaseNotifications.name);
  private readonly handlers = new Map<string, Set<Handler>>();
  private readonly listening = new Map<string, Promise<() => Promise<void>>>();
  private client: pg.Client | null = null;
  private connecting: Promise<pg.Client> | null = null;
  private closed = false;
  private serverQueue: Promise<void> = Promise.resolve();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(databaseConfig.KEY) private readonly config: ConfigType<typeof databaseConfig>,
  ) {}

  /**
   * Sends `payload` (JSON, under 8,000 bytes) on `channel`. Given a transaction's manager, it is
   * delivered only if and when that transaction commits.
   */
  async publish(channel: string, payload: unknown, manager?: EntityManager): Promise<void> {
    await (manager ?? this.dataSource.manager).query('SELECT pg_notify($1, $2)', [
      channel,
      JSON.stringify(payload),
    ]);
  }

  /** Calls `handler` with every payload published on `channel` from now on; returns the undo. */
  async subscribe(channel: string, handler: Handler): Promise<() => void> {
    const handlers = this.handlers.get(channel) ?? new Set<Handler>();
    this.handlers.set(channel, handlers);
    handlers.add(handler);
    if (!this.listening.has(channel)) this.listening.set(channel, this.listen(channel));
    await this.listening.get(channel);
    return () => handlers.delete(handler);
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    for (const unlisten of this.listening.values()) await (await unlisten)();
    await this.client?.end().catch(() => undefined);
  }

  private dispatch(channel: string, raw: string | undefined): void {
    let payload: unknown;
    try {
      payload = JSON.parse(raw ?? 'null');
    } catch {
      this.logger.warn({ channel }, 'Ignored a notification that is not JSON');
      return;
    }
    for (const handler of this.handlers.get(channel) ?? []) {
      try {
        handler(payload);
      } catch (error) {
        this.logger.error({ err: error, channel }, 'A notification handler failed');
      }
    }
  }

  private async listen(channel: string): Promise<() => Promise<void>> {
    if (!this.config.url) return this.listenEmbedded(channel);
    await this.listenOnServer(await this.serverClient(), [channel]);
    return () => Promise.resolve();
  }

  /** One query at a time on the listener connection (pg refuses overlapping ones). */
  private listenOnServer(client: pg.Client, channels: string[]): Promise<void> {
    this.serverQueue = this.serverQueue
      .catch(() => undefined)
      .then(async () => {
        for (const channel of channels) {
          await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
        }
      });
    return this.serverQueue;
  }

  private async listenEmbedded(channel: string): Promise<() => Promise<void>> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const pglite = await getPGliteInstance();
      return await pglite.listen(channel, (raw) => this.dispatch(channel, raw));
    } finally {
      await runner.release();
    }
  }

  private serverClient(): Promise<pg.Client> {
    this.connecting ??= this.connect();
    return this.connecting;
  }

  private async connect(): Promise<pg.Client> {
    const client = new pg.Client({
      connectionString: this.config.url,
      application_name: 'subscription-service-listener',
    });
    client.on('notification', (message) => this.dispatch(message.channel, message.payload));
    client.on('error', (error) => this.reconnect(client, error));
    await client.connect();
    this.client = client;
    return client;
  }

  /** A dropped listener loses notifications until it is back: reconnect and listen again. */
  private reconnect(failed: pg.Client, error: Error): void {
    if (this.closed || this.client !== failed) return;
    this.logger.warn({ err: error }, 'Notification listener lost its connection; reconnecting');
    this.client = null;
    this.connecting = null;
    void failed.end().catch(() => undefined);
    this.retryListening();
  }

  private retryListening(): void {
    setTimeout(() => {
      if (this.closed) return;
      this.serverClient()
        .then((client) => this.listenOnServer(client, [...this.handlers.keys()]))
        .catch((error: Error) => {
          this.logger.warn({ err: error }, 'Notification listener still down; retrying');
          this.connecting = null;
          this.retryListening();
        });
    }, RECONNECT_DELAY_MS).unref();
  }
}
