/** The server brings a stored version 1 workshop up to the current shape when it loads it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { startTestServer } from '../fixtures/server';
import { useMemberClients, waitFor, waitForSaved, waitForSynced } from '../fixtures/clients';
import type { RunningServer } from '../../server/app';
import {
	ALLY_FIELD_NAMES,
	getAllyText,
	getSchemaVersion,
	readAllies,
	SCHEMA_VERSION,
	setAllyField
} from '../../src/lib/shared/schema';

let server: RunningServer;
const client = useMemberClients(() => server);

beforeAll(async () => {
	server = await startTestServer({ DOC_GRACE_MS: '200' });
});
afterAll(async () => {
	await server.close();
});

/** A workshop as version 1 stored it: allies with only a name, a type and a creation time. */
function versionOneUpdate(): Uint8Array {
	const doc = new Y.Doc();
	doc.transact(() => {
		const meta = doc.getMap('meta');
		meta.set('workshopId', 'old-forum');
		meta.set('createdAt', 1);
		meta.set('schemaVersion', 1);
		const ally = new Y.Map<unknown>();
		ally.set('name', new Y.Text('Mairie de Kayes'));
		ally.set('type', 'institution');
		ally.set('createdAt', 2);
		doc.getMap('allies').set('0b8e7c52-2f5d-4e59-9a3c-6f1d2a7b9c10', ally);
	});
	return Y.encodeStateAsUpdate(doc);
}

describe('shape migrations on load', () => {
	it('gives a stored version 1 ally every study field, once, so browsers can edit them', async () => {
		await server.services.storage.appendUpdates([{ doc: 'old-forum', update: versionOneUpdate() }]);
		const id = '0b8e7c52-2f5d-4e59-9a3c-6f1d2a7b9c10';

		const a = client('old-forum');
		await waitForSynced(a);
		expect(getSchemaVersion(a.doc)).toBe(SCHEMA_VERSION);
		for (const field of ALLY_FIELD_NAMES)
			expect(getAllyText(a.doc, id, field)).toBeInstanceOf(Y.Text);
		setAllyField(a.doc, id, 'headquarters', 'Kayes');
		await waitForSaved(a);
		a.destroy();
		await waitFor(() => !server.services.registry.has('old-forum'), {
			what: 'the document to leave memory'
		});

		// Reloaded from disk: already migrated, the edit kept, no second set of fields.
		const b = client('old-forum');
		await waitForSynced(b);
		const [ally] = readAllies(b.doc);
		expect(ally.name).toBe('Mairie de Kayes');
		expect(ally.fields.headquarters).toBe('Kayes');
		expect(getSchemaVersion(b.doc)).toBe(SCHEMA_VERSION);
	});
});
