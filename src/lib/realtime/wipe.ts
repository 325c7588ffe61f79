/**
 * Wiping a device's copies of boards (IndexedDB and the cached pages), apart from y-indexeddb so
 * that every page's sign-out form can use it without downloading the local-copy code.
 */
import {
	LOCAL_COPY_PREFIX,
	PAGES_CACHE,
	boardIdOfDataPath,
	boardIdOfPath,
	localCopyName,
	outboxName
} from '../shared/offline';

/** Deletes one board's copy, waiting commands, cached page and data. */
export async function wipeLocalCopy(workshopId: string): Promise<void> {
	await Promise.all([
		deleteDatabase(localCopyName(workshopId)),
		deleteDatabase(outboxName(workshopId)),
		forgetPages((id) => id === workshopId)
	]);
}

/** Deletes every board's copy and cached page on this device (signing out, "Ce n'est pas moi"). */
export async function wipeAllLocalCopies(): Promise<void> {
	const databases =
		typeof indexedDB !== 'undefined' && indexedDB.databases
			? await indexedDB.databases().catch(() => [])
			: [];
	await Promise.all([
		...databases
			.map((database) => database.name)
			.filter((name): name is string => !!name?.startsWith(LOCAL_COPY_PREFIX))
			.map(deleteDatabase),
		typeof caches !== 'undefined'
			? caches.delete(PAGES_CACHE).catch(() => false)
			: Promise.resolve()
	]);
}

function deleteDatabase(name: string): Promise<void> {
	return new Promise((resolve) => {
		if (typeof indexedDB === 'undefined') return resolve();
		const request = indexedDB.deleteDatabase(name);
		request.onsuccess = request.onerror = () => resolve();
	});
}

async function forgetPages(matches: (workshopId: string) => boolean): Promise<void> {
	if (typeof caches === 'undefined') return;
	try {
		const cache = await caches.open(PAGES_CACHE);
		for (const request of await cache.keys()) {
			const { pathname } = new URL(request.url);
			const id = boardIdOfPath(pathname) ?? boardIdOfDataPath(pathname);
			if (id && matches(id)) await cache.delete(request);
		}
	} catch {
		// No Cache Storage (an insecure origin): nothing was cached.
	}
}
