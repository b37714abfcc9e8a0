import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy to put between the app and a dependency. `forward` passes bytes both ways;
 * `refuse` closes open connections and resets new ones (the dependency is down); `blackHole`
 * accepts and reads but never answers or forwards (the dependency hangs).
 */
export type ProxyMode = 'forward' | 'refuse' | 'blackHole';

export class TcpProxy {
  private server?: Server;
  private mode: ProxyMode = 'forward';
  private readonly open = new Set<Socket>();

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async start(): Promise<this> {
    this.server = createServer((client) => this.accept(client));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get port(): number {
    const address = this.server?.address();
    if (!address || typeof address === 'string') throw new Error('TcpProxy is not started');
    return address.port;
  }

  /** Switches mode; leaving `forward` cuts every connection made so far. */
  set(mode: ProxyMode): void {
    this.mode = mode;
    if (mode !== 'forward') for (const socket of this.open) socket.destroy();
  }

  async stop(): Promise<void> {
    for (const socket of this.open) socket.destroy();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  private accept(client: Socket): void {
    this.track(client);
    if (this.mode === 'refuse') {
      client.resetAndDestroy();
      return;
    }
    if (this.mode === 'blackHole') {
      client.resume();
      return;
    }
    const upstream = this.track(connect(this.targetPort, this.targetHost));
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  }

  private track(socket: Socket): Socket {
    this.open.add(socket);
    socket.on('close', () => this.open.delete(socket));
    return socket;
  }
}
