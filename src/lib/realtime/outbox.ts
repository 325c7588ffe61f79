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
	// Fetched once the board is usable; a fetch that failed (offline before it arrived) is tried
	// again at the next use instead of leaving the outbox broken, and is never a page error.
	type Idb = typeof import('lib0/indexeddb');
	let loading: Promise<Idb> | null = null;
	let opening: Promise<IDBDatabase> | null = null;
	const load = (): Promise<Idb> =>
		(loading ??= after
			.then(() => import('lib0/indexeddb'))
			.catch((error) => {
				loading = null;
				throw error;
			}));
	const open = (): Promise<IDBDatabase> =>
		(opening ??= load()
			.then((idb) => idb.openDB(outboxName(workshopId), (db) => idb.createStores(db, [[STORE]])))
			.catch((error) => {
				opening = null;
				throw error;
			}));
	open().catch(() => {});
	const store = async (access: 'readonly' | 'readwrite') => {
		const idb = await load();
		const [commands] = idb.transact(await open(), [STORE], access);
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
			opening?.then((db) => db.close()).catch(() => {});
		}
	};
}
