/**
 * What the inspected peer answered itself, now (not at the cursor): its counters, table
 * occupancy and chain lengths, and whether it holds an event id typed in.
 */
import { type FormEvent, useState } from "react";
import type { PeerInspection } from "../../api/types.ts";
import { formatCount } from "../../model/format.ts";
import { chainLine, lookupLine, occupancyLine } from "../../model/inspector.ts";
import { readEventId } from "../../model/query-input.ts";
import { Field } from "../peers/Field.tsx";
import { ReasonedButton } from "../ReasonedButton.tsx";

const COUNTERS: [keyof PeerInspection["counters"], string][] = [
  ["sent", "sent"],
  ["received", "received"],
  ["retransmitted", "retransmitted"],
  ["duplicatesDropped", "duplicates dropped"],
  ["malformedDropped", "malformed dropped"],
  ["refusedDropped", "refused dropped"],
];

export function DaemonAnswers({
  inspection,
  unanswered,
  members,
  onLookUp,
}: {
  inspection: PeerInspection | null;
  /** Why there is no answer (paused, dead, a failed request), or null. */
  unanswered: string | null;
  /** The ring at the cursor, to name the owner of an id looked up. */
  members: readonly string[];
  onLookUp: (eventId: number | null) => void;
}) {
  const [text, setText] = useState("");
  const input = readEventId(text);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if ("eventId" in input) onLookUp(input.eventId);
  };
  const { table, lookup, counters } = inspection ?? {};
  return (
    <div className="inspector-answers">
      <h3>
        {unanswered === null
          ? "From the daemon, now"
          : inspection === null
            ? "From the daemon"
            : "From the daemon, its last answer"}
        {unanswered !== null && <span className="muted"> ({unanswered})</span>}
      </h3>
      <dl className="inspector-facts">
        <dt>clock</dt>
        <dd className="mono">{inspection?.clock ?? "?"}</dd>
        <dt>table</dt>
        <dd>{table == null ? "none (not in a DHT)" : occupancyLine(table)}</dd>
        <dt>chains</dt>
        <dd>{table == null ? "none" : chainLine(table)}</dd>
      </dl>
      <ul className="inspector-counters" aria-label="Counters">
        {COUNTERS.map(([key, label]) => (
          <li key={key}>
            <span className="mono">
              {counters === undefined ? "?" : formatCount(counters[key])}
            </span>{" "}
            {label}
          </li>
        ))}
      </ul>
      <form className="inspector-lookup" aria-label="Look up an event id" onSubmit={submit}>
        <Field label="Held here?">
          {(id) => (
            <input
              id={id}
              inputMode="numeric"
              placeholder="event id"
              value={text}
              onChange={(event) => setText(event.target.value)}
            />
          )}
        </Field>
        <ReasonedButton submit reason={"eventId" in input ? null : "type an event id"}>
          Look up
        </ReasonedButton>
      </form>
      {lookup != null && (
        <p className="inspector-lookup-answer mono" role="status">
          {lookupLine(lookup, table?.tableSize ?? null, members)}
        </p>
      )}
    </div>
  );
}
