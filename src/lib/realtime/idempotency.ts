/**
 * Idempotency keys for commands, apart from the Socket.IO client: components that only build
 * payloads import this, so socket.io-client stays out of the board's first load.
 */
import { newId } from '../shared/ids';

/** A fresh idempotency key: generate one per user intent, and reuse it for that intent's retries. */
export function withKey<T extends object>(payload: T): T & { key: string } {
	return { ...payload, key: newId().replaceAll('-', '') };
}
