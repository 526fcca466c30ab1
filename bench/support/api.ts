/** The few calls of the server's HTTP API the dashboard bench makes. */

export interface CommandResult {
  ok: boolean;
  lines: string[];
}

export interface DaemonState {
  id: string;
  kind: "manager" | "peer";
  name?: string;
  state?: string;
}

export class StormringApi {
  constructor(readonly baseUrl: string) {}

  async get<T>(route: string): Promise<T> {
    const response = await fetch(new URL(route, this.baseUrl));
    if (!response.ok) throw new Error(`GET ${route}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  async post<T>(route: string, body: unknown): Promise<T> {
    const response = await fetch(new URL(route, this.baseUrl), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`POST ${route}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  /** Runs a console line on a daemon; throws unless the daemon reports success. */
  async command(daemonId: string, line: string): Promise<string[]> {
    const result = await this.post<CommandResult>(`/api/daemons/${daemonId}/command`, { line });
    if (!result.ok) throw new Error(`${daemonId} ${line}: ${result.lines.join(" | ")}`);
    return result.lines;
  }

  /** Starts an unregistered peer and registers it as `name` on two free UDP ports. */
  async addRegisteredPeer(name: string): Promise<string> {
    const { id } = await this.post<{ id: string }>("/api/daemons", { kind: "peer" });
    const { ports } = await this.get<{ ports: number[] }>("/api/free-ports?count=2");
    await this.command(id, `register ${name} 127.0.0.1 ${ports[0]} ${ports[1]}`);
    return id;
  }

  async daemons(): Promise<DaemonState[]> {
    return (await this.get<{ daemons: DaemonState[] }>("/api/state")).daemons;
  }

  /** The newest seq of the server's merged timeline, paging on from `after`. */
  async lastTimelineSeq(after: number): Promise<number> {
    let last = after;
    for (;;) {
      const page = await this.get<{ entries: { seq: number }[]; next: number }>(
        `/api/timeline?after=${last}&limit=1000`,
      );
      if (page.entries.length === 0) return last;
      last = page.entries.at(-1)?.seq ?? last;
    }
  }
}
