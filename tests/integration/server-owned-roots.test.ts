/**
 * A modified client writing into a server-owned root: the server keeps the update (its later
 * updates depend on it), reverts the root in the same commit, and other clients never see the
 * forged state — while honest edits made in the same update survive.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { startTestServer } from '../fixtures/server';
import { useMemberClients, waitFor, waitForSaved, waitForSynced } from '../fixtures/clients';
import type { RunningServer } from '../../server/app';
import { addAlly, readAllies } from '../../src/lib/shared/schema';

let server: RunningServer;
beforeAll(async () => {
	server = await startTestServer();
});
afterAll(() => server.close());
const connect = useMemberClients(() => server);

/** Every value a client ever observed in the charter root, in order. */
function watchCharter(doc: Y.Doc): unknown[] {
	const seen: unknown[] = [];
	doc.getMap('charter').observe(() => seen.push(doc.getMap('charter').toJSON()));
	return seen;
}

async function serverCharter(room: string): Promise<unknown> {
	const live = await server.services.registry.open(room);
	return live.doc.getMap('charter').toJSON();
}

describe('server-owned roots', () => {
	it('reverts a forged write, keeps the honest edit sent with it, and never shows it to others', async () => {
		const room = 'forged-charter';
		await server.services.registry.changeDocument(room, (doc) => {
			doc.getMap('charter').set('wording', 'Réduire les mariages précoces à Kayes');
			doc.getMap('charter').set('version', 1);
		});
		const forger = connect(room);
		const bystander = connect(room);
		await Promise.all([waitForSynced(forger), waitForSynced(bystander)]);
		const seen = watchCharter(bystander.doc);

		forger.doc.transact(() => {
			const charter = forger.doc.getMap('charter');
			charter.set('wording', 'Forged wording');
			charter.delete('version');
			charter.set('lockedBy', 'me');
			addAlly(forger.doc, { name: 'Honest ally', type: 'organisation' });
		});
		await waitForSaved(forger);
		await waitFor(() => readAllies(bystander.doc).length === 1, { what: 'the honest edit' });

		const expected = { wording: 'Réduire les mariages précoces à Kayes', version: 1 };
		expect(await serverCharter(room)).toEqual(expected);
		await waitFor(
			() => JSON.stringify(forger.doc.getMap('charter').toJSON()) === JSON.stringify(expected),
			{
				what: 'the forger to receive the revert'
			}
		);
		expect(bystander.doc.getMap('charter').toJSON()).toEqual(expected);
		// The bystander received the forged update and its revert as one: nothing forged was observable.
		for (const state of seen) expect(state).toEqual(expected);
		expect(readAllies(bystander.doc).map((ally) => ally.name)).toEqual(['Honest ally']);
	});

	it('still applies the forger’s later updates, which depend on the reverted one', async () => {
		const room = 'forged-then-honest';
		const forger = connect(room);
		const bystander = connect(room);
		await Promise.all([waitForSynced(forger), waitForSynced(bystander)]);
		forger.doc.getMap('rounds').set('r1', { state: 'revealed' });
		const id = addAlly(forger.doc, { name: 'Après', type: 'group' });
		(forger.doc.getMap('allies').get(id) as Y.Map<unknown>).set('convergence', 'yes');
		await waitForSaved(forger);
		await waitFor(() => readAllies(bystander.doc)[0]?.convergence === 'yes', {
			what: 'the later edits'
		});
		expect(bystander.doc.getMap('rounds').size).toBe(0);
		expect(forger.doc.getMap('rounds').size).toBe(0);
	});

	it('deletes list content written under a server-owned root read as an array', async () => {
		const room = 'forged-array';
		const forger = connect(room);
		await waitForSynced(forger);
		forger.doc.getArray('proposals').push(['injected']);
		await waitForSaved(forger);
		const live = await server.services.registry.open(room);
		// The server reads the root as a map: count live list items directly.
		let listItems = 0;
		for (let item = live.doc.getMap('proposals')._start; item; item = item.right)
			if (!item.deleted) listItems++;
		expect(listItems).toBe(0);
		await waitFor(() => forger.doc.getArray('proposals').length === 0, { what: 'the revert' });
	});

	it('keeps the revert after a restart from disk', async () => {
		const room = 'forged-persisted';
		await server.services.registry.changeDocument(room, (doc) =>
			doc.getMap('meta').set('archived', false)
		);
		const forger = connect(room);
		await waitForSynced(forger);
		forger.doc.getMap('meta').set('archived', true);
		await waitForSaved(forger);
		forger.destroy();
		await server.services.registry.flush();
		server.services.registry.closeDocument(room, 1000, 'test');
		const live = await server.services.registry.open(room);
		expect(live.doc.getMap('meta').get('archived')).toBe(false);
	});
});
