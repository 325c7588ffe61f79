/**
 * Message types on the `/yjs/<workshopId>` socket. 0–3 are y-websocket's own; the server adds
 * `committed`, sent only to connections that asked for it with `?ack=1`.
 */
export const MessageType = {
	sync: 0,
	awareness: 1,
	auth: 2,
	queryAwareness: 3,
	/** varuint count: this many of the connection's sync messages are committed to disk. */
	committed: 100
} as const;

/** The sub-types of a sync message (y-protocols/sync). */
export const SyncType = { step1: 0, step2: 1, update: 2 } as const;

/** Query parameter a client sets to receive `committed` messages. */
export const ACK_PARAM = 'ack';

/** Path prefix of the Yjs endpoint. */
export const YJS_PATH = '/yjs/';

/** Workshop ids, which are also document names. */
export const DOC_NAME_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export function isValidDocName(name: string): boolean {
	return DOC_NAME_PATTERN.test(name);
}
