/**
 * A peer card's command line state: which inline form is open, the line sent and not yet
 * answered, and the last answer, kept so its output can be read after the form closes.
 */
import { useState } from "react";
import type { CommandResult } from "../../api/types.ts";
import { runCommand } from "../../model/actions.ts";

export type OpenForm = "register" | "setup-dht" | null;

export interface SentCommand {
  line: string;
  result: CommandResult;
}

export function usePeerCommand(daemonId: string) {
  const [form, setForm] = useState<OpenForm>(null);
  const [sending, setSending] = useState<string | null>(null);
  const [last, setLast] = useState<SentCommand | null>(null);

  const send = async (line: string) => {
    setSending(line);
    const result = await runCommand(daemonId, line);
    setSending(null);
    if (result === null) return;
    setLast({ line, result });
    if (result.ok) setForm(null);
  };
  return { form, setForm, sending, last, send };
}
