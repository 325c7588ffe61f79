import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../fixtures/server';
import { useMemberClients, waitFor, waitForSaved, waitForSynced } from '../fixtures/clients';
import type { RunningServer } from '../../server/app';
import { addAlly, readAllies } from '../../src/lib/shared/schema';

let server: RunningServer;
const client = useMemberClients(() => server);

beforeAll(async () => {
	server = await startTestServer({ DOC_GRACE_MS: '200' });
});
afterAll(async () => {
	await server.close();
});

/** What storage holds for the document: its snapshot and the log rows after it. */
function stored(doc: string) {
	return server.services.storage.loadDocument(doc);
}

describe('documents in memory', () => {
	it('unloads a document after the grace period once everyone has left, and reloads it from disk', async () => {
		const a = client('come-and-go');
		const b = client('come-and-go');
		await Promise.all([waitForSynced(a), waitForSynced(b)]);
		addAlly(a.doc, { name: 'Chambre de commerce', type: 'institution' });
		await waitForSaved(a);
		a.destroy();
		// One client left: the document stays.
		await waitFor(() => b.provider.awareness.getStates().size === 1, { what: 'A gone for B' });
		expect(server.services.registry.has('come-and-go')).toBe(true);
		b.destroy();
		await waitFor(() => server.services.registry.size === 0, {
			what: 'the document to leave memory'
		});

		const back = client('come-and-go');
		await waitForSynced(back);
		expect(readAllies(back.doc).map((ally) => ally.name)).toEqual(['Chambre de commerce']);
		expect(server.services.registry.has('come-and-go')).toBe(true);
	});

	it('writes no rows for a document that clients opened but nobody wrote to', async () => {
		const reader = client('only-looked');
		await waitForSynced(reader);
		reader.provider.awareness.setLocalStateField('user', { name: 'Just looking' });
		reader.destroy();
		await waitFor(() => !server.services.registry.has('only-looked'), {
			what: 'the document to leave memory'
		});
		// No snapshot and no log row at all (with no snapshot, every log row is "after" it).
		expect(await stored('only-looked')).toEqual({
			snapshot: null,
			snapshotOwned: null,
			updates: [],
			bytes: 0
		});

		const writer = client('wrote-once');
		await waitForSynced(writer);
		addAlly(writer.doc, { name: 'Comité de gestion scolaire', type: 'group' });
		await waitForSaved(writer);
		expect((await stored('wrote-once')).updates.length).toBeGreaterThan(0);
	});

	it('lets a server read load a document without keeping it in memory', async () => {
		await server.services.registry.changeDocument('read-only-once', (doc) =>
			doc.getMap('meta').set('archived', true)
		);
		await waitFor(() => !server.services.registry.has('read-only-once'), {
			what: 'the first unload'
		});
		const archived = await server.services.registry.readDocument('read-only-once', (doc) =>
			doc.getMap('meta').get('archived')
		);
		expect(archived).toBe(true);
		expect(server.services.registry.has('read-only-once')).toBe(true);
		await waitFor(() => !server.services.registry.has('read-only-once'), {
			what: 'the document to leave memory again'
		});
	});
});
