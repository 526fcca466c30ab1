/**
 * The manager's state information base on disk (SQLite through better-sqlite3), so a
 * manager killed and started again on the same file knows every registration and the DHT.
 * Each change is written in one transaction together with the reply it caused, so a
 * request retransmitted across a restart is answered from the log, not executed twice.
 */
import Database from "better-sqlite3";
import type { ManagerState, Pending, RegisteredPeer, Standing } from "../manager/state.ts";
import type { Reply } from "../protocol/messages.ts";

/** Replies kept for retransmissions across a restart; requests are retried for seconds. */
const REPLIES_KEPT = 1_000;

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS peers (
    position INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, ip TEXT NOT NULL,
    mport INTEGER NOT NULL, pport INTEGER NOT NULL, standing TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS dht (
    one INTEGER PRIMARY KEY CHECK (one = 1), leader TEXT NOT NULL, year TEXT NOT NULL,
    phase TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS members (node_id INTEGER PRIMARY KEY, name TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS pending (
    one INTEGER PRIMARY KEY CHECK (one = 1), kind TEXT NOT NULL, peer TEXT NOT NULL, dead TEXT);
  CREATE TABLE IF NOT EXISTS replies (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, request TEXT NOT NULL UNIQUE, reply TEXT NOT NULL);
`;

export interface StoredReply {
  /** The request's `address/sess/id`, as the reply cache keys it. */
  request: string;
  reply: Reply;
}

export class ManagerStore {
  private readonly db: Database.Database;
  private readonly saveChange: (state: ManagerState, reply: StoredReply | null) => void;

  constructor(readonly path: string) {
    this.db = new Database(path);
    this.db.pragma("journal_mode = WAL");
    // A change must be on disk before its reply leaves: a kill -9 loses nothing answered.
    this.db.pragma("synchronous = FULL");
    this.db.exec(SCHEMA);
    const db = this.db;
    const insertPeer = db.prepare(
      "INSERT INTO peers (position, name, ip, mport, pport, standing) VALUES (?, ?, ?, ?, ?, ?)",
    );
    const insertDht = db.prepare("INSERT INTO dht (one, leader, year, phase) VALUES (1, ?, ?, ?)");
    const insertMember = db.prepare("INSERT INTO members (node_id, name) VALUES (?, ?)");
    const insertPending = db.prepare(
      "INSERT INTO pending (one, kind, peer, dead) VALUES (1, ?, ?, ?)",
    );
    const insertReply = db.prepare("INSERT OR REPLACE INTO replies (request, reply) VALUES (?, ?)");
    const pruneReplies = db.prepare(
      "DELETE FROM replies WHERE seq <= (SELECT MAX(seq) FROM replies) - ?",
    );
    this.saveChange = db.transaction((state: ManagerState, reply: StoredReply | null) => {
      db.exec("DELETE FROM peers; DELETE FROM dht; DELETE FROM members; DELETE FROM pending;");
      [...state.peers.values()].forEach((peer, position) => {
        insertPeer.run(position, peer.name, peer.ip, peer.mport, peer.pport, peer.state);
      });
      if (state.dht !== null) {
        insertDht.run(state.dht.leader, state.dht.year, state.dht.phase);
        for (const [nodeId, name] of state.dht.members.entries()) insertMember.run(nodeId, name);
      }
      const { pending } = state;
      if (pending !== null) insertPending.run(pending.kind, pending.peer, pending.dead ?? null);
      if (reply !== null) {
        insertReply.run(reply.request, JSON.stringify(reply.reply));
        pruneReplies.run(REPLIES_KEPT);
      }
    });
  }

  /** The state as last saved (an empty registry for a new file). */
  load(): ManagerState {
    const peers = new Map<string, RegisteredPeer>();
    const rows = this.db.prepare("SELECT * FROM peers ORDER BY position").all() as PeerRow[];
    for (const row of rows) {
      peers.set(row.name, {
        name: row.name,
        ip: row.ip,
        mport: row.mport,
        pport: row.pport,
        state: row.standing as Standing,
      });
    }
    const dhtRow = this.db.prepare("SELECT * FROM dht").get() as DhtRow | undefined;
    const members = (
      this.db.prepare("SELECT name FROM members ORDER BY node_id").all() as {
        name: string;
      }[]
    ).map((row) => row.name);
    const pendingRow = this.db.prepare("SELECT * FROM pending").get() as PendingRow | undefined;
    return {
      peers,
      dht:
        dhtRow === undefined
          ? null
          : { leader: dhtRow.leader, year: dhtRow.year, phase: dhtRow.phase, members },
      pending: pendingRow === undefined ? null : pendingOf(pendingRow),
    };
  }

  /** The replies logged, oldest first, to answer retransmissions after a restart. */
  replies(): StoredReply[] {
    const rows = this.db.prepare("SELECT request, reply FROM replies ORDER BY seq").all() as {
      request: string;
      reply: string;
    }[];
    return rows.map((row) => ({ request: row.request, reply: JSON.parse(row.reply) as Reply }));
  }

  /** Writes the whole state, and the reply that changed it, in one transaction. */
  save(state: ManagerState, reply: StoredReply | null = null): void {
    this.saveChange(state, reply);
  }

  close(): void {
    this.db.close();
  }
}

interface PeerRow {
  name: string;
  ip: string;
  mport: number;
  pport: number;
  standing: string;
}
interface DhtRow {
  leader: string;
  year: string;
  phase: "building" | "ready" | "rebuilding" | "tearing-down";
}
interface PendingRow {
  kind: Pending["kind"];
  peer: string;
  dead: string | null;
}

function pendingOf(row: PendingRow): Pending {
  return row.dead === null
    ? { kind: row.kind, peer: row.peer }
    : { kind: row.kind, peer: row.peer, dead: row.dead };
}
