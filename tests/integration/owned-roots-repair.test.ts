/**
 * The server's copy of its owned roots comes from what the server itself wrote, never from the
 * stored document: a forged value that reached the disk (as an earlier version let an update that
 * threw half-way do) is repaired when the document loads.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { seedMember } from '../fixtures/members';
import { startTestServer } from '../fixtures/server';
import { storedDocument } from '../fixtures/owned-roots';
import type { RunningServer } from '../../server/app';

let server: RunningServer | null = null;
afterEach(async () => {
	await server?.close();
	server = null;
});

/** An update made by some client (not the server) on top of `base`. */
function clientUpdate(base: Y.Doc, change: (doc: Y.Doc) => void): Uint8Array {
	const doc = new Y.Doc();
	Y.applyUpdate(doc, Y.encodeStateAsUpdate(base));
	const before = Y.encodeStateVector(doc);
	change(doc);
	const update = Y.encodeStateAsUpdate(doc, before);
	Y.applyUpdate(base, update);
	return update;
}

async function reload(running: RunningServer, room: string): Promise<Y.Doc> {
	await running.services.registry.flush();
	running.services.registry.closeDocument(room, 1000, 'test');
	return (await running.services.registry.open(room)).doc;
}

describe("the server's copy of its owned roots", () => {
	it('repairs a document stored before owned-roots records existed from the database: the last lock’s charter, the last archive event, the stored rounds', async () => {
		server = await startTestServer();
		const room = 'legacy';
		const facilitator = await seedMember(server, room);
		// What the server wrote, as an earlier version stored it: plain log rows with no record.
		const history = new Y.Doc();
		const locked = {
			wording: 'Réduire les mariages précoces à Kayes',
			version: 1,
			status: 'locked'
		};
		const serverRow = clientUpdate(history, (doc) => {
			for (const [key, value] of Object.entries(locked)) doc.getMap('charter').set(key, value);
			doc.getMap('meta').set('workshopId', room);
		});
		await server.services.storage.history.record({
			workshopId: room,
			kind: 'lock',
			userId: facilitator.userId,
			userName: facilitator.name,
			reason: null,
			at: 1000,
			charterVersion: 1,
			charter: locked,
			state: Y.encodeStateAsUpdate(history)
		});
		// What a forger got onto the disk through the old hole.
		const forgedRow = clientUpdate(history, (doc) => {
			doc.getMap('charter').set('wording', 'Forged wording');
			doc.getMap('charter').set('signedBy', 'everyone');
			doc.getMap('meta').set('archived', true);
			doc.getMap('rounds').set('r-fake', { state: 'revealed', results: { consensus: true } });
		});
		await server.services.storage.appendUpdates([
			{ doc: room, update: serverRow },
			{ doc: room, update: forgedRow }
		]);

		const doc = (await server.services.registry.open(room)).doc;
		expect(doc.getMap('charter').toJSON()).toEqual(locked);
		expect(doc.getMap('meta').get('archived')).toBe(false);
		expect(doc.getMap('rounds').toJSON()).toEqual({});
		expect(doc.getMap('meta').get('workshopId')).toBe(room);
		// The repair is stored, and later loads fold the baseline it wrote rather than rebuild.
		const stored = await storedDocument(server, room);
		expect(stored.getMap('charter').toJSON()).toEqual(locked);
		const { updates } = await server.services.storage.loadDocument(room);
		expect(updates.some((row) => row.owned?.includes('"full":true'))).toBe(true);
		expect((await reload(server, room)).getMap('charter').toJSON()).toEqual(locked);
	});

	it('is folded from the records of its own writes, so a forged row on disk after them is repaired on load', async () => {
		server = await startTestServer();
		const room = 'recorded';
		await seedMember(server, room);
		await server.services.registry.changeDocument(room, (doc) => {
			doc.getMap('facilitation').set('step', 'identify');
			doc.getMap('acceptances').set('t1', { accepted: true });
		});
		await server.services.registry.changeDocument(room, (doc) =>
			doc.getMap('facilitation').set('step', 'study')
		);
		const onDisk = await storedDocument(server, room);
		await server.services.storage.appendUpdates([
			{
				doc: room,
				update: clientUpdate(onDisk, (doc) => {
					doc.getMap('facilitation').set('step', 'forged');
					doc.getMap('acceptances').delete('t1');
				})
			}
		]);
		const doc = await reload(server, room);
		expect(doc.getMap('facilitation').toJSON()).toEqual({ step: 'study' });
		expect(doc.getMap('acceptances').toJSON()).toEqual({ t1: { accepted: true } });
		expect((await storedDocument(server, room)).getMap('facilitation').get('step')).toBe('study');
	});

	it('keeps its record through compaction: the snapshot carries the whole copy', async () => {
		server = await startTestServer({ COMPACT_ROWS: '3' });
		const room = 'compacted';
		await seedMember(server, room);
		for (const step of ['identify', 'study', 'objective', 'mobilise']) {
			await server.services.registry.changeDocument(room, (doc) =>
				doc.getMap('facilitation').set('step', step)
			);
		}
		const { snapshotOwned } = await server.services.storage.loadDocument(room);
		expect(snapshotOwned).toContain('"full":true');
		const onDisk = await storedDocument(server, room);
		await server.services.storage.appendUpdates([
			{
				doc: room,
				update: clientUpdate(onDisk, (doc) => doc.getMap('facilitation').set('step', 'forged'))
			}
		]);
		expect((await reload(server, room)).getMap('facilitation').get('step')).toBe('mobilise');
	});
});
