import assert from "node:assert/strict";

/** The response is the catalog error `code` with this status and a message matching. */
export function assertError(
  response: { statusCode: number; json(): unknown },
  status: number,
  code: string,
  message: RegExp,
) {
  const body = response.json() as { statusCode: number; code: string; message: string };
  assert.equal(response.statusCode, status, JSON.stringify(body));
  assert.equal(body.statusCode, status);
  assert.equal(body.code, code);
  assert.match(body.message, message);
}
