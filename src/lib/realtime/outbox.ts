/**
 * Commands that carry an idempotency key, kept in IndexedDB until the server has answered them:
 * a vote, a score or a placement made offline is sent when the network is back, even after the
 * page was reloaded or the phone restarted, and the key makes the server count it once however
 * often it arrives. Browser only; without IndexedDB it keeps nothing (commands still wait in
 * memory).
 */
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

/** `after`: lib0/indexeddb is fetched then (once the board is usable), not in the first load. */
export function openOutbox(
	workshopId: string,
	after: Promise<unknown> = Promise.resolve()
): Outbox {
	if (typeof indexedDB === 'undefined') {
		return { put: async () => {}, remove: async () => {}, all: async () => [], close() {} };
	}
	const loaded = after.then(() => import('lib0/indexeddb'));
	const opened = loaded.then((idb) =>
		idb.openDB(outboxName(workshopId), (db) => idb.createStores(db, [[STORE]]))
	);
	const store = async (access: 'readonly' | 'readwrite') => {
		const idb = await loaded;
		const [commands] = idb.transact(await opened, [STORE], access);
		return { idb, commands };
	};
	return {
		async put(command) {
			const { idb, commands } = await store('readwrite');
			await idb.put(commands, command as never, command.key);
		},
		async remove(key) {
			const { idb, commands } = await store('readwrite');
			await idb.del(commands, key);
		},
		async all() {
			const { idb, commands } = await store('readonly');
			const all = (await idb.getAll(commands)) as unknown as QueuedCommand[];
			return all.sort((a, b) => a.queuedAt - b.queuedAt);
		},
		close() {
			opened.then((db) => db.close()).catch(() => {});
		}
	};
}
