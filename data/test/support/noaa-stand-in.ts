/**
 * A local stand-in for NCEI's csvfiles folder, so fetch tests never reach the internet: an
 * HTML directory listing of the files it is given, and each file served as the test asks
 * (whole, cut short, broken off, held back, or an HTTP error).
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** How one listed file answers. */
export type NoaaFile =
  /** Served whole, with its content-length. */
  | Buffer
  /** Listed, but answers with this HTTP status (e.g. 404, 500). */
  | number
  /**
   * cut: the first half, with a content-length that matches it (the gzip is truncated);
   * drop: promises the whole file, sends half, then breaks the connection;
   * hold: served whole once the test calls releaseHeld().
   */
  | { serve: "cut" | "drop" | "hold"; body: Buffer };

export interface NoaaStandIn {
  /** The csvfiles folder's URL, ending in "/". */
  baseUrl: string;
  /** Every path requested below baseUrl, in order: "" for the listing, else a file name. */
  requests: string[];
  /** The file names requested (the listing left out). */
  readonly downloads: string[];
  /** How many "hold" responses are waiting. */
  readonly held: number;
  /** Resolves once `count` "hold" responses are waiting. */
  whenHeld(count?: number): Promise<void>;
  /** Lets every held response go. */
  releaseHeld(): void;
  close(): Promise<void>;
}

/** The folder path, as NCEI's; the fetcher must resolve file names against it. */
const FOLDER = "/csvfiles/";

/** An Apache-style index page naming `names`, like NCEI's. */
export function noaaListing(names: string[]): string {
  const rows = names
    .map((name) => `<tr><td><a href="${name}">${name}</a></td><td>2024-02-16 10:00</td></tr>`)
    .join("");
  return `<html><body><h1>Index of csvfiles</h1><table>${rows}</table></body></html>`;
}

/** Starts the stand-in on a free loopback port; the listing names every key of `files`. */
export async function startNoaaStandIn(files: Record<string, NoaaFile>): Promise<NoaaStandIn> {
  const requests: string[] = [];
  const held: (() => void)[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const wakeWaiters = () => {
    for (const waiter of waiters.filter(({ count }) => held.length >= count)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  };
  const server = createServer((request, response) => {
    const path = request.url ?? "";
    if (!path.startsWith(FOLDER)) {
      response.statusCode = 404;
      response.end("not found");
      return;
    }
    const name = decodeURIComponent(path.slice(FOLDER.length));
    requests.push(name);
    if (name === "") {
      response.setHeader("content-type", "text/html");
      response.end(noaaListing(Object.keys(files)));
      return;
    }
    const file = Object.hasOwn(files, name) ? files[name] : 404;
    const sendWhole = (body: Buffer) => {
      response.setHeader("content-length", body.length);
      response.end(body);
    };
    if (file === undefined || typeof file === "number") {
      response.statusCode = file ?? 404;
      response.end(file === 500 ? "internal error" : "not found");
    } else if (Buffer.isBuffer(file)) {
      sendWhole(file);
    } else if (file.serve === "hold") {
      held.push(() => sendWhole(file.body));
      wakeWaiters();
    } else {
      const half = file.body.subarray(0, Math.floor(file.body.length / 2));
      if (file.serve === "cut") {
        sendWhole(half);
      } else {
        response.setHeader("content-length", file.body.length);
        // A short pause, so the half is on its way before the connection breaks.
        response.write(half, () => setTimeout(() => response.destroy(), 20));
      }
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}${FOLDER}`,
    requests,
    get downloads() {
      return requests.filter((name) => name !== "");
    },
    get held() {
      return held.length;
    },
    whenHeld(count = 1) {
      return new Promise<void>((resolve) => {
        waiters.push({ count, resolve });
        wakeWaiters();
      });
    },
    releaseHeld() {
      for (const release of held.splice(0)) release();
    },
    close() {
      // Held responses are let go first, so no client is left waiting on a closed server.
      for (const release of held.splice(0)) release();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
