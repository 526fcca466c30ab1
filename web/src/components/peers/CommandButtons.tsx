/** The seven console commands as small buttons; a disabled one says why. */
import { useId } from "react";
import { type Availability, PEER_COMMANDS, type PeerCommand } from "../../model/commands.ts";
import "./CommandButtons.css";

export function CommandButtons({
  availability,
  open,
  onCommand,
}: {
  availability: Availability;
  /** The command whose form is open, shown pressed. */
  open: PeerCommand | null;
  onCommand: (command: PeerCommand) => void;
}) {
  const idPrefix = useId();
  return (
    <div className="command-buttons">
      {PEER_COMMANDS.map((command) => {
        const reason = availability[command];
        const reasonId = `${idPrefix}-${command}`;
        const hasForm = command === "register" || command === "setup-dht";
        return (
          <span key={command} className="command-button">
            <button
              type="button"
              disabled={reason !== null}
              title={reason ?? undefined}
              aria-describedby={reason === null ? undefined : reasonId}
              aria-expanded={hasForm ? open === command : undefined}
              onClick={() => onCommand(command)}
            >
              {command}
            </button>
            {reason !== null && (
              <span id={reasonId} className="command-reason">
                {reason}
              </span>
            )}
          </span>
        );
      })}
    </div>
  );
}
