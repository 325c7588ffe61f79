/**
 * Allies' contact details: in the server's database, read and written through commands by
 * participants and facilitators; observers get them neither by command nor through the document,
 * and a version 3 document's contact texts move to the database when it loads.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { startTestServer } from '../fixtures/server';
import { sleep, waitFor, waitForSynced } from '../fixtures/clients';
import { useCommandMembers } from '../fixtures/command-members';
import type { RunningServer } from '../../server/app';
import { withKey } from '../../src/lib/realtime/commands';
import { addAlly, getAllies, getSchemaVersion, SCHEMA_VERSION } from '../../src/lib/shared/schema';

let server: RunningServer;
beforeAll(async () => {
	server = await startTestServer({ DOC_GRACE_MS: '200' });
});
afterAll(() => server.close());
const member = useCommandMembers(() => server);

async function ally(room: string, name: string): Promise<string> {
	let id = '';
	await server.services.registry.changeDocument(
		room,
		(doc) => (id = addAlly(doc, { name, type: 'individual' }))
	);
	return id;
}

describe('contact details', () => {
	it('are shared between participants by command and never reach an observer', async () => {
		const room = 'contacts-roles';
		const facilitator = await member(room);
		const participant = await member(room, { role: 'participant' });
		const observer = await member(room, { role: 'observer' });
		const chief = await ally(room, 'Chef de village');
		const watcher = observer.board();
		await waitForSynced(watcher);
		const changes: string[] = [];
		facilitator.client.on('contacts:changed', ({ allyId }) => changes.push(allyId));
		const observed: unknown[] = [];
		observer.client.socket.onAny((...event) => observed.push(event));

		expect(
			await participant.client.send(
				'contacts:set',
				withKey({ allyId: chief, text: '+223 76 12 34 56' })
			)
		).toEqual({
			ok: true,
			value: { allyId: chief, text: '+223 76 12 34 56' }
		});
		await waitFor(() => changes.includes(chief), { what: 'the change notice' });
		expect(await facilitator.client.send('contacts:get', {})).toEqual({
			ok: true,
			value: { contacts: { [chief]: '+223 76 12 34 56' } }
		});

		const refused = { ok: false, error: 'forbidden', reason: 'role' };
		expect(await observer.client.send('contacts:get', {})).toEqual(refused);
		expect(
			await observer.client.send('contacts:set', withKey({ allyId: chief, text: 'x' }))
		).toEqual(refused);
		await sleep(100);
		// The observer's document and every event it received: no contact text anywhere.
		expect(JSON.stringify(watcher.doc.toJSON())).not.toContain('76 12');
		expect(Buffer.from(Y.encodeStateAsUpdate(watcher.doc)).includes(Buffer.from('76 12'))).toBe(
			false
		);
		expect(JSON.stringify(observed)).not.toContain('76 12');

		// Cleared with a blank text; too long or for an unknown ally: refused.
		await participant.client.send('contacts:set', withKey({ allyId: chief, text: '  ' }));
		expect(await facilitator.client.send('contacts:get', {})).toEqual({
			ok: true,
			value: { contacts: {} }
		});
		expect(
			await participant.client.send(
				'contacts:set',
				withKey({ allyId: chief, text: 'x'.repeat(501) })
			)
		).toEqual({ ok: false, error: 'invalid' });
		expect(
			await participant.client.send('contacts:set', withKey({ allyId: 'gone', text: 'x' }))
		).toEqual({
			ok: false,
			error: 'not_found',
			reason: 'ally'
		});
	});

	it('move out of a version 3 document into the database when it loads', async () => {
		const room = 'contacts-migration';
		const facilitator = await member(room);
		const observer = await member(room, { role: 'observer' });
		const old = new Y.Doc();
		old.transact(() => {
			old.getMap('meta').set('workshopId', room);
			old.getMap('meta').set('schemaVersion', 3);
			for (const [id, contact] of [
				['ally-a', 'Mme Diallo, +223 66 00 11 22'],
				['ally-b', '']
			]) {
				const entry = new Y.Map<unknown>();
				entry.set('name', new Y.Text(id));
				entry.set('contact', new Y.Text(contact));
				getAllies(old).set(id, entry);
			}
		});
		await server.services.storage.appendUpdates([
			{ doc: room, update: Y.encodeStateAsUpdate(old) }
		]);

		const watcher = observer.board();
		await waitForSynced(watcher);
		expect(getSchemaVersion(watcher.doc)).toBe(SCHEMA_VERSION);
		for (const entry of getAllies(watcher.doc).values()) expect(entry.has('contact')).toBe(false);
		expect(Buffer.from(Y.encodeStateAsUpdate(watcher.doc)).includes(Buffer.from('66 00 11'))).toBe(
			false
		);
		expect(await facilitator.client.send('contacts:get', {})).toEqual({
			ok: true,
			value: { contacts: { 'ally-a': 'Mme Diallo, +223 66 00 11 22' } }
		});

		// Reloaded from disk: migrated once, the contact still in the database only.
		watcher.destroy();
		await waitFor(() => !server.services.registry.has(room), {
			what: 'the document to leave memory'
		});
		const again = observer.board();
		await waitForSynced(again);
		expect(Buffer.from(Y.encodeStateAsUpdate(again.doc)).includes(Buffer.from('66 00 11'))).toBe(
			false
		);
		expect(
			(await server.services.storage.contacts.list(room)).map((contact) => contact.allyId)
		).toEqual(['ally-a']);
	});
});
