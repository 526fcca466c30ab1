/**
 * The bench's side of the floor: builds the node program once, starts a chain of node
 * processes, and times a store of the year along a chain of some of them, from writing the
 * command to the leader's stdin to its `total:` line, as the bench times stormring's
 * setup-dht from its leader's console.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { Daemon, REPO_ROOT } from "../../daemons/demo/processes.ts";
import { sinceCommand } from "../support/timing.ts";

const STEP_MS = 60_000;

let bundled: string | undefined;

/**
 * The node program compiled by esbuild into one file, as `npm run build` compiles the
 * daemons (tools/build.ts), so neither side runs through tsx while it is timed.
 */
async function nodeProgram(): Promise<string> {
  if (bundled !== undefined) return bundled;
  const folder = mkdtempSync(path.join(tmpdir(), "stormring-floor-"));
  process.on("exit", () => rmSync(folder, { recursive: true, force: true }));
  const outfile = path.join(folder, "floor-node.js");
  await build({
    entryPoints: [fileURLToPath(new URL("./node.ts", import.meta.url))],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    logLevel: "warning",
    // csv-parse is CommonJS: its require() of node's modules needs a real one.
    banner: {
      js: "import { createRequire as createRequireForBundle } from 'node:module'; const require = createRequireForBundle(import.meta.url);",
    },
  });
  bundled = outfile;
  return outfile;
}

export interface FloorOptions {
  env?: NodeJS.ProcessEnv;
  echo?: (label: string, line: string) => void;
}

/** One store along the chain: how long it took and what each node reported holding. */
export interface FloorStore {
  ms: number;
  counts: number[];
}

export class FloorChain {
  private constructor(
    private readonly nodes: Daemon[],
    /** Each node's UDP port, by node index. */
    readonly ports: number[],
  ) {}

  /** Starts `size` node processes and waits until each has bound its socket. */
  static async start(size: number, options: FloorOptions = {}): Promise<FloorChain> {
    const program = await nodeProgram();
    const nodes = Array.from({ length: size }, (_, index) => {
      const child = spawn(process.execPath, [program], {
        cwd: REPO_ROOT,
        env: { ...process.env, ...options.env },
        stdio: ["pipe", "pipe", "pipe"],
      });
      return new Daemon(`floor${index}`, child, options.echo);
    });
    try {
      const ports = [];
      for (const node of nodes) {
        const line = await node.waitFor(/^floor node on port \d+$/);
        ports.push(Number(line.split(" ").at(-1)));
      }
      return new FloorChain(nodes, ports);
    } catch (error) {
      await Promise.all(nodes.map((node) => node.stop()));
      throw error;
    }
  }

  /**
   * Stores `file` along the nodes `order` (node indexes; the first leads), after telling
   * each its place (untimed, like stormring's set-up before a command).
   */
  async store(order: number[], file: string): Promise<FloorStore> {
    const ports = order.map((index) => this.ports[index] as number).join(",");
    for (const [id, index] of order.entries()) {
      await this.node(index).run(`ring ${id} ${ports}`, /^ring \d+ of \d+$/);
    }
    const leader = this.node(order[0] as number);
    const from = leader.lines.length;
    const lines = await leader.run(`store ${file}`, /^total: \d+ records/, STEP_MS);
    const counts: number[] = [];
    for (const line of lines) {
      const match = /^node (\d+): (\d+) records$/.exec(line);
      if (match) counts[Number(match[1])] = Number(match[2]);
    }
    return { ms: sinceCommand(leader, from, /^total: /), counts };
  }

  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((node) => node.stop()));
  }

  private node(index: number): Daemon {
    const node = this.nodes[index];
    if (node === undefined) throw new Error(`the floor has no node ${index}`);
    return node;
  }
}
