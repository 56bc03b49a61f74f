/** Server counters and the Prometheus text exposition of them (GET /metrics). */

/** Flush latency buckets, seconds. */
const FLUSH_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/** Everything the server counts. Gauges (connections, rooms) are read live when rendering. */
export class Metrics {
  messagesIn = 0;
  messagesOut = 0;
  bytesIn = 0;
  bytesOut = 0;
  viewerUpdatesDropped = 0;
  storageErrors = 0;
  readonly rejected = new Map<string, number>();
  readonly closed = new Map<string, number>();
  /** Document updates refused by the role policy, by reason (shared/policy). */
  readonly refused = new Map<string, number>();
  /** Requests sent on to the node serving their room (#14), by kind: websocket, http, unreachable. */
  readonly proxied = new Map<string, number>();
  private readonly flushCounts = FLUSH_BUCKETS.map(() => 0);
  private flushCount = 0;
  private flushSum = 0;

  reject(reason: string): void {
    this.rejected.set(reason, (this.rejected.get(reason) ?? 0) + 1);
  }

  close(reason: string): void {
    this.closed.set(reason, (this.closed.get(reason) ?? 0) + 1);
  }

  proxy(kind: 'websocket' | 'http' | 'unreachable'): void {
    this.proxied.set(kind, (this.proxied.get(kind) ?? 0) + 1);
  }

  refuse(reason: string): void {
    this.refused.set(reason, (this.refused.get(reason) ?? 0) + 1);
  }

  observeFlush(seconds: number): void {
    this.flushCount++;
    this.flushSum += seconds;
    FLUSH_BUCKETS.forEach((bound, i) => {
      if (seconds <= bound) this.flushCounts[i]!++;
    });
  }

  /** The Prometheus text format. */
  render(gauges: {
    connections: number;
    rooms: number;
    /** In a cluster: the rooms whose leases this node holds, and the nodes alive. */
    cluster?: { owned: readonly string[]; nodes: number };
  }): string {
    const lines: string[] = [];
    const metric = (name: string, type: string, help: string, samples: [string, number][]): void => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
      for (const [labels, value] of samples) lines.push(`${name}${labels} ${value}`);
    };
    const labelled = (map: Map<string, number>): [string, number][] =>
      [...map].sort().map(([reason, n]) => [`{reason="${reason}"}`, n]);
    metric('talkoo_connections', 'gauge', 'Open WebSocket connections.', [['', gauges.connections]]);
    metric('talkoo_rooms_loaded', 'gauge', 'Rooms loaded in memory.', [['', gauges.rooms]]);
    metric('talkoo_messages_in_total', 'counter', 'Frames received.', [['', this.messagesIn]]);
    metric('talkoo_messages_out_total', 'counter', 'Frames sent.', [['', this.messagesOut]]);
    metric('talkoo_bytes_in_total', 'counter', 'Bytes received in frames.', [['', this.bytesIn]]);
    metric('talkoo_bytes_out_total', 'counter', 'Bytes sent in frames.', [['', this.bytesOut]]);
    metric('talkoo_viewer_updates_dropped_total', 'counter', 'Document updates from viewers dropped.', [
      ['', this.viewerUpdatesDropped],
    ]);
    metric('talkoo_storage_errors_total', 'counter', 'Failed storage operations.', [
      ['', this.storageErrors],
    ]);
    metric(
      'talkoo_rejected_connections_total',
      'counter',
      'Connections refused, by reason.',
      labelled(this.rejected),
    );
    metric(
      'talkoo_closed_connections_total',
      'counter',
      'Connections closed by the server, by reason.',
      labelled(this.closed),
    );
    metric(
      'talkoo_refused_updates_total',
      'counter',
      'Document updates refused by the role policy, by reason.',
      labelled(this.refused),
    );
    if (gauges.cluster) {
      const { owned, nodes } = gauges.cluster;
      metric(
        'talkoo_room_owned',
        'gauge',
        'Rooms this node holds the lease of (1 each).',
        owned.map((room) => [`{room="${room}"}`, 1]),
      );
      metric('talkoo_cluster_nodes', 'gauge', 'Nodes of the cluster alive now.', [['', nodes]]);
      metric(
        'talkoo_proxied_total',
        'counter',
        'Requests sent on to the node serving their room, by kind (unreachable: it could not be reached).',
        [...this.proxied].sort().map(([kind, n]) => [`{kind="${kind}"}`, n]),
      );
    }
    lines.push(
      '# HELP talkoo_flush_seconds Time from a document change to its durable write.',
      '# TYPE talkoo_flush_seconds histogram',
    );
    FLUSH_BUCKETS.forEach((bound, i) =>
      lines.push(`talkoo_flush_seconds_bucket{le="${bound}"} ${this.flushCounts[i]}`),
    );
    lines.push(`talkoo_flush_seconds_bucket{le="+Inf"} ${this.flushCount}`);
    lines.push(`talkoo_flush_seconds_sum ${this.flushSum}`, `talkoo_flush_seconds_count ${this.flushCount}`);
    return `${lines.join('\n')}\n`;
  }
}
