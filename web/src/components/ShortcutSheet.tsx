/** The `?` sheet: every keyboard shortcut, in a modal dialog. */
import { useMemo, useRef } from "react";
import { usePageKeys } from "./keyboard.ts";
import "./ShortcutSheet.css";

const SHORTCUTS: [keys: string, what: string][] = [
  ["?", "show or hide this sheet"],
  ["Space", "pause, or play from the cursor"],
  ["← / →", "step back / forward one event (skipping console lines)"],
  ["P / N", "previous / next hop of the query on the ring"],
  ["Shift+P / Shift+N", "jump to the previous / next command on the time line"],
  ["L", "go live (follow new events)"],
  ["+ / −", "replay faster / slower"],
  ["PageDown / PageUp", "Lecture mode: next / previous step (a presenter remote's keys)"],
  [".", "Lecture mode: hide or show the caption (a remote's blank-screen key)"],
  ["Tab / Shift+Tab", "move between buttons, fields and messages"],
  ["Enter / Space", "press the focused button or message arrow"],
  ["Esc", "close this sheet; clear the selected message; close the node inspector"],
];

export function ShortcutSheet() {
  const dialog = useRef<HTMLDialogElement>(null);
  usePageKeys(useMemo(() => ({ "?": () => toggle(dialog.current) }), []));
  return (
    <>
      <button type="button" aria-label="Keyboard shortcuts" onClick={() => toggle(dialog.current)}>
        ?
      </button>
      <dialog ref={dialog} className="shortcut-sheet" aria-label="Keyboard shortcuts">
        <h2>Keyboard shortcuts</h2>
        <dl>
          {SHORTCUTS.map(([keys, what]) => (
            <div key={keys}>
              <dt>
                <kbd>{keys}</kbd>
              </dt>
              <dd>{what}</dd>
            </div>
          ))}
        </dl>
        <form method="dialog">
          <button type="submit" className="primary">
            Close
          </button>
        </form>
      </dialog>
    </>
  );
}

function toggle(dialog: HTMLDialogElement | null): void {
  if (dialog === null) return;
  if (dialog.open) dialog.close();
  else dialog.showModal();
}
