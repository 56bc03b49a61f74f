/**
 * A loopback TCP proxy for tests: clients connect to it on 127.0.0.1 and it forwards each
 * connection to the server, byte for byte, unless told to misbehave. Per connection and per
 * direction it can pause (hold bytes, delivered in order on resume), drop (discard them), delay
 * them, or cut (destroy both sockets, as a lost network does); and it can refuse new connections
 * (a partition: the server cannot be reached). Used by tests and benchmarks only.
 *
 * `up` is client → server, `down` is server → client.
 */
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

export type Direction = 'up' | 'down';
/** Which directions a command acts on. */
export type Directions = Direction | 'both';
/** What a direction does with bytes: pass them, hold them until resumed, or discard them. */
export type FlowMode = 'pass' | 'pause' | 'drop';

/** One direction of one connection. */
class Flow {
  mode: FlowMode = 'pass';
  delayMs = 0;
  private readonly queue: { readonly chunk: Buffer; readonly due: number }[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly to: Socket) {}

  take(chunk: Buffer): void {
    if (this.mode === 'drop') return;
    // Never before anything that came earlier: bytes stay in order whatever the delays.
    const last = this.queue.at(-1)?.due ?? 0;
    this.queue.push({ chunk, due: Math.max(last, Date.now() + this.delayMs) });
    this.flush();
  }

  /** Delivers what is due, unless paused; waits for the next one that is not yet. */
  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    while (this.mode !== 'pause' && this.queue.length > 0) {
      const next = this.queue[0]!;
      const wait = next.due - Date.now();
      if (wait > 0) {
        this.timer = setTimeout(() => this.flush(), wait);
        return;
      }
      this.queue.shift();
      if (this.mode === 'drop' || this.to.destroyed) continue;
      this.to.write(next.chunk);
    }
  }

  /** Bytes waiting: held by a pause or a delay. */
  held(): number {
    return this.queue.reduce((n, q) => n + q.chunk.byteLength, 0);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.queue.length = 0;
  }
}

/** One client connection and its connection to the server. */
export class ProxiedConnection {
  readonly up: Flow;
  readonly down: Flow;
  private ended = false;

  constructor(
    readonly id: number,
    readonly client: Socket,
    readonly server: Socket,
    private readonly onEnd: (link: ProxiedConnection) => void,
  ) {
    this.up = new Flow(server);
    this.down = new Flow(client);
    client.on('data', (chunk: Buffer) => this.up.take(chunk));
    server.on('data', (chunk: Buffer) => this.down.take(chunk));
    // One side closing or failing ends the other, as a real path does (after what is in flight).
    for (const [from, to] of [
      [client, server],
      [server, client],
    ] as const) {
      from.on('error', () => this.cut());
      from.on('end', () => to.end());
      from.on('close', () => this.end());
    }
  }

  get open(): boolean {
    return !this.ended;
  }

  flows(directions: Directions): Flow[] {
    return directions === 'both' ? [this.up, this.down] : [this[directions]];
  }

  /** Destroys both sockets at once: nothing in flight arrives, both ends see the connection reset. */
  cut(): void {
    this.up.stop();
    this.down.stop();
    this.client.resetAndDestroy();
    this.server.resetAndDestroy();
    this.end();
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.up.stop();
    this.down.stop();
    this.client.destroy();
    this.server.destroy();
    this.onEnd(this);
  }
}

/** Which connections a command acts on: all open ones unless a filter is given. */
export type Which = (link: ProxiedConnection) => boolean;

export class FaultProxy {
  private readonly links = new Set<ProxiedConnection>();
  private nextId = 1;
  private refusing = false;
  /** What new connections start with, per direction (a pause or a delay applies to them too). */
  private readonly defaults: Record<Direction, { mode: FlowMode; delayMs: number }> = {
    up: { mode: 'pass', delayMs: 0 },
    down: { mode: 'pass', delayMs: 0 },
  };

  private constructor(
    private readonly listener: Server,
    private readonly target: { readonly host: string; readonly port: number },
  ) {}

  /** Starts a proxy on 127.0.0.1 (a free port) forwarding to `targetPort` on 127.0.0.1. */
  static async start(targetPort: number): Promise<FaultProxy> {
    const listener = createServer();
    const proxy = new FaultProxy(listener, { host: '127.0.0.1', port: targetPort });
    listener.on('connection', (client) => proxy.accept(client));
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get port(): number {
    return (this.listener.address() as AddressInfo).port;
  }

  /** The proxy's address as a WebSocket server URL (what a provider is given instead of the server's). */
  get url(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  /** The open connections, oldest first. */
  connections(): ProxiedConnection[] {
    return [...this.links];
  }

  /** Holds bytes (in the given directions of the chosen connections, and of new ones) until resume(). */
  pause(directions: Directions = 'both', which?: Which): void {
    this.set(directions, which, (flow) => (flow.mode = 'pause'), { mode: 'pause' });
  }

  /**
   * Discards bytes, those already held among them, until resume(); without `which`, new
   * connections too (a network that swallows everything: their upgrade never arrives).
   */
  drop(directions: Directions = 'both', which?: Which): void {
    this.set(directions, which, (flow) => (flow.mode = 'drop'), { mode: 'drop' });
  }

  /** Delays every chunk by `ms` from now on (0 ends it), new connections' too without `which`; order is kept. */
  delay(ms: number, directions: Directions = 'both', which?: Which): void {
    this.set(directions, which, (flow) => (flow.delayMs = ms), { delayMs: ms });
  }

  /** Passes bytes again; what a pause held goes first, in order. Stops refusing new connections. */
  resume(directions: Directions = 'both', which?: Which): void {
    this.refusing = false;
    this.set(directions, which, (flow) => (flow.mode = 'pass'), { mode: 'pass' });
  }

  /** Cuts the chosen open connections (all by default): both ends see them reset. */
  cut(which?: Which): void {
    for (const link of this.connections()) if (!which || which(link)) link.cut();
  }

  /**
   * A partition: cuts every open connection and resets every new one until heal(). The clients
   * see the server gone; the server sees its clients gone.
   */
  partition(): void {
    this.refusing = true;
    this.cut();
  }

  /** Ends a partition: new connections go through again. */
  heal(): void {
    this.refusing = false;
  }

  /** Stops listening and cuts every connection. */
  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.listener.close(() => resolve()));
  }

  private set(
    directions: Directions,
    which: Which | undefined,
    change: (flow: Flow) => void,
    forNew: Partial<{ mode: FlowMode; delayMs: number }>,
  ): void {
    if (!which)
      for (const d of directions === 'both' ? (['up', 'down'] as const) : [directions]) {
        Object.assign(this.defaults[d], forNew);
      }
    for (const link of this.links) {
      if (which && !which(link)) continue;
      for (const flow of link.flows(directions)) {
        change(flow);
        flow.flush();
      }
    }
  }

  private accept(client: Socket): void {
    if (this.refusing) {
      client.on('error', () => undefined);
      client.resetAndDestroy();
      return;
    }
    client.setNoDelay(true);
    const server = connect(this.target.port, this.target.host);
    server.setNoDelay(true);
    const link = new ProxiedConnection(this.nextId++, client, server, (l) => this.links.delete(l));
    for (const d of ['up', 'down'] as const) {
      link[d].mode = this.defaults[d].mode;
      link[d].delayMs = this.defaults[d].delayMs;
    }
    this.links.add(link);
  }
}
