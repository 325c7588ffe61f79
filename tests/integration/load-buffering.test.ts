import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { memberCookie } from '../fixtures/members';
import { startTestServer } from '../fixtures/server';
import { connectClient, sleep, waitFor, waitForSaved, waitForSynced } from '../fixtures/clients';
import {
	closedWithin,
	isSyncStep2,
	presenceMessage,
	rawClient,
	syncStep1,
	syncUpdate
} from '../fixtures/raw-socket';
import type { RunningServer } from '../../server/app';
import type { BoardConnection } from '../../src/lib/realtime/board-connection';
import { CloseCode } from '../../src/lib/shared/close-codes';
import { addAlly, readAllies } from '../../src/lib/shared/schema';

const LOAD_DELAY_MS = 400;

let server: RunningServer | null = null;
const clients: BoardConnection[] = [];

afterEach(async () => {
	for (const client of clients.splice(0)) client.destroy();
	await server?.close();
	server = null;
});

/**
 * better-sqlite3 reads synchronously, so a document is normally loaded before any frame can
 * arrive. A slow disk or a remote store takes time: hold every load back by `LOAD_DELAY_MS` in
 * front of the real storage, so frames sent on open reach a document that is still loading.
 */
async function startSlowLoadingServer(env: Record<string, string> = {}): Promise<RunningServer> {
	const running = await startTestServer(env);
	const storage = running.services.storage;
	const load = storage.loadDocument.bind(storage);
	storage.loadDocument = async (doc) => {
		await sleep(LOAD_DELAY_MS);
		return load(doc);
	};
	return running;
}

describe('messages that arrive while the document loads', () => {
	it('are all processed, in order, once the document has loaded', async () => {
		server = await startSlowLoadingServer();
		const author = new Y.Doc();
		const updates: Uint8Array[] = [];
		author.on('update', (update: Uint8Array) => updates.push(update));
		// Three updates from one client: each depends on the previous one's clock.
		for (const name of ['Mairie de Ségou', 'Radio Jamana', 'Coopérative des maraîchères']) {
			addAlly(author, { name, type: 'institution' });
		}
		expect(updates).toHaveLength(3);

		const early = rawClient(server.url, 'early-bird', {
			headers: { cookie: await memberCookie(server, 'early-bird') }
		});
		let loadedAtOpen: boolean | null = null;
		early.ws.once('open', () => {
			loadedAtOpen = server!.services.registry.has('early-bird');
			early.ws.send(syncStep1());
			for (const update of updates) early.ws.send(syncUpdate(update));
		});
		await early.opened;
		await waitFor(() => early.received.some(isSyncStep2), { what: 'the answer to sync step 1' });
		expect(loadedAtOpen).toBe(false);

		const late = connectClient(server.url, 'early-bird', {
			cookie: memberCookie(server, 'early-bird')
		});
		clients.push(late);
		await waitForSynced(late);
		expect(readAllies(late.doc).map((ally) => ally.name)).toEqual(
			readAllies(author).map((ally) => ally.name)
		);
		expect(early.isOpen).toBe(true);
		early.ws.close();
	});

	it('closes a socket that sends more than LOAD_BUFFER_BYTES before the document loads with 4100', async () => {
		server = await startSlowLoadingServer({ LOAD_BUFFER_BYTES: '2048' });
		const patient = connectClient(server.url, 'elsewhere', {
			cookie: memberCookie(server, 'elsewhere')
		});
		clients.push(patient);
		const hasty = rawClient(server.url, 'hasty', {
			headers: { cookie: await memberCookie(server, 'hasty') }
		});
		const padded = presenceMessage(1000);
		hasty.ws.once('open', () => {
			for (let i = 0; i < 3; i++) hasty.ws.send(padded);
		});
		expect((await closedWithin(hasty)).code).toBe(CloseCode.rateLimited);

		// The room itself opens normally afterwards, and so does the other room.
		const next = connectClient(server.url, 'hasty', { cookie: memberCookie(server, 'hasty') });
		clients.push(next);
		await Promise.all([waitForSynced(patient), waitForSynced(next)]);
		addAlly(next.doc, { name: 'After the hasty one', type: 'group' });
		addAlly(patient.doc, { name: 'Elsewhere', type: 'group' });
		await Promise.all([waitForSaved(next), waitForSaved(patient)]);
	});
});
