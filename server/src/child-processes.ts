/**
 * What the supervisor needs of its child processes besides spawning them: their output as
 * lines, and nothing of theirs left behind (a running child, the manager's state folder)
 * when this process exits without stopping them.
 */
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

/** Every running child of every supervisor. */
const liveChildren = new Set<ChildProcess>();
/** Every supervisor's temp folder not yet removed. */
const tempFolders = new Set<string>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Only synchronous work is possible here, so no graceful SIGTERM-then-wait: kill outright.
  process.on("exit", () => {
    for (const child of liveChildren) child.kill("SIGKILL");
    for (const folder of tempFolders) rmSync(folder, { recursive: true, force: true });
  });
}

/** SIGKILLs `child` if this process exits while it runs; call the result once it has exited. */
export function killOnExit(child: ChildProcess): () => void {
  installExitHook();
  liveChildren.add(child);
  return () => liveChildren.delete(child);
}

/** A fresh folder under the OS's temp folder, removed at exit unless `removeTempFolder` was first. */
export function makeTempFolder(prefix: string): string {
  installExitHook();
  const folder = mkdtempSync(path.join(tmpdir(), prefix));
  tempFolders.add(folder);
  return folder;
}

export async function removeTempFolder(folder: string): Promise<void> {
  await rm(folder, { recursive: true, force: true });
  tempFolders.delete(folder);
}

/** Calls `onLine` with each complete line of a stream (and a last unterminated one). */
export function readLines(
  stream: NodeJS.ReadableStream | null,
  onLine: (line: string) => void,
): void {
  if (stream === null) return;
  let partial = "";
  stream.setEncoding("utf8");
  stream.on("data", (chunk: string) => {
    const parts = (partial + chunk).split("\n");
    partial = parts.pop() ?? "";
    for (const part of parts) onLine(part.replace(/\r$/, ""));
  });
  stream.on("end", () => {
    if (partial !== "") onLine(partial);
    partial = "";
  });
}
