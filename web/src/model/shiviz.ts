/**
 * The messages of a log as a ShiViz log (https://bestchai.bitbucket.io/shiviz/): an event
 * per send and per receipt, each a line saying what happened and a line with its host and
 * vector clock. The clocks are computed here from the time-space diagram's own pairing and
 * causal order (messages.ts), so ShiViz draws the same arrows: a send ticks its host's
 * entry; a receipt takes the entry-wise maximum with its send's clock, then ticks.
 */
import { type EventLog, lastSeq } from "./log.ts";
import { diagramAt } from "./messages.ts";

/** ShiViz's default parser, written out: the file's first line. */
export const SHIVIZ_REGEX = "(?<event>.*)\\n(?<host>\\S*) (?<clock>{.*})";

type VectorClock = Record<string, number>;

interface HostEvent {
  row: number;
  host: string;
  text: string;
  /** A receipt: the arrow whose send it follows. */
  receiptOf: number | null;
  arrow: number;
}

/** The file: the parser, an empty line (one execution, no delimiter), then the events. */
export function shivizLog(log: EventLog): string {
  const { arrows } = diagramAt(log, lastSeq(log));
  const events: HostEvent[] = arrows.flatMap((arrow, index): HostEvent[] => {
    const sent: HostEvent = {
      row: arrow.sendRow,
      host: hostName(arrow.from),
      text: `${arrow.from} sends ${arrow.messageType} to ${arrow.to}: ${oneLine(arrow.summary)}`,
      receiptOf: null,
      arrow: index,
    };
    if (arrow.receiveRow === null) return [sent];
    const received: HostEvent = {
      row: arrow.receiveRow,
      host: hostName(arrow.to),
      text: `${arrow.to} receives ${arrow.messageType} from ${arrow.from}`,
      receiptOf: index,
      arrow: index,
    };
    return [sent, received];
  });
  events.sort((left, right) => left.row - right.row);
  const clocks = new Map<string, VectorClock>();
  const sendClocks = new Map<number, VectorClock>();
  const lines = [SHIVIZ_REGEX, ""];
  for (const event of events) {
    const clock = { ...(clocks.get(event.host) ?? {}) };
    if (event.receiptOf !== null) {
      for (const [host, tick] of Object.entries(sendClocks.get(event.receiptOf) ?? {})) {
        clock[host] = Math.max(clock[host] ?? 0, tick);
      }
    }
    clock[event.host] = (clock[event.host] ?? 0) + 1;
    clocks.set(event.host, clock);
    if (event.receiptOf === null) sendClocks.set(event.arrow, clock);
    lines.push(event.text, `${event.host} ${JSON.stringify(clock)}`);
  }
  return `${lines.join("\n")}\n`;
}

/** ShiViz reads a host up to the first space: a name, or an address, has none. */
function hostName(name: string): string {
  return name.replace(/\s+/g, "_") || "unknown";
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ");
}
