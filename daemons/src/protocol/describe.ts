/**
 * One-line descriptions of messages for traces and result lines, e.g.
 * `register alice 127.0.0.1 5001 5002` or `FAILURE NOT_FREE: alice is not Free`.
 * Bulk fields (records, tuples) are summarised, never listed.
 */
import type { ManagerRequestBody, PeerBody, ReplyBody } from "./messages.ts";

export function describeRequest(request: ManagerRequestBody): string {
  switch (request.type) {
    case "register":
      return `register ${request.name} ${request.ip} ${request.mport} ${request.pport}`;
    case "setup-dht": {
      const replicas = request.replicas === undefined ? "" : ` replicas=${request.replicas}`;
      const model = request.consistency === undefined ? "" : ` consistency=${request.consistency}`;
      return `setup-dht ${request.name} ${request.n} ${request.year}${replicas}${model}`;
    }
    case "dht-rebuilt":
      return `dht-rebuilt ${request.name} ${request.leader}`;
    case "report-dead":
      return `report-dead ${request.name} ${request.peer} (${request.reason})`;
    default:
      return `${request.type} ${request.name}`;
  }
}

export function describeReply(reply: ReplyBody): string {
  if (reply.status === "FAILURE") return `FAILURE ${reply.reason ?? ""}: ${reply.text ?? ""}`;
  const parts = ["SUCCESS"];
  if (reply.tuples) parts.push(reply.tuples.map((t) => `${t.name}@${t.ip}:${t.port}`).join(" "));
  if (reply.tuple) parts.push(`${reply.tuple.name}@${reply.tuple.ip}:${reply.tuple.port}`);
  if (reply.year) parts.push(`year ${reply.year}`);
  return parts.join(" ");
}

export function describePeerMessage(message: PeerBody): string {
  switch (message.type) {
    case "set-id":
      return `set-id ${message.nodeId} (ring of ${message.ringSize}, year ${message.year})`;
    case "store":
      return `store ${message.records.length} records${message.gather ? " (gathered for the rebuild)" : ""}`;
    case "gathered":
      return `gathered (${message.sent} records sent)`;
    case "write":
      return `write ${message.record === undefined ? "delete" : "insert"} ${message.eventId} (${message.hop}) for ${message.origin.name}`;
    case "write-result":
      return `write-result ${message.eventId} ${message.reason ?? "SUCCESS"}${message.by === undefined ? "" : ` by node ${message.by}`}`;
    case "count":
      return `count [${message.counts.join(" ")}]`;
    case "teardown": {
      const past = message.dead?.length ? `, past ${message.dead.join(" ")}` : "";
      return `teardown (${message.purpose}, started by ${message.initiator}${past})`;
    }
    case "reset-id":
      return `reset-id ${message.nodeId} (ring of ${message.ringSize}, started by ${message.initiator.name})`;
    case "rebuild-dht":
      return `rebuild-dht ${message.year} (for ${message.initiator.name}${message.dead ? `, without ${message.dead}` : ""})`;
    case "rebuild-done":
      return `rebuild-done (leader ${message.leader}, counts ${message.counts.join(" ")})`;
    case "probe":
      return "probe";
    case "node-joining":
      return `node-joining ${message.joiner.name}@${message.joiner.ip}:${message.joiner.port}`;
    case "find-event":
      return `find-event ${message.eventId} id-seq [${message.idSeq.join(" ")}] for ${message.origin.name}`;
    case "find-result": {
      const outcome = message.record ? "found" : (message.reason ?? "not found");
      return `find-result ${message.eventId} ${outcome} id-seq [${message.idSeq.join(" ")}]`;
    }
  }
}
