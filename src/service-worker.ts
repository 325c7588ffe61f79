/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
/**
 * Lets a board opened once reopen with no network. The app's files (hashed, immutable) are cached
 * at install, reusing those an earlier version already holds so an update downloads only what
 * changed. A board's page (an `ssr = false` shell) and its server data (`__data.json`: the
 * workshop, the member) are cached whenever they load from the network, and served from the cache
 * when the network fails or is too slow; the board then loads its document from IndexedDB. Every
 * other request goes to the network untouched. When the server answers that the device no longer
 * belongs to the board (not a member, workshop deleted, signed out), the board is wiped from the
 * device: page, data, local copy and waiting commands.
 */
import { build, files, version } from '$service-worker';
import {
	ASSETS_CACHE_PREFIX,
	PAGES_CACHE,
	boardIdOfDataPath,
	boardIdOfPath,
	localCopyName,
	outboxName
} from '$lib/shared/offline';

const sw = self as unknown as ServiceWorkerGlobalScope;
const ASSETS_CACHE = ASSETS_CACHE_PREFIX + version;
const ASSETS = new Set([...build, ...files]);
/** A cached copy is served when the network has not answered by then. */
const NETWORK_PATIENCE_MS = 4_000;

type Verdict = 'keep' | 'wipe' | 'pass';

sw.addEventListener('install', (event) => {
	event.waitUntil(
		(async () => {
			const cache = await caches.open(ASSETS_CACHE);
			await Promise.all(
				[...ASSETS].map(async (path) => {
					const earlier = await caches.match(path);
					await (earlier ? cache.put(path, earlier) : cache.add(path));
				})
			);
			await sw.skipWaiting();
		})()
	);
});

sw.addEventListener('activate', (event) => {
	event.waitUntil(
		(async () => {
			const earlier = (await caches.keys()).filter(
				(name) => name.startsWith(ASSETS_CACHE_PREFIX) && name !== ASSETS_CACHE
			);
			// Pages cached by an earlier version name files that are gone: they are cached again online.
			if (earlier.length > 0)
				await Promise.all([...earlier, PAGES_CACHE].map((name) => caches.delete(name)));
			await sw.clients.claim();
		})()
	);
});

sw.addEventListener('fetch', (event) => {
	const { request } = event;
	if (request.method !== 'GET') return;
	const url = new URL(request.url);
	if (url.origin !== sw.location.origin) return;
	if (ASSETS.has(url.pathname)) {
		event.respondWith(caches.match(url.pathname).then((cached) => cached ?? fetch(request)));
		return;
	}
	const pageOf = request.mode === 'navigate' ? boardIdOfPath(url.pathname) : null;
	if (pageOf) return event.respondWith(networkFirst(request, url, pageOf, judgePage));
	const dataOf = boardIdOfDataPath(url.pathname);
	if (dataOf) return event.respondWith(networkFirst(request, url, dataOf, judgeData));
});

async function networkFirst(
	request: Request,
	url: URL,
	workshopId: string,
	judge: (response: Response) => Promise<Verdict>
): Promise<Response> {
	const key = url.origin + url.pathname;
	const cache = await caches.open(PAGES_CACHE);
	const network = fetch(request).then(async (response) => {
		const verdict = await judge(response.clone()).catch((): Verdict => 'pass');
		if (verdict === 'keep') await cache.put(key, response.clone());
		if (verdict === 'wipe') await wipeBoard(cache, workshopId);
		return response;
	});
	const cached = await cache.match(key);
	if (!cached) return network;
	const patience = new Promise<Response>((resolve) =>
		setTimeout(() => resolve(cached), NETWORK_PATIENCE_MS)
	);
	return Promise.race([network.catch(() => cached), patience]);
}

async function judgePage(response: Response): Promise<Verdict> {
	if (response.ok && !response.redirected) return 'keep';
	// The board's page redirects only to sign in (a navigation's redirect stays opaque).
	return response.type === 'opaqueredirect' || response.status === 403 || response.status === 404
		? 'wipe'
		: 'pass';
}

/** SvelteKit's data answer: 200 with a redirect, or with a node that is an error (its status inside). */
async function judgeData(response: Response): Promise<Verdict> {
	if (!response.ok) return response.status === 403 || response.status === 404 ? 'wipe' : 'pass';
	const body = JSON.parse((await response.text()).split('\n')[0]) as {
		type: string;
		nodes?: ({ type: string; status?: number } | null)[];
	};
	if (body.type === 'redirect') return 'wipe';
	if (body.type !== 'data' || !body.nodes) return 'pass';
	const nodes = body.nodes.filter((node) => node !== null);
	if (nodes.some((node) => node.type === 'error' && (node.status === 403 || node.status === 404)))
		return 'wipe';
	// Only a complete answer can stand in for the network on a cold start.
	return nodes.every((node) => node.type === 'data') ? 'keep' : 'pass';
}

/** Nothing of the board stays on the device: its page, its data and its local copy. */
async function wipeBoard(cache: Cache, workshopId: string): Promise<void> {
	for (const request of await cache.keys()) {
		const { pathname } = new URL(request.url);
		if (boardIdOfPath(pathname) === workshopId || boardIdOfDataPath(pathname) === workshopId)
			await cache.delete(request);
	}
	const deleteDatabase = (name: string) =>
		new Promise<void>((resolve) => {
			const request = indexedDB.deleteDatabase(name);
			request.onsuccess = request.onerror = () => resolve();
		});
	await Promise.all([
		deleteDatabase(localCopyName(workshopId)),
		deleteDatabase(outboxName(workshopId))
	]);
}
