/**
 * Every datagram of the protocol, defined once as a TypeBox schema. The codec validates
 * each received datagram against the schema of its `type` before anything acts on it;
 * bounds on strings and arrays keep a hostile sender from making us hold large values.
 */
import { type Static, type TSchema, Type } from "@sinclair/typebox";

export const PROTOCOL_VERSION = 1;

/** The largest datagram a daemon accepts; larger ones are dropped as oversized. */
export const MAX_ACCEPTED_DATAGRAM = 16_384;

export { MIN_RING_SIZE } from "./ring-limits.ts";

const Name = Type.String({ minLength: 1, maxLength: 64 });
const Count = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
/** s = firstPrimeAbove(2l) is at least 2; 0 would make every `pos = id mod s` undefined. */
const TableSize = Type.Integer({ minimum: 2, maximum: Number.MAX_SAFE_INTEGER });
const Nonce = Type.String({ pattern: "^[0-9a-f]{16}$" });
const Port = Type.Integer({ minimum: 0, maximum: 65_535 });
const Year = Type.String({ maxLength: 16 });
const RingSize = Type.Integer({ minimum: 1, maximum: 4_096 });
/** Up to 4,096: the last reset-id hop carries the ring size back to its initiator. */
const NodeId = Type.Integer({ minimum: 0, maximum: 4_096 });

/** How many copies of each record the ring keeps, and how writes reach them (replication). */
const Replicas = Type.Integer({ minimum: 1, maximum: 4_096 });
const Consistency = Type.Union([Type.Literal("chain"), Type.Literal("eventual")]);
export type ConsistencyModel = Static<typeof Consistency>;
/** Present only on a DHT set up with replicas= or consistency=: the assignment's has neither. */
const replicationFields = {
  replicas: Type.Optional(Replicas),
  consistency: Type.Optional(Consistency),
};

/** Where a peer can be reached by other peers: its name, IPv4 address and p-port. */
export const PeerTupleSchema = Type.Object(
  { name: Name, ip: Type.String({ maxLength: 64 }), port: Port },
  { additionalProperties: false },
);
export type PeerTuple = Static<typeof PeerTupleSchema>;

const Tuples = Type.Array(PeerTupleSchema, { maxItems: 4_096 });

/** Longest field value a record may carry. */
export const MAX_FIELD_LENGTH = 512;
const FieldValue = Type.String({ maxLength: MAX_FIELD_LENGTH });

/**
 * One storm event: the 14 fields of PROTOCOL.md section 3, as text, event id first. The
 * event id must be digits, so every node can hash a record it receives without checks.
 */
export const StormRecordSchema = Type.Unsafe<string[]>(
  Type.Tuple([
    Type.String({ pattern: "^[0-9]{1,15}$" }),
    ...Array.from({ length: 13 }, () => FieldValue),
  ]),
);
export type StormRecord = string[];

/** A record on its way round the ring: 14 fields joined by tabs, event id first. */
export const RecordLineSchema = Type.String({
  maxLength: 14 * (MAX_FIELD_LENGTH + 1),
  pattern: "^[0-9]{1,15}\\t([^\\t]*\\t){12}[^\\t]*$",
});

/** Fields every datagram carries: version, type, sender, sender incarnation, id, clock. */
const envelope = {
  v: Type.Literal(PROTOCOL_VERSION),
  from: Name,
  /** Random per process start, so a restarted sender's ids are not taken for old ones. */
  sess: Type.Integer({ minimum: 1, maximum: 2 ** 31 }),
  id: Count,
  /** Lamport clock, so events seen by different daemons can be ordered causally. */
  clock: Count,
};

function message<T extends string, P extends Record<string, TSchema>>(type: T, fields: P) {
  return Type.Object(
    { type: Type.Literal(type), ...envelope, ...fields },
    {
      additionalProperties: false,
    },
  );
}

// ---- Manager requests (peer m-port -> manager) and the manager's reply ----

export const managerRequestSchemas = {
  register: message("register", {
    name: Name,
    ip: Type.String({ maxLength: 64 }),
    mport: Count,
    pport: Count,
  }),
  "setup-dht": message("setup-dht", {
    name: Name,
    n: Type.Integer({ minimum: -(2 ** 31), maximum: 2 ** 31 }),
    year: Year,
    ...replicationFields,
  }),
  "dht-complete": message("dht-complete", { name: Name }),
  "query-dht": message("query-dht", { name: Name }),
  "leave-dht": message("leave-dht", { name: Name }),
  "join-dht": message("join-dht", { name: Name }),
  "dht-rebuilt": message("dht-rebuilt", { name: Name, leader: Name }),
  deregister: message("deregister", { name: Name }),
  "teardown-dht": message("teardown-dht", { name: Name }),
  "teardown-complete": message("teardown-complete", { name: Name }),
  /** A peer that was paused asks whether the manager still counts it (or took it for dead). */
  "check-in": message("check-in", { name: Name }),
  /** A member's report that its right neighbour `peer` stopped answering. */
  "report-dead": message("report-dead", {
    name: Name,
    peer: Name,
    reason: Type.String({ maxLength: 256 }),
  }),
};
export type ManagerRequestType = keyof typeof managerRequestSchemas;
export type ManagerRequestOf<T extends ManagerRequestType> = Static<
  (typeof managerRequestSchemas)[T]
>;
export type ManagerRequest = { [T in ManagerRequestType]: ManagerRequestOf<T> }[ManagerRequestType];
export const MANAGER_REQUEST_TYPES = Object.keys(managerRequestSchemas) as ManagerRequestType[];

export const ReplySchema = message("reply", {
  /** The id of the request this answers. */
  re: Count,
  status: Type.Union([Type.Literal("SUCCESS"), Type.Literal("FAILURE")]),
  reason: Type.Optional(Type.String({ maxLength: 64 })),
  text: Type.Optional(Type.String({ maxLength: 512 })),
  /** setup-dht: the n members, leader first; report-dead with repair: the survivors' ring. */
  tuples: Type.Optional(Tuples),
  /** report-dead: what the reporter does next, rebuild the ring without it or tear it down. */
  repair: Type.Optional(Type.Union([Type.Literal("rebuild"), Type.Literal("teardown")])),
  /** BUSY while a repair runs (beyond PROTOCOL.md): ask again shortly, it will be over soon. */
  retry: Type.Optional(Type.Literal(true)),
  /** query-dht: a random member; join-dht: the leader. */
  tuple: Type.Optional(PeerTupleSchema),
  year: Type.Optional(Year),
});
export type Reply = Static<typeof ReplySchema>;

// ---- Peer-to-peer messages, carried on ordered reliable links between p-ports ----

const linkFields = { seq: Count };

export const peerMessageSchemas = {
  /** Leader -> node i: your id, the ring size and every member's tuple. */
  "set-id": message("set-id", {
    ...linkFields,
    nodeId: NodeId,
    ringSize: RingSize,
    year: Year,
    tuples: Tuples,
    ...replicationFields,
  }),
  /** Records on their way round the ring to the node the hashing names. */
  store: message("store", {
    ...linkFields,
    tableSize: TableSize,
    /** Record lines: the 14 fields joined by tabs (protocol/record-line.ts). */
    records: Type.Array(RecordLineSchema, { maxItems: 1_024 }),
    /** A replicated ring's rebuild: records a member sends the new leader, to be stored again. */
    gather: Type.Optional(Type.Literal(true)),
  }),
  /** Behind a member's gathered stores: it has sent the new leader everything it held. */
  gathered: message("gathered", { ...linkFields, sent: Count }),
  /** Barrier behind the stores: each node appends the number of records it holds. */
  count: message("count", {
    ...linkFields,
    tableSize: TableSize,
    counts: Type.Array(Count, { maxItems: 4_096 }),
    /** A replicated ring: how many of each node's records are copies (not its primaries). */
    copies: Type.Optional(Type.Array(Count, { maxItems: 4_096 })),
  }),
  /** Drop the local hash table and pass it on; `purpose` says what follows. */
  teardown: message("teardown", {
    ...linkFields,
    purpose: Type.Union([
      Type.Literal("teardown-dht"),
      Type.Literal("leave"),
      Type.Literal("join"),
      Type.Literal("repair"),
    ]),
    initiator: Name,
    /** Dead members the round goes round: the sender's right neighbour is past them. */
    dead: Type.Optional(Type.Array(Name, { maxItems: 64 })),
  }),
  /** Renumbering round after a leave or join; `tuples` are in the new ring order. */
  "reset-id": message("reset-id", {
    ...linkFields,
    nodeId: NodeId,
    ringSize: RingSize,
    year: Year,
    tuples: Tuples,
    initiator: PeerTupleSchema,
    ...replicationFields,
  }),
  /** Leaver -> new leader: store the year again on the renumbered ring. */
  "rebuild-dht": message("rebuild-dht", {
    ...linkFields,
    year: Year,
    initiator: PeerTupleSchema,
    /** A repair: the dead member the ring was rebuilt without. */
    dead: Type.Optional(Name),
  }),
  /** Leader -> the leaver or joiner: the rebuilt ring holds every record again. */
  "rebuild-done": message("rebuild-done", {
    ...linkFields,
    leader: Name,
    counts: Type.Array(Count, { maxItems: 4_096 }),
    copies: Type.Optional(Type.Array(Count, { maxItems: 4_096 })),
  }),
  /** Joiner -> leader: add me to the ring. */
  "node-joining": message("node-joining", { ...linkFields, joiner: PeerTupleSchema }),
  /** Member -> right neighbour, every probe interval: the link's ack says it is alive. */
  probe: message("probe", { ...linkFields }),
  /** One hop of a hot-potato query. */
  "find-event": message("find-event", {
    ...linkFields,
    queryId: Count,
    /** 64 random bits from the asking peer; only an answer that echoes them is taken. */
    nonce: Nonce,
    eventId: Count,
    origin: PeerTupleSchema,
    idSeq: Type.Array(NodeId, { maxItems: 4_096 }),
    /** Members this walk found dead: a copy before them in a chain answers in their place. */
    silent: Type.Optional(Type.Array(NodeId, { maxItems: 4_096 })),
  }),
  /** The owner's answer, straight to the peer that asked. */
  "find-result": message("find-result", {
    ...linkFields,
    queryId: Count,
    nonce: Nonce,
    eventId: Count,
    record: Type.Optional(StormRecordSchema),
    /** FAILURE without a record and with a reason: the member could not look it up (BUSY). */
    reason: Type.Optional(Type.String({ maxLength: 64 })),
    idSeq: Type.Array(NodeId, { maxItems: 4_096 }),
  }),
  /**
   * A write (insert or delete) on a replicated ring: from the writer to a member, from
   * there to the record's primary, and from the primary down its chain (`chain`) or to
   * every copy in the background (`eventual`).
   */
  write: message("write", {
    ...linkFields,
    writeId: Count,
    nonce: Nonce,
    eventId: Count,
    /** insert: the record line to store (replacing one of the same id); absent: delete. */
    record: Type.Optional(RecordLineSchema),
    origin: PeerTupleSchema,
    /** entry: to any member; primary: to the primary; chain / copy: to a copy. */
    hop: Type.Union([
      Type.Literal("entry"),
      Type.Literal("primary"),
      Type.Literal("chain"),
      Type.Literal("copy"),
    ]),
  }),
  /** The write's acknowledgement (the tail's, or the primary's with eventual) or refusal. */
  "write-result": message("write-result", {
    ...linkFields,
    writeId: Count,
    nonce: Nonce,
    eventId: Count,
    reason: Type.Optional(Type.String({ maxLength: 64 })),
    /** The node that acknowledged it. */
    by: Type.Optional(NodeId),
  }),
};
export type PeerMessageType = keyof typeof peerMessageSchemas;
export type PeerMessageOf<T extends PeerMessageType> = Static<(typeof peerMessageSchemas)[T]>;
export type PeerMessage = { [T in PeerMessageType]: PeerMessageOf<T> }[PeerMessageType];
export const PEER_MESSAGE_TYPES = Object.keys(peerMessageSchemas) as PeerMessageType[];

/** Link acknowledgement: `ack` = next sequence number expected; `sack` = later ones held. */
export const AckSchema = message("ack", {
  /** The sender incarnation (sess) of the link being acknowledged. */
  ackSess: Type.Integer({ minimum: 1, maximum: 2 ** 31 }),
  ack: Count,
  sack: Type.Array(Count, { maxItems: 256 }),
});
export type Ack = Static<typeof AckSchema>;

export const allSchemas: Record<string, TSchema> = {
  ...managerRequestSchemas,
  reply: ReplySchema,
  ...peerMessageSchemas,
  ack: AckSchema,
};

export type Datagram = ManagerRequest | Reply | PeerMessage | Ack;

const managerRequestTypes = new Set<string>(MANAGER_REQUEST_TYPES);
const peerMessageTypes = new Set<string>(PEER_MESSAGE_TYPES);

export function isManagerRequest(message: Datagram): message is ManagerRequest {
  return managerRequestTypes.has(message.type);
}

export function isPeerMessage(message: Datagram): message is PeerMessage {
  return peerMessageTypes.has(message.type);
}

/** The envelope fields a transport adds when it sends a message. */
export type EnvelopeField = "v" | "from" | "sess" | "id" | "clock";
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** A peer message as the state machines write it: the link fills in envelope and seq. */
export type PeerBody = DistributiveOmit<PeerMessage, EnvelopeField | "seq">;
export type ManagerRequestBody = DistributiveOmit<ManagerRequest, EnvelopeField>;
export type ReplyBody = DistributiveOmit<Reply, EnvelopeField | "re">;
