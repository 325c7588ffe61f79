/**
 * The names the app and its service worker share for the copies a device keeps of its boards:
 * each board's Y.Doc in IndexedDB (y-indexeddb), and the board's page in Cache Storage so that it
 * reopens without a network. A device that no longer belongs to a board wipes both.
 */

/** IndexedDB database of a board's local copy: this prefix and the workshop id. */
export const LOCAL_COPY_PREFIX = 'coalition-board:';

/** Cache Storage cache holding the last page of each board opened on this device. */
export const PAGES_CACHE = 'coalition-board-pages';

/** Cache Storage caches of the app's own files start with this, then the build's version. */
export const ASSETS_CACHE_PREFIX = 'coalition-board-assets-';

/** The board's path: `/w/<workshopId>` (the only page kept for offline use). */
const BOARD_PATH = /^\/w\/([A-Za-z0-9_-]{1,64})$/;

export function localCopyName(workshopId: string): string {
	return LOCAL_COPY_PREFIX + workshopId;
}

/** IndexedDB database of a board's commands waiting for the server (ids never contain ':'). */
export function outboxName(workshopId: string): string {
	return `${LOCAL_COPY_PREFIX}outbox:${workshopId}`;
}

/** Where SvelteKit's router fetches the board's server data (an `ssr = false` page has none inline). */
const BOARD_DATA_PATH = /^\/w\/([A-Za-z0-9_-]{1,64})\/__data\.json$/;

/** The workshop id of a board's URL path, or null for any other page. */
export function boardIdOfPath(pathname: string): string | null {
	return BOARD_PATH.exec(pathname)?.[1] ?? null;
}

/** The workshop id of a board's data path (`/w/<id>/__data.json`), or null. */
export function boardIdOfDataPath(pathname: string): string | null {
	return BOARD_DATA_PATH.exec(pathname)?.[1] ?? null;
}
