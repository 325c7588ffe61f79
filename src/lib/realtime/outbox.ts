/**
 * Commands that carry an idempotency key, kept in IndexedDB until the server has answered them:
 * a vote, a score or a placement made offline is sent when the network is back, even after the
 * page was reloaded or the phone restarted, and the key makes the server count it once however
 * often it arrives. Browser only; without IndexedDB it keeps nothing (commands still wait in
 * memory).
 */
import * as idb from 'lib0/indexeddb';
import { outboxName } from '../shared/offline';

const STORE = 'commands';

export interface QueuedCommand {
	key: string;
	event: string;
	payload: unknown;
	queuedAt: number;
}

export interface Outbox {
	put(command: QueuedCommand): Promise<void>;
	remove(key: string): Promise<void>;
	/** What earlier visits left unanswered, oldest first. */
	all(): Promise<QueuedCommand[]>;
	close(): void;
}

export function openOutbox(workshopId: string): Outbox {
	if (typeof indexedDB === 'undefined') {
		return { put: async () => {}, remove: async () => {}, all: async () => [], close() {} };
	}
	const opened = idb.openDB(outboxName(workshopId), (db) => idb.createStores(db, [[STORE]]));
	const store = async (access: 'readonly' | 'readwrite') => {
		const [commands] = idb.transact(await opened, [STORE], access);
		return commands;
	};
	return {
		async put(command) {
			await idb.put(await store('readwrite'), command as never, command.key);
		},
		async remove(key) {
			await idb.del(await store('readwrite'), key);
		},
		async all() {
			const commands = (await idb.getAll(await store('readonly'))) as unknown as QueuedCommand[];
			return commands.sort((a, b) => a.queuedAt - b.queuedAt);
		},
		close() {
			opened.then((db) => db.close()).catch(() => {});
		}
	};
}
