/**
 * What the buttons do: calls to the API whose failures become notices, so no click fails
 * silently. A command's own failure (a manager FAILURE, a refusal) is shown with the
 * lines the peer printed, which name the reason.
 */
import { messageOf } from "../../../daemons/src/support/errors.ts";
import { ApiError, api } from "../api/client.ts";
import type { CommandResult } from "../api/types.ts";
import { notify } from "./notices.ts";

/** Lines worth showing from a failed command: the errors, not the message trace. */
export function failureLines(result: CommandResult): string[] {
  const errors = result.lines.filter((line) => !line.startsWith("[") && !line.startsWith("  "));
  return errors.length > 0 ? errors : result.lines.slice(-3);
}

export async function runCommand(daemonId: string, line: string): Promise<CommandResult | null> {
  try {
    const result = await api.command(daemonId, line);
    if (!result.ok) notify("error", `${line} failed`, failureLines(result));
    return result;
  } catch (error) {
    notify("error", `${line} failed`, [describeError(error)]);
    return null;
  }
}

export async function addPeer(): Promise<string | null> {
  try {
    const { id } = await api.addPeer();
    return id;
  } catch (error) {
    notify("error", "Could not start a peer", [describeError(error)]);
    return null;
  }
}

/** An error for a notice: an API refusal with its code, anything else by its message. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return `${error.message} (${error.code})`;
  return messageOf(error);
}
