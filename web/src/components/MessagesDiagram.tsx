/**
 * The messages panel: a time-space diagram of the datagrams between the daemons up to the
 * cursor, with a filter by type, a legend and the details of the arrow picked, whose causal
 * history (or future) is lit and the rest dimmed, as ShiViz does. Esc clears the pick.
 */
import { useMemo, useRef, useState } from "react";
import { laneOrder, laneXs } from "../model/lanes.ts";
import type { EventLog } from "../model/log.ts";
import { type CausalDirection, causallyRelated, diagramAt } from "../model/messages.ts";
import { useDashboard } from "../model/store.ts";
import type { View } from "../model/view.ts";
import { PictureButtons } from "./export/PictureButtons.tsx";
import { usePageKeys } from "./keyboard.ts";
import { DiagramCanvas } from "./messages/DiagramCanvas.tsx";
import { LANE_MARGIN } from "./messages/geometry.ts";
import { MessageDetails } from "./messages/MessageDetails.tsx";
import { MessageFilter } from "./messages/MessageFilter.tsx";
import { MessageLegend } from "./messages/MessageLegend.tsx";
import { ReasonedButton } from "./ReasonedButton.tsx";
import "./MessagesDiagram.css";

/** The most arrows drawn: keeps the SVG small however long the log. */
const ARROW_CAP = 150;
const NO_TYPES: ReadonlySet<string> = new Set();

export function MessagesDiagram({
  log,
  cursor,
  view,
}: {
  log: EventLog;
  cursor: number;
  view: View;
}) {
  const live = useDashboard().pinned === null;
  const [excludedTypes, setExcludedTypes] = useState(NO_TYPES);
  const [selectedKey, setSelectedKey] = useState<string | null>(null);
  const [direction, setDirection] = useState<CausalDirection>("history");
  const [olderPages, setOlderPages] = useState(0);
  const lanes = laneOrder(view);
  // Joined so the memo sees a new value only when the names change, not every view.
  const laneNames = lanes.names.join("\n");
  const diagram = useMemo(
    () =>
      diagramAt(log, cursor, {
        excludedTypes,
        cap: ARROW_CAP,
        skipNewest: olderPages * ARROW_CAP,
        lanes: laneNames === "" ? [] : laneNames.split("\n"),
      }),
    [log, cursor, excludedTypes, laneNames, olderPages],
  );
  // Departed peers, and names only old messages carry, keep a narrow lane.
  const known = new Set(["manager", ...lanes.names]);
  const collapsed = new Set([
    ...lanes.departed,
    ...diagram.lanes.filter((lane) => !known.has(lane)),
  ]);
  const selected = diagram.arrows.find((arrow) => arrow.key === selectedKey) ?? null;
  const related = useMemo(
    () => (selected === null ? null : causallyRelated(diagram.arrows, selected.key, direction)),
    [diagram, selected, direction],
  );
  const picked = selected !== null;
  // Esc clears the pick; the setter never changes, so the keys are made once.
  const escapeKeys = useMemo(() => ({ Escape: setSelectedKey.bind(null, null) }), []);
  usePageKeys(escapeKeys, picked);
  const panel = useRef<HTMLElement>(null);
  // The lane names are HTML above the scrolling SVG: the picture gets them as titles.
  const diagramSvg = () => {
    const element = panel.current?.querySelector<SVGSVGElement>(".messages-scroll svg") ?? null;
    if (element === null) return null;
    const xs = laneXs(
      diagram.lanes.map((lane) => collapsed.has(lane)),
      element.width.baseVal.value,
      LANE_MARGIN,
    );
    const titles = diagram.lanes.map((text, index) => ({ x: xs[index] ?? 0, text }));
    return { element, header: { height: 24, titles } };
  };
  return (
    <section className="panel messages" aria-label="Messages" ref={panel}>
      <div className="messages-head">
        <h2>Messages</h2>
        <PictureButtons what="diagram" svg={diagramSvg} />
      </div>
      <div className="messages-paging">
        <p className="messages-count muted">
          {diagram.arrows.length} drawn
          {diagram.hidden > 0 && ` · ${diagram.hidden} older messages hidden`}
          {diagram.newer > 0 && ` · ${diagram.newer} newer messages hidden`}
        </p>
        <ReasonedButton
          reason={diagram.hidden > 0 ? null : "no older messages"}
          onClick={() => setOlderPages((pages) => pages + 1)}
        >
          Show older messages
        </ReasonedButton>
        {olderPages > 0 && (
          <button type="button" onClick={() => setOlderPages((pages) => Math.max(0, pages - 1))}>
            Show newer messages
          </button>
        )}
      </div>
      <MessageFilter
        types={diagram.messageTypes}
        excluded={excludedTypes}
        onChange={setExcludedTypes}
      />
      <MessageLegend />
      <DiagramCanvas
        diagram={diagram}
        selectedKey={selected?.key ?? null}
        related={related}
        onSelect={setSelectedKey}
        live={live && olderPages === 0}
        collapsed={collapsed}
      />
      <MessageDetails
        arrow={selected}
        causality={related === null ? null : { direction, count: related.size }}
        onDirection={setDirection}
      />
    </section>
  );
}
