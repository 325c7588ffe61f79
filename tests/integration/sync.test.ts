import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { startTestServer } from '../fixtures/server';
import { useMemberClients, waitFor, waitForSaved, waitForSynced } from '../fixtures/clients';
import type { RunningServer } from '../../server/app';
import { addAlly, readAllies } from '../../src/lib/shared/schema';

let server: RunningServer;
const client = useMemberClients(() => server);

beforeEach(async () => {
	server = await startTestServer();
});
afterEach(async () => {
	await server.close();
});

describe('y-websocket sync through the real server', () => {
	it('keeps both allies when two people open a brand-new workshop at the same moment and each adds one', async () => {
		// Neither waits for the first sync: both write into a document the server has only just created.
		const a = client('brand-new');
		const b = client('brand-new');
		addAlly(a.doc, { name: 'CARE Mali', type: 'organisation' });
		addAlly(b.doc, { name: 'Radio rurale', type: 'organisation' });
		await Promise.all([waitForSaved(a), waitForSaved(b)]);
		const names = (doc: Y.Doc) =>
			readAllies(doc)
				.map((ally) => ally.name)
				.sort();
		await waitFor(() => names(a.doc).length === 2 && names(b.doc).length === 2, {
			what: 'both allies everywhere'
		});
		expect(names(a.doc)).toEqual(['CARE Mali', 'Radio rurale']);
		expect(names(b.doc)).toEqual(['CARE Mali', 'Radio rurale']);
		const live = await server.services.registry.open('brand-new');
		expect(names(live.doc)).toEqual(['CARE Mali', 'Radio rurale']);
	});

	it('syncs a new client with what is already stored', async () => {
		const a = client('room-1');
		await waitForSynced(a);
		addAlly(a.doc, { name: 'CARE Mali', type: 'organisation' });
		await waitForSaved(a);
		const b = client('room-1');
		await waitForSynced(b);
		expect(readAllies(b.doc).map((ally) => ally.name)).toEqual(['CARE Mali']);
	});

	it('relays live updates between connected clients', async () => {
		const a = client('room-2');
		const b = client('room-2');
		await Promise.all([waitForSynced(a), waitForSynced(b)]);
		addAlly(a.doc, { name: 'Association des femmes', type: 'association' });
		await waitFor(() => readAllies(b.doc).length === 1, { what: 'ally on b' });
		expect(readAllies(b.doc)[0].name).toBe('Association des femmes');
	});

	it('keeps rooms apart', async () => {
		const a = client('room-a');
		const b = client('room-b');
		await Promise.all([waitForSynced(a), waitForSynced(b)]);
		addAlly(a.doc, { name: 'Only in A', type: 'group' });
		await waitForSaved(a);
		const b2 = client('room-b');
		await waitForSynced(b2);
		expect(readAllies(b.doc)).toEqual([]);
		expect(readAllies(b2.doc)).toEqual([]);
	});

	it('acknowledges each local change only once the server has committed it', async () => {
		const a = client('room-ack');
		await waitForSynced(a);
		addAlly(a.doc, { name: 'One', type: 'group' });
		addAlly(a.doc, { name: 'Two', type: 'group' });
		expect(a.saves.unsaved).toBe(2);
		await waitForSaved(a);
		const stored = await server.services.storage.loadDocument('room-ack');
		const replay = new Y.Doc();
		for (const row of stored.updates) Y.applyUpdate(replay, row.data);
		expect(
			readAllies(replay)
				.map((ally) => ally.name)
				.sort()
		).toEqual(['One', 'Two']);
	});
});
