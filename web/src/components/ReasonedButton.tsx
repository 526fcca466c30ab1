/**
 * A button that, when disabled, says why: in its tooltip, and in a text its accessible
 * description points to (hidden unless `reasonClassName` shows it).
 */
import { type ButtonHTMLAttributes, useId } from "react";

export type ReasonedButtonProps = Omit<
  ButtonHTMLAttributes<HTMLButtonElement>,
  "type" | "disabled"
> & {
  /** Why the button is disabled; null enables it. */
  reason: string | null;
  submit?: boolean;
  reasonClassName?: string;
};

export function ReasonedButton({
  reason,
  submit = false,
  reasonClassName = "visually-hidden",
  children,
  title,
  ...button
}: ReasonedButtonProps) {
  const reasonId = useId();
  const disabled = reason !== null;
  return (
    <>
      <button
        {...button}
        type={submit ? "submit" : "button"}
        disabled={disabled}
        title={reason ?? title}
        aria-describedby={disabled ? reasonId : undefined}
      >
        {children}
      </button>
      {disabled && (
        <span id={reasonId} className={reasonClassName}>
          {reason}
        </span>
      )}
    </>
  );
}
