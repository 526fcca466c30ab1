/** The dashboard's own API client, pointed at the bench's server, and the steps it composes. */
import { apiAt } from "../../web/src/api/client.ts";

export class StormringApi {
  private readonly api: ReturnType<typeof apiAt>;

  constructor(baseUrl: string) {
    this.api = apiAt(baseUrl);
  }

  /** Runs a console line on a daemon; throws unless the daemon reports success. */
  async command(daemonId: string, line: string): Promise<string[]> {
    const result = await this.api.command(daemonId, line);
    if (!result.ok) throw new Error(`${daemonId} ${line}: ${result.lines.join(" | ")}`);
    return result.lines;
  }

  /** Starts an unregistered peer and registers it as `name` on two free UDP ports. */
  async addRegisteredPeer(name: string): Promise<string> {
    const { id } = await this.api.addPeer();
    const { host, ports } = await this.api.freePorts("127.0.0.1", 2);
    await this.command(id, `register ${name} ${host} ${ports[0]} ${ports[1]}`);
    return id;
  }

  /** The newest seq of the server's merged timeline, paging on from `after`. */
  async lastTimelineSeq(after: number): Promise<number> {
    let last = after;
    for (;;) {
      const page = await this.api.timeline(last, 1000);
      if (page.entries.length === 0) return last;
      last = page.entries.at(-1)?.seq ?? last;
    }
  }
}
