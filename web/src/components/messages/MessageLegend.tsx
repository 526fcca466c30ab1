/** What the colours and marks of the diagram mean. */
import { MESSAGE_CLASSES } from "../../model/message-classes.ts";

export function MessageLegend() {
  return (
    <ul className="messages-legend" aria-label="Legend">
      {MESSAGE_CLASSES.map((name) => (
        <li key={name}>
          <span className={`class-dot class-${name}`} aria-hidden="true" />
          {name}
        </li>
      ))}
      <li>
        <span className="legend-dash" aria-hidden="true" />↻ retransmission
      </li>
      <li className="legend-failure">! FAILURE reply</li>
      <li>× no receipt</li>
      <li>
        <span className="legend-band" aria-hidden="true" />
        store band
      </li>
    </ul>
  );
}
