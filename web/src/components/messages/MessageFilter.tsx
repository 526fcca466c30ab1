/** Toggle chips, one per message type seen, to hide the types not wanted. */
import { classOf } from "../../model/message-classes.ts";

export function MessageFilter({
  types,
  excluded,
  onChange,
}: {
  types: readonly string[];
  excluded: ReadonlySet<string>;
  onChange: (excluded: ReadonlySet<string>) => void;
}) {
  const toggle = (type: string) => {
    const next = new Set(excluded);
    if (next.has(type)) next.delete(type);
    else next.add(type);
    onChange(next);
  };
  return (
    <fieldset className="messages-filter">
      <legend>Show types</legend>
      {types.length === 0 && <span className="muted">none seen yet</span>}
      {types.map((type) => (
        <label key={type} className={`chip class-${classOf(type)}`}>
          <input
            type="checkbox"
            aria-label={`show ${type}`}
            checked={!excluded.has(type)}
            onChange={() => toggle(type)}
          />
          {type}
        </label>
      ))}
      {excluded.size > 0 && (
        <button type="button" className="chip-reset" onClick={() => onChange(new Set())}>
          show all
        </button>
      )}
    </fieldset>
  );
}
