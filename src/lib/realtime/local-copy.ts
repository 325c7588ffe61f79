/**
 * The copy of a board kept on the device (browser only): the same Y.Doc stored in IndexedDB by
 * y-indexeddb, loaded before connecting so a reopened board shows at once, without a network, and
 * edits made offline survive a reload until the server has them. Phones are shared: a device that
 * no longer belongs to a board (removed, link revoked, workshop deleted, signed out, "Ce n'est pas
 * moi") wipes its copies, the board's cached page included.
 */
import type * as Y from 'yjs';
import type { IndexeddbPersistence } from 'y-indexeddb';
import { dev } from '$app/environment';
import { PAGES_CACHE, boardIdOfPath, localCopyName } from '../shared/offline';

/** Past this, connect anyway: a browser whose IndexedDB hangs must not keep the board offline. */
const LOAD_TIMEOUT_MS = 3_000;
/** Key in y-indexeddb's own store of the count of changes not yet saved on the server. */
const UNSAVED_KEY = 'unsaved';

export interface LocalCopy {
	/** Resolves once the stored copy is in the doc: true if there was one. Never rejects. */
	readonly loaded: Promise<boolean>;
	/** How many changes were unsaved when the board was last open here (0 if unknown). */
	unsavedBefore(): Promise<number>;
	/** Remembers how many changes are unsaved, for the next time the board opens here. */
	rememberUnsaved(count: number): void;
	/** Closes the database (the copy stays). */
	close(): void;
	/** Closes the database and deletes it and the board's cached page. */
	wipe(): Promise<void>;
}

/**
 * Opens the device's copy of a board. When the device has one, y-indexeddb loads it before
 * `loaded` resolves. When it has none (a first visit), there is nothing to wait for: `loaded`
 * resolves false at once and y-indexeddb (its code, ~3 KiB gzipped) is fetched only once `later`
 * resolves (the board usable), then stores the whole document as it is by then, offline edits
 * included. `notLocal` receives the origin of the transactions that load the copy.
 */
export function openLocalCopy(
	workshopId: string,
	doc: Y.Doc,
	options: { notLocal: Set<unknown>; later: Promise<unknown> }
): LocalCopy {
	const name = localCopyName(workshopId);
	if (typeof indexedDB === 'undefined') {
		return {
			loaded: Promise.resolve(false),
			unsavedBefore: () => Promise.resolve(0),
			rememberUnsaved() {},
			close() {},
			wipe: () => wipeLocalCopy(workshopId)
		};
	}
	let closed = false;
	const open = async (): Promise<IndexeddbPersistence | null> => {
		const { IndexeddbPersistence } = await import('y-indexeddb');
		if (closed) return null;
		const persistence = new IndexeddbPersistence(name, doc);
		options.notLocal.add(persistence);
		return persistence;
	};
	const found = hasDatabase(name);
	const persistence = found.then((found) => (found ? open() : options.later.then(open)));
	persistence.catch(() => {});
	const loaded = Promise.race([
		found.then(async (found) => {
			if (!found) return false;
			const opened = await persistence;
			if (!opened) return false;
			// `synced` fires before y-indexeddb counts its rows: whether the doc got content is the answer.
			await opened.whenSynced;
			return doc.store.clients.size > 0;
		}),
		new Promise<boolean>((resolve) => setTimeout(() => resolve(false), LOAD_TIMEOUT_MS))
	]).catch(() => false);
	const close = async () => {
		if (closed) return;
		closed = true;
		const opened = await persistence.catch(() => null);
		await opened?.destroy().catch(() => {});
	};
	return {
		loaded,
		async unsavedBefore() {
			const opened = await persistence.catch(() => null);
			const count = await opened?.get(UNSAVED_KEY).catch(() => 0);
			return typeof count === 'number' ? count : 0;
		},
		rememberUnsaved(count) {
			if (closed) return;
			persistence.then((opened) => opened?.set(UNSAVED_KEY, count)).catch(() => {});
		},
		close: () => void close(),
		async wipe() {
			// Closed first: deleting a database that is still open waits for it to close.
			await close();
			await wipeLocalCopy(workshopId);
		}
	};
}

/** Rare (the device no longer belongs to the board): its code is fetched then. */
async function wipeLocalCopy(workshopId: string): Promise<void> {
	const { wipeLocalCopy } = await import('./wipe');
	await wipeLocalCopy(workshopId);
}

/** Whether this device has the database (true when the browser can't say). */
function hasDatabase(name: string): Promise<boolean> {
	if (!indexedDB.databases) return Promise.resolve(true);
	return indexedDB
		.databases()
		.then((databases) => databases.some((database) => database.name === name))
		.catch(() => true);
}

/**
 * Registers the service worker that keeps the app and the board's page for offline use: once the
 * board is usable, since installing it downloads every file of the app (once per version).
 */
export function registerOfflineWorker(): void {
	if (!('serviceWorker' in navigator)) return;
	navigator.serviceWorker
		.register('/service-worker.js', dev ? { type: 'module' } : undefined)
		.catch(() => {});
}

/** Asks the browser not to evict the copies under storage pressure (Chromium decides silently). */
export function askPersistentStorage(): void {
	navigator.storage?.persist?.().catch(() => {});
}

/**
 * Keeps the board's page and data for offline use when it loaded before the service worker controlled it
 * (the first visit): later visits are cached by the worker itself, at no extra download.
 */
export async function keepBoardPage(): Promise<void> {
	try {
		if (
			!('serviceWorker' in navigator) ||
			typeof caches === 'undefined' ||
			navigator.serviceWorker.controller
		)
			return;
		await navigator.serviceWorker.ready;
		if (!boardIdOfPath(location.pathname)) return;
		const cache = await caches.open(PAGES_CACHE);
		// The page is a shell (`ssr = false`): the router fetches the board's data separately.
		for (const path of [location.pathname, `${location.pathname}/__data.json`]) {
			const url = location.origin + path;
			if (!(await cache.match(url))) await cache.add(url);
		}
	} catch {
		// Best effort: the next visit caches it.
	}
}
