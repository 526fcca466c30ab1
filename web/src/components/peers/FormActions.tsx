/** A peer form's buttons: Cancel, and Send (which, when blocked, says why below them). */
import { ReasonedButton } from "../ReasonedButton.tsx";

export function FormActions({
  command,
  blocked,
  onCancel,
}: {
  /** The console command the form sends, as in "Send setup-dht". */
  command: string;
  blocked: string | null;
  onCancel: () => void;
}) {
  return (
    <div className="peer-form-actions">
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
      <ReasonedButton
        submit
        className="primary"
        reason={blocked}
        reasonClassName="peer-form-note muted"
      >
        Send {command}
      </ReasonedButton>
    </div>
  );
}
