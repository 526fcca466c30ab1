/**
 * The header's Session menu: `Export session` (the log as JSON), `Import session` (replay
 * one with no daemons), `Export ShiViz log` (the messages with vector clocks), and while a
 * session is replayed, `Leave session` back to the live page.
 */
import { useRef } from "react";
import {
  replaySession,
  type SavedFile,
  sessionFile,
  shivizFile,
} from "../model/session-actions.ts";
import { useDashboard } from "../model/store.ts";
import { download } from "./export/svg-export.ts";
import "./SessionMenu.css";

export function SessionMenu() {
  const { log, session } = useDashboard();
  const fileInput = useRef<HTMLInputElement>(null);
  const menu = useRef<HTMLDetailsElement>(null);
  // A menu closes once one of its items is chosen.
  const close = () => menu.current?.removeAttribute("open");
  const save = ({ name, blob }: SavedFile) => {
    download(name, blob);
    close();
  };
  const importFile = async (file: File | undefined) => {
    if (file !== undefined) replaySession(await file.text(), file.name);
    if (fileInput.current !== null) fileInput.current.value = "";
    close();
  };
  return (
    <details className="session-menu" ref={menu}>
      <summary>Session</summary>
      <div className="session-menu-body">
        {session !== null && (
          <p className="session-source muted" title={session.exportedAt}>
            Replaying {session.source}
          </p>
        )}
        <button type="button" onClick={() => save(sessionFile(log))}>
          Export session
        </button>
        <button type="button" onClick={() => fileInput.current?.click()}>
          Import session
        </button>
        <input
          ref={fileInput}
          type="file"
          accept=".json,application/json"
          aria-label="Session file"
          hidden
          onChange={(event) => void importFile(event.target.files?.[0])}
        />
        <button type="button" onClick={() => save(shivizFile(log))}>
          Export ShiViz log
        </button>
        {session !== null && (
          <button type="button" onClick={() => location.assign(location.pathname)}>
            Leave session
          </button>
        )}
      </div>
    </details>
  );
}
