/** A small spinning ring beside something in progress; decorative. */
import "./Spinner.css";

export function Spinner() {
  return <span className="peer-spinner" aria-hidden="true" />;
}
