/**
 * A form field: a label tied to its control by id (not wrapped around it), so the
 * control's accessible name is exactly the label, without the control's own value.
 */
import { type ReactNode, useId } from "react";
import "./PeerForm.css";

export function Field({ label, children }: { label: string; children: (id: string) => ReactNode }) {
  const id = useId();
  return (
    <div className="peer-field">
      <label htmlFor={id}>{label}</label>
      {children(id)}
    </div>
  );
}
