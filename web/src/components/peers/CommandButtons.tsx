/** The seven console commands as small buttons; a disabled one says why. */
import { type Availability, PEER_COMMANDS, type PeerCommand } from "../../model/commands.ts";
import "./CommandButtons.css";
import { ReasonedButton } from "../ReasonedButton.tsx";

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
  return (
    <div className="command-buttons">
      {PEER_COMMANDS.map((command) => {
        const reason = availability[command];
        const hasForm = command === "register" || command === "setup-dht";
        return (
          <span key={command} className="command-button">
            <ReasonedButton
              reason={reason}
              aria-expanded={hasForm ? open === command : undefined}
              onClick={() => onCommand(command)}
            >
              {command}
            </ReasonedButton>
          </span>
        );
      })}
    </div>
  );
}
