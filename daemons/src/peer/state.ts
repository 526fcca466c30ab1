/**
 * The peer state machine's types: what a peer knows, the events that reach it and the
 * effects it asks its shell to carry out. The machine never touches a socket, a file, a
 * timer or the local hash table; the shell does, and reports back with events.
 */

import type { Replication } from "../data/placement.ts";
import type {
  ManagerRequestBody,
  PeerBody,
  PeerMessage,
  PeerTuple,
  Reply,
} from "../protocol/messages.ts";
import type { RecordLine } from "../protocol/record-line.ts";
import type { Command } from "./command-line.ts";

/** The address a datagram came from. */
export type Source = { ip: string; port: number };

/** This peer's place in a ring. */
export interface Membership {
  nodeId: number;
  year: string;
  /** Every member in ring order: index = node id; the ring size is its length. */
  tuples: PeerTuple[];
  /** s, learnt from the stores or the count barrier; null until the first arrives. */
  tableSize: number | null;
  /** False from a teardown until the ring is complete again: finds are answered BUSY. */
  usable: boolean;
  /** Set up with replicas= or consistency= (data/placement.ts); null: the assignment's ring. */
  replication: Replication | null;
}

/** A leader storing a year on its ring: setup-dht, or a rebuild after leave or join. */
export interface Build {
  purpose: "setup" | "rebuild";
  /** For a rebuild: the leaver or joiner to tell when done. */
  initiator: PeerTuple | null;
  /** Node ids whose set-id has not been acknowledged yet (setup only). */
  awaitingSetId: number[];
  records: RecordLine[] | null;
  tableSize: number | null;
  expectedCounts: number[] | null;
  /** A rebuild that repairs the ring: the dead member it is rebuilt without. */
  repairOf: string | null;
  /** A replicated ring's: how many copies each node stores, as the hashing places them. */
  expectedCopies: number[] | null;
}

/**
 * A replicated ring's new leader collecting what every member held (rebuilds store the
 * ring's own records again, written ones included, not the year's file): who must send.
 */
export interface Gathering {
  expected: PeerTuple[];
  /** Names whose `gathered` marker has come: all of their records are here. */
  arrived: string[];
}

/** A write this peer asked for, waiting for its acknowledgement. */
export interface PendingWrite {
  writeId: number;
  eventId: number;
  nonce: string;
  /** As typed: a write whose first member is silent is sent again through another. */
  command: WriteCommand;
}

/** A leave or join this peer started, from the manager's SUCCESS to dht-rebuilt. */
export type Churn =
  | { kind: "leave"; stage: "teardown" | "reset-id"; year: string }
  /** The renumbered ring's leader is storing the year again; it answers rebuild-done. */
  | { kind: "leave"; stage: "rebuild"; year: string; newLeader: PeerTuple }
  | { kind: "join"; leader: PeerTuple; stage: "joining" }
  /** The leader running a join for `joiner`. */
  | { kind: "host-join"; joiner: PeerTuple; stage: "teardown" | "reset-id" }
  | { kind: "teardown-dht"; stage: "teardown" }
  /** Reporting the right neighbour `dead` to the manager, then repairing the ring without it. */
  | RepairChurn;

export type RepairChurn =
  | { kind: "repair"; stage: "reporting"; dead: PeerTuple }
  /**
   * Too few survive for a ring, or the DHT was not complete: the teardown round drops
   * every table, then nothing. `why` ends the line printed then.
   */
  | { kind: "repair"; stage: "abandon"; dead: PeerTuple; why: string }
  /** `survivors`: the new ring in id order, from the dead member's right neighbour. */
  | { kind: "repair"; stage: "teardown" | "reset-id"; dead: PeerTuple; survivors: PeerTuple[] }
  | { kind: "repair"; stage: "rebuild"; dead: PeerTuple; newLeader: PeerTuple };

export interface PendingQuery {
  queryId: number;
  eventId: number;
  /** Echoed by the only answer this peer takes (find-result). */
  nonce: string;
}

export interface PeerState {
  /** The console command running now: one at a time, from its line to its outcome. */
  /**
   * `retries`: times a query or write asked the manager again, its first member silent;
   * `repairWaits`: times it asked again because the manager was repairing the ring.
   */
  current: {
    commandId: number;
    kind: Command["kind"];
    retries?: number;
    repairWaits?: number;
  } | null;
  registration: { name: string; ip: string; mport: number; pport: number } | null;
  /** What the peer is doing with the manager right now (one request at a time). */
  awaiting:
    | null
    | { kind: "bind"; command: Extract<Command, { kind: "register" }> }
    | { kind: "load"; command: Extract<Command, { kind: "setup-dht" }> }
    /** `eventId`: for query-dht typed with an event id, the id to look up. */
    | {
        kind: "manager";
        requestId: number;
        request: ManagerRequestBody;
        eventId: number | null;
        /** A write's query-dht: the member the manager names gets this write. */
        write?: WriteCommand;
        /** A query asked again: the member named gets that walk, under its first deadline. */
        retryOf?: number;
      };
  membership: Membership | null;
  build: Build | null;
  churn: Churn | null;
  /** query-dht answered without an event id: the next console line is the event id. */
  awaitingEventId: { member: PeerTuple; name: string } | null;
  queries: PendingQuery[];
  nextQueryId: number;
  writes: PendingWrite[];
  nextWriteId: number;
  /** The new leader of a replicated ring's rebuild, collecting the members' records. */
  gathering: Gathering | null;
  /** Names each manager request, so its reply or failure is matched to it. */
  nextRequestId: number;
  /** Probe ticks since the last check-in with the manager (check-in.ts). */
  ticksSinceCheckIn: number;
  /** The membership the last check-in asked about; its answer counts only for that one. */
  checkedIn: Membership | null;
  /** How long a ring command may wait for its outcome (deadline.ts; --command-timeout). */
  commandTimeoutMs: number;
  /**
   * The ring a teardown-dht was passed on in, kept until the next node has taken it, so it
   * can go on past that node if it is dead. The DHT is already over here: a new set-id may
   * come before that acknowledgement does (it was lost, and the round completed anyway).
   */
  handingOver: PeerTuple[] | null;
}

export type WriteCommand = Extract<Command, { kind: "insert-event" | "delete-event" }>;

/** A little over the manager's default --wait-timeout of 30 s, so its rollback comes first. */
export const DEFAULT_COMMAND_TIMEOUT_MS = 35_000;

export function initialPeerState(commandTimeoutMs = DEFAULT_COMMAND_TIMEOUT_MS): PeerState {
  return {
    current: null,
    registration: null,
    awaiting: null,
    membership: null,
    build: null,
    churn: null,
    awaitingEventId: null,
    queries: [],
    nextQueryId: 1,
    writes: [],
    nextWriteId: 1,
    gathering: null,
    nextRequestId: 1,
    ticksSinceCheckIn: 0,
    checkedIn: null,
    commandTimeoutMs,
    handingOver: null,
  };
}

export type PeerEvent =
  /** A console line; `commandId` names it in the `done` effect that ends it. */
  | { kind: "line"; line: string; commandId: number }
  | { kind: "bound" }
  | { kind: "bind-failed"; error: string }
  | { kind: "loaded"; year: string; records: RecordLine[] }
  /** `missing`: the year's data file is not in the data folder (it may be fetched). */
  | { kind: "load-failed"; year: string; error: string; missing: boolean }
  | { kind: "reply"; requestId: number; request: ManagerRequestBody; reply: Reply }
  | { kind: "request-failed"; requestId: number; request: ManagerRequestBody; error: string }
  /** A peer message delivered by the link from the p-port `source`. */
  | { kind: "message"; message: PeerMessage; source: Source }
  | { kind: "delivered"; to: PeerTuple; body: PeerBody }
  | { kind: "send-failed"; to: PeerTuple; body: PeerBody; error: string }
  | { kind: "timer"; timer: Timer }
  /**
   * Every probe interval: a usable member probes its right neighbour. `pausedMs`: the tick
   * came that much late, more than the dead-after time (the process was stopped).
   */
  | { kind: "tick"; pausedMs?: number };

export type PeerEffect =
  | { kind: "print"; line: string }
  /** Bind both ports, then speak as `name` (the name being registered). */
  | { kind: "bind"; name: string; ip: string; mport: number; pport: number }
  | { kind: "unbind" }
  | { kind: "load"; year: string }
  | { kind: "request"; requestId: number; body: ManagerRequestBody }
  /** Send on the ordered link to `to`; `notify` asks for a delivered event. */
  | { kind: "send"; to: PeerTuple; body: PeerBody; notify?: boolean }
  /** Pack record lines (protocol/record-line.ts) into store datagrams on the link to `to`. */
  | { kind: "send-records"; to: PeerTuple; lines: string[]; tableSize: number }
  /** `total`: set by a leader's distribution, the number of records the build stores. */
  /** `copies`: how many of `records` are copies here (a replicated ring), not primaries. */
  | {
      kind: "store-local";
      records: RecordLine[];
      tableSize: number;
      total?: number;
      copies?: number;
    }
  | { kind: "drop-table" }
  /**
   * Append the number of records held here to `counts` (and, given `copies`, how many of
   * them are copies) and send the count on.
   */
  | {
      kind: "forward-count";
      to: PeerTuple;
      counts: number[];
      tableSize: number;
      copies?: number[];
    }
  /** Send every record held here to a rebuild's new leader, then `gathered`; drop the table. */
  | { kind: "gather-to"; to: PeerTuple }
  /** A new leader's: forget records gathered for an earlier rebuild. */
  | { kind: "start-gathering" }
  /** Records a member sent for the rebuild: keep them until the rebuild stores them. */
  | { kind: "keep-gathered"; records: RecordLine[] }
  /** Everything is gathered: a `loaded` event with them and this node's own records. */
  | { kind: "load-gathered"; year: string }
  /**
   * Apply a write to the local table (`record` null: delete), then send `then`. A primary
   * (`primaryOf` set) deleting an id it does not hold sends the writer UNKNOWN_EVENT
   * instead; `copy`: the record is a copy here, not a primary.
   */
  | {
      kind: "apply-write";
      eventId: number;
      record: RecordLine | null;
      copy: boolean;
      primaryOf: { origin: PeerTuple; writeId: number; nonce: string } | null;
      then: { to: PeerTuple; body: PeerBody }[];
    }
  /** Look `eventId` up in the local table and send find-result to `origin`. */
  | {
      kind: "answer-query";
      origin: PeerTuple;
      queryId: number;
      nonce: string;
      eventId: number;
      idSeq: number[];
    }
  /** After `ms`, a `timer` event naming `timer`. */
  | { kind: "start-timer"; timer: Timer; ms: number }
  | { kind: "exit"; code: number }
  /** A query this peer asked is over without an answer (for observers): TIMEOUT, UNDELIVERED. */
  | { kind: "query-unanswered"; queryId: number; eventId: number; reason: string }
  /** A message dropped by the meaning checks (admission.ts): log it, rate-limited. */
  | { kind: "reject"; from: string; type: PeerMessage["type"]; reason: string }
  /** The console command `commandId` has finished; `failure` says why, if it did not succeed. */
  | { kind: "done"; commandId: number; failure: CommandFailure | null };

/**
 * Why a console command did not succeed, for callers that act on it (the dashboard, the
 * API): a manager FAILURE's reason code (DUPLICATE_NAME, NO_DHT, ...), a member's refusal
 * of a query (BUSY), or one of this peer's own: REFUSED (refused on the spot: a bad or
 * untimely command), MISSING_YEAR (no data file for `year`), BIND_FAILED, NO_ANSWER (the
 * manager did not answer), UNDELIVERED (a ring message could not be delivered), TIMEOUT
 * (a query got no answer in time).
 */
export interface CommandFailure {
  reason: string;
  year?: string;
}

export interface Step {
  state: PeerState;
  effects: PeerEffect[];
}

/** Randomness is injected so tests can make the walk deterministic. */
/** What a timer is for: a query's answer, or a ring command's outcome. */
export type Timer =
  | { kind: "query"; queryId: number }
  /** Ask the manager `request` again (a query or write waiting out a repair). */
  | {
      kind: "ask-again";
      commandId: number;
      request: ManagerRequestBody;
      eventId: number | null;
      write?: WriteCommand;
      retryOf?: number;
    }
  | { kind: "write"; writeId: number }
  | { kind: "command"; commandId: number };

export interface PeerContext {
  random: () => number;
  /** 64 unguessable bits as 16 hex digits, for a query's nonce. */
  nonce: () => string;
}
