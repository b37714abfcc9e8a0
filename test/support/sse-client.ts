import { request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

export interface ServerSentEvent {
  event: string;
  data: unknown;
}

/**
 * A Server-Sent Events client over a real HTTP connection: it parses the stream as a browser's
 * EventSource does (`event:` and `data:` lines, a blank line ending each event).
 */
export class SseClient {
  readonly events: ServerSentEvent[] = [];
  private readonly waiters: { matches: (e: ServerSentEvent) => boolean; resolve: () => void }[] =
    [];
  private response!: IncomingMessage;
  private buffer = '';

  private constructor(private readonly close$: () => void) {}

  /** Opens the stream and resolves once the server has answered with its status. */
  static open(
    app: NestFastifyApplication,
    path: string,
    accessToken: string,
  ): Promise<{ status: number; client: SseClient }> {
    const { port } = app.getHttpServer().address() as AddressInfo;
    return new Promise((resolve, reject) => {
      const outgoing = request(
        {
          host: '127.0.0.1',
          port,
          path,
          headers: { Authorization: `Bearer ${accessToken}`, Accept: 'text/event-stream' },
        },
        (response) => {
          const client = new SseClient(() => outgoing.destroy());
          client.response = response;
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => client.receive(chunk));
          response.on('error', () => undefined);
          resolve({ status: response.statusCode ?? 0, client });
        },
      );
      outgoing.on('error', reject);
      outgoing.end();
    });
  }

  get contentType(): string | undefined {
    return this.response.headers['content-type'];
  }

  /** Resolves with the first event of `type` (already received or still to come). */
  waitFor(type: string, timeoutMs = 10_000): Promise<ServerSentEvent> {
    const matches = (event: ServerSentEvent) => event.event === type;
    const found = this.events.find(matches);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`No ${type} event within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.waiters.push({
        matches,
        resolve: () => {
          clearTimeout(timer);
          resolve(this.events.find(matches)!);
        },
      });
    });
  }

  close(): void {
    this.close$();
  }

  private receive(chunk: string): void {
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      this.parse(block);
    }
  }

  private parse(block: string): void {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
    }
    if (data.length === 0) return;
    const text = data.join('\n');
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // a plain-text event
    }
    const received = { event, data: parsed };
    this.events.push(received);
    for (const waiter of this.waiters.filter((w) => w.matches(received))) {
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  }
}
