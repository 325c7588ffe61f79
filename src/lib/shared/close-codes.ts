/**
 * The one table of WebSocket close codes, shared by the server and the app.
 * y-websocket 3.1 stops reconnecting on 4400–4499 and emits `closed`; every other code is retried.
 */
export const CloseCode = {
	/** Message larger than the server accepts (sent by `ws` itself for `maxPayload`). */
	tooLarge: 1009,
	/** A text frame: the protocol is binary only. */
	textFrame: 1003,
	/** A frame that does not decode as the y-websocket protocol, or a Yjs update that fails to apply. */
	malformed: 1002,
	/** The server is shutting down or restarting: reconnect. */
	shutdown: 1012,
	/** Not signed in, or the session ended. Final. */
	unauthorized: 4401,
	/** Signed in but not allowed (not a member, removed, link revoked). Final. */
	forbidden: 4403,
	/** The workshop was deleted. Final. */
	gone: 4404,
	/** The document reached its size cap: further edits are refused. Final. */
	documentFull: 4413,
	/** Over the per-connection rate limits: reconnect with backoff. */
	rateLimited: 4100,
	/** Storage failed to commit: reconnect and re-send. */
	storageFailure: 4500
} as const;

export type CloseCodeName = keyof typeof CloseCode;

/** Codes after which the client must not reconnect by itself (y-websocket's own rule). */
export function isFinalCloseCode(code: number): boolean {
	return code >= 4400 && code < 4500;
}
