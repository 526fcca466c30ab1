/** What handling one request produces: the next state, the reply body and the changes. */
import type { ReplyBody } from "../protocol/messages.ts";
import type { FailureReason } from "../protocol/reasons.ts";
import type { ManagerChange, ManagerState } from "./state.ts";

export interface ManagerResult {
  state: ManagerState;
  reply: ReplyBody;
  changes: ManagerChange[];
}

export type SuccessFields = Omit<ReplyBody, "type" | "status" | "reason">;

/** A refusal never changes the state. */
export function failure(state: ManagerState, reason: FailureReason, text: string): ManagerResult {
  return { state, reply: { type: "reply", status: "FAILURE", reason, text }, changes: [] };
}

export function success(
  state: ManagerState,
  changes: ManagerChange[],
  fields: SuccessFields,
): ManagerResult {
  return { state, reply: { type: "reply", status: "SUCCESS", ...fields }, changes };
}

/**
 * Quotes a value from a request for a reply text; long values are cut so the text stays
 * within the reply schema's limit however odd the request was.
 */
export function quote(value: string): string {
  return JSON.stringify(value.length > 24 ? `${value.slice(0, 24)}...` : value);
}
