/**
 * A rig of Linux network namespaces standing in for separate hosts: `sr<pid>-br` holds a
 * bridge, and each host `sr<pid>-h<i>` is joined to it by a veth pair, with the address
 * 198.18.0.<i>/24 on its `eth0` and its own `lo`. Nothing is done in the machine's own
 * network namespace: every link is created inside the rig's namespaces. nftables rules
 * in each host can drop a share of the UDP datagrams arriving there. Needs root and
 * iproute2 and nftables (`ip`, `nft`).
 *
 * Every namespace made is deleted by `destroy()`, and also when the process exits or is
 * stopped by SIGINT, SIGTERM or SIGHUP; `create` first deletes namespaces left by runs
 * whose process no longer exists.
 */
import { type ChildProcess, execFileSync, type SpawnOptions, spawn } from "node:child_process";

const NAME = /^sr(\d+)-(br|h\d+)$/;
const LOSS_TABLE = "stormring_loss";

/** Namespaces made by this process and not yet deleted. */
const made = new Set<string>();
let hooked = false;

function ip(...args: string[]): string {
  return execFileSync("ip", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

function deleteNamespace(name: string): void {
  try {
    ip("netns", "del", name);
  } catch {
    // already gone
  }
  made.delete(name);
}

function deleteAllMade(): void {
  for (const name of [...made]) deleteNamespace(name);
}

/** Deletes every namespace this process made when it ends, however it ends. */
function hookExit(): void {
  if (hooked) return;
  hooked = true;
  process.on("exit", deleteAllMade);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(signal, () => {
      deleteAllMade();
      process.kill(process.pid, signal);
    });
  }
}

function namespaces(): string[] {
  return ip("netns", "list")
    .split("\n")
    .map((line) => line.split(" ")[0] ?? "")
    .filter((name) => name !== "");
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Deletes `sr<pid>-...` namespaces whose run's process no longer exists; returns them. */
export function removeStaleNamespaces(): string[] {
  const stale = namespaces().filter((name) => {
    const pid = Number(NAME.exec(name)?.[1] ?? Number.NaN);
    return Number.isInteger(pid) && pid !== process.pid && !alive(pid);
  });
  for (const name of stale) deleteNamespace(name);
  return stale;
}

/** Why this machine cannot run the rig, or undefined if it can. */
export function rigUnavailable(): string | undefined {
  if (process.platform !== "linux") return `network namespaces need Linux, not ${process.platform}`;
  if (process.getuid?.() !== 0) return "network namespaces need root (run the test as root)";
  for (const [tool, args, pkg] of [
    ["ip", ["netns", "list"], "iproute2"],
    ["nft", ["--version"], "nftables"],
  ] as const) {
    try {
      execFileSync(tool, args, { stdio: "ignore" });
    } catch (error) {
      return `\`${tool} ${args.join(" ")}\` failed (${(error as Error).message}); install ${pkg}`;
    }
  }
  return undefined;
}

export class NetnsRig {
  private destroyed = false;

  private constructor(
    readonly prefix: string,
    /** The host namespaces' names, host 0 first. */
    readonly hosts: string[],
    readonly bridge: string,
  ) {}

  /** Makes the bridge namespace and `count` hosts joined to it. */
  static create(count: number): NetnsRig {
    if (count < 1 || count > 250) throw new RangeError(`cannot make ${count} hosts`);
    hookExit();
    removeStaleNamespaces();
    const prefix = `sr${process.pid}`;
    if ([...made].some((name) => name.startsWith(`${prefix}-`))) {
      throw new Error("this process already has a rig; destroy it before making another");
    }
    const bridge = `${prefix}-br`;
    const hosts = Array.from({ length: count }, (_, index) => `${prefix}-h${index + 1}`);
    const rig = new NetnsRig(prefix, hosts, bridge);
    try {
      for (const name of [bridge, ...hosts]) {
        ip("netns", "add", name);
        made.add(name);
        ip("-n", name, "link", "set", "lo", "up");
      }
      ip("-n", bridge, "link", "add", "br0", "type", "bridge");
      ip("-n", bridge, "link", "set", "br0", "up");
      for (const [index, host] of hosts.entries()) {
        const port = `h${index + 1}`;
        ip(
          "-n",
          bridge,
          "link",
          "add",
          port,
          "type",
          "veth",
          "peer",
          "name",
          "eth0",
          "netns",
          host,
        );
        ip("-n", bridge, "link", "set", port, "master", "br0");
        ip("-n", bridge, "link", "set", port, "up");
        ip("-n", host, "addr", "add", `${rig.address(index)}/24`, "dev", "eth0");
        ip("-n", host, "link", "set", "eth0", "up");
      }
    } catch (error) {
      rig.destroy();
      throw error;
    }
    return rig;
  }

  /** Host `index`'s address: 198.18.0.1 for host 0. */
  address(index: number): string {
    return `198.18.0.${index + 1}`;
  }

  /** The command prefix that runs a program inside host `index`. */
  wrap(index: number): string[] {
    return ["ip", "netns", "exec", this.host(index)];
  }

  /** Spawns `argv` inside host `index`. */
  exec(index: number, argv: string[], options: SpawnOptions = {}): ChildProcess {
    const [command = "", ...args] = [...this.wrap(index), ...argv];
    return spawn(command, args, options);
  }

  /** Runs `argv` inside host `index` to the end; returns its stdout, throws if it fails. */
  run(index: number, argv: string[], input?: string): string {
    const [command = "", ...args] = [...this.wrap(index), ...argv];
    return execFileSync(command, args, {
      encoding: "utf8",
      stdio: ["pipe", "pipe", "pipe"],
      ...(input === undefined ? {} : { input }),
    });
  }

  /** Drops `percent`% of the UDP datagrams arriving at every host (0 removes the rule). */
  setLoss(percent: number): void {
    if (!Number.isInteger(percent) || percent < 0 || percent > 100) {
      throw new RangeError(`loss must be a whole percentage, not ${percent}`);
    }
    // Declaring the table first makes the delete safe when it does not exist yet.
    let ruleset = `table inet ${LOSS_TABLE}\ndelete table inet ${LOSS_TABLE}\n`;
    if (percent > 0) {
      ruleset += [
        `table inet ${LOSS_TABLE} {`,
        "  chain input {",
        "    type filter hook input priority 0; policy accept;",
        `    meta l4proto udp numgen random mod 100 < ${percent} counter drop`,
        "  }",
        "}",
        "",
      ].join("\n");
    }
    for (const index of this.hosts.keys()) this.run(index, ["nft", "-f", "-"], ruleset);
  }

  /** Host `index`'s nftables ruleset, as `nft list ruleset` prints it. */
  ruleset(index: number): string {
    return this.run(index, ["nft", "list", "ruleset"]);
  }

  /** UDP datagrams the loss rule has dropped at host `index` since `setLoss`. */
  dropped(index: number): number {
    const match = /counter packets (\d+) bytes \d+ drop/.exec(this.ruleset(index));
    return Number(match?.[1] ?? 0);
  }

  /** Deletes every namespace of the rig (idempotent). */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    for (const name of [...this.hosts, this.bridge]) deleteNamespace(name);
  }

  /** The rig's namespaces that still exist. */
  remaining(): string[] {
    return namespaces().filter((name) => name.startsWith(`${this.prefix}-`));
  }

  private host(index: number): string {
    const name = this.hosts[index];
    if (name === undefined) throw new RangeError(`no host ${index}`);
    return name;
  }
}
