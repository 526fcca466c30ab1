/**
 * The machine's effects on the local table, carried out for the runtime: storing, counting,
 * answering from it, writing to it and handing it over for a replicated ring's rebuild.
 */
import type { PeerBody, PeerTuple } from "../protocol/messages.ts";
import { fromRecordLine, type RecordLine } from "../protocol/record-line.ts";
import type { LocalTable } from "./local-table.ts";
import { findResultBody } from "./query.ts";
import type { PeerEffect } from "./state.ts";

export type TableEffect = Extract<
  PeerEffect,
  {
    kind:
      | "store-local"
      | "drop-table"
      | "forward-count"
      | "gather-to"
      | "start-gathering"
      | "keep-gathered"
      | "load-gathered"
      | "apply-write"
      | "answer-query";
  }
>;

const TABLE_EFFECTS = new Set<string>([
  "store-local",
  "drop-table",
  "forward-count",
  "gather-to",
  "start-gathering",
  "keep-gathered",
  "load-gathered",
  "apply-write",
  "answer-query",
]);

export const isTableEffect = (effect: PeerEffect): effect is TableEffect =>
  TABLE_EFFECTS.has(effect.kind);

/** What carrying them out needs of the runtime. */
export interface TablePorts {
  send(to: PeerTuple, body: PeerBody): void;
  sendRecords(
    to: PeerTuple,
    lines: readonly RecordLine[],
    tableSize: number,
    gather: boolean,
  ): void;
  /** The gathered records, as a `loaded` event once this burst of work is done. */
  loaded(year: string, records: RecordLine[]): void;
  print(line: string): void;
  storing?(total: number): void;
  stored?(records: number): void;
}

export function runTableEffect(effect: TableEffect, local: LocalTable, ports: TablePorts): void {
  switch (effect.kind) {
    case "store-local": {
      if (effect.total !== undefined) ports.storing?.(effect.total);
      const repeated = local.store(effect.records, effect.tableSize, effect.copies);
      ports.stored?.(effect.records.length);
      if (repeated > 0) ports.print(`ignored ${repeated} records already stored here`);
      return;
    }
    case "drop-table":
      local.drop();
      return;
    case "forward-count": {
      const counts = [...effect.counts, local.size];
      const copies = effect.copies && { copies: [...effect.copies, local.copies] };
      ports.send(effect.to, { type: "count", tableSize: effect.tableSize, counts, ...copies });
      return;
    }
    case "gather-to": {
      // Everything held here goes to the new leader, then the marker that says so.
      const tableSize = local.table?.tableSize ?? 2;
      const lines = local.handOver();
      ports.sendRecords(effect.to, lines, tableSize, true);
      ports.send(effect.to, { type: "gathered", sent: lines.length });
      return;
    }
    case "start-gathering":
      local.startGathering();
      return;
    case "keep-gathered":
      local.keepGathered(effect.records);
      return;
    case "load-gathered":
      ports.loaded(effect.year, local.takeGathered());
      return;
    case "apply-write": {
      const { eventId, primaryOf } = effect;
      if (!local.write(eventId, effect.record, effect.copy) && primaryOf !== null) {
        const { origin, writeId, nonce } = primaryOf;
        const refusal: PeerBody = {
          type: "write-result",
          writeId,
          nonce,
          eventId,
          reason: "UNKNOWN_EVENT",
        };
        ports.send(origin, refusal);
        return;
      }
      for (const { to, body } of effect.then) ports.send(to, body);
      return;
    }
    case "answer-query": {
      const line = local.table?.find(effect.eventId);
      const record = line === undefined ? undefined : fromRecordLine(line);
      ports.send(effect.origin, findResultBody(effect, record));
      return;
    }
  }
}
