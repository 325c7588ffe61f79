/**
 * Locking again as the forum progresses, with raw Socket.IO clients: the lock comes at the common
 * objective, before step 4; once endorsements, who does what and step 5 are there, the facilitator
 * locks again and gets the next version, the previous one kept whole in the history. A lock that
 * would say nothing new is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { startTestServer } from '../fixtures/server';
import { useVoters } from '../fixtures/voting';
import { waitForSaved } from '../fixtures/clients';
import {
	addTaskTo,
	proposal,
	results,
	round,
	seedAgreedObjective,
	writeConsensus
} from '../fixtures/consensus';
import type { RunningServer } from '../../server/app';
import { withKey } from '../../src/lib/realtime/commands';
import { readCharter, type Charter } from '../../src/lib/shared/charter';
import { addPrinciple, getRhythmText, setPrincipleAgreed } from '../../src/lib/shared/maintenance';
import { addAlly, initDocument } from '../../src/lib/shared/schema';

let server: RunningServer;
beforeAll(async () => {
	server = await startTestServer();
});
afterAll(() => server.close());
const { join, board } = useVoters(() => server);

describe('charter:lock again as the forum progresses', () => {
	it('makes version 2 with what was added since, refuses a lock that says nothing new, and keeps version 1 in the history', async () => {
		const room = 'relock-progress';
		// The default flow: an anonymous round where each participant voted, so no voice is named.
		const final = proposal({ final: true });
		// The shape a workshop created in the app has (step 5's rhythm text among it).
		await server.services.registry.changeDocument(room, (doc) =>
			initDocument(doc, { workshopId: room, createdAt: Date.now() })
		);
		await writeConsensus(server, room, {
			proposals: [final],
			rounds: [
				round([final.id], {
					anonymous: true,
					voice: 'participant',
					results: results({ endorsements: [] }, [final.id])
				})
			]
		});
		const facilitator = await join(room, { name: 'Oumar Diarra' });
		const awa = await join(room, { role: 'participant', name: 'Awa', organisation: 'CARE Mali' });
		const care = (await server.services.storage.listOrganisations(room))[0]!.id;

		expect(await facilitator.client.send('charter:lock', {})).toEqual({
			ok: true,
			value: { version: 1 }
		});
		const first = readCharter((await server.services.registry.open(room)).doc) as Charter;
		expect(first.tasks).toEqual([]);
		expect(first.notEndorsed).toEqual(['CARE Mali']);
		// Nothing changed: no version 3 of the same text.
		expect(await facilitator.client.send('charter:lock', {})).toEqual({
			ok: false,
			error: 'conflict',
			reason: 'unchanged'
		});

		// The forum goes on: CARE Mali endorses, step 4 and step 5 are filled in.
		await facilitator.client.send(
			'endorsement:set',
			withKey({ organisationId: care, endorse: true, reservation: 'Budget à confirmer' })
		);
		const phone = await board(room, awa);
		const ally = addAlly(phone.doc, { name: 'Radio rurale', type: 'organisation' });
		addTaskTo(phone.doc, { title: 'Émission mensuelle', roles: { [ally]: 'lead' } });
		const principle = addPrinciple(phone.doc, 'Décider par consensus');
		setPrincipleAgreed(phone.doc, principle, true);
		getRhythmText(phone.doc)!.insert(0, 'Une réunion le premier lundi du mois');
		await waitForSaved(phone);

		expect(await facilitator.client.send('charter:lock', {})).toEqual({
			ok: true,
			value: { version: 2 }
		});
		const second = readCharter((await server.services.registry.open(room)).doc) as Charter;
		expect(second).toMatchObject({
			version: 2,
			status: 'locked',
			endorsedBy: [
				expect.objectContaining({ organisation: 'CARE Mali', reservation: 'Budget à confirmer' })
			],
			notEndorsed: [],
			tasks: [expect.objectContaining({ title: 'Émission mensuelle' })],
			principles: [{ id: principle, text: 'Décider par consensus' }],
			rhythm: 'Une réunion le premier lundi du mois'
		});

		// Both versions are in the history, each a full copy of the board at its lock.
		const versions = await server.services.storage.history.listVersions(room);
		expect(versions.map((version) => version.charterVersion)).toEqual([1, 2]);
		const copy = new Y.Doc();
		Y.applyUpdate(copy, versions[0]!.state);
		expect(readCharter(copy)).toEqual(first);
		expect(versions[0]!.charter).toMatchObject({
			version: 1,
			tasks: [],
			notEndorsed: ['CARE Mali']
		});
	});

	it('stays the facilitator’s: participants cannot lock again', async () => {
		const room = 'relock-roles';
		await seedAgreedObjective(server, room);
		const facilitator = await join(room);
		const participant = await join(room, { role: 'participant' });
		await facilitator.client.send('charter:lock', {});
		const phone = await board(room, participant);
		addTaskTo(phone.doc, { title: 'Une tâche' });
		await waitForSaved(phone);
		expect(await participant.client.send('charter:lock', {})).toEqual({
			ok: false,
			error: 'forbidden',
			reason: 'role'
		});
		expect(readCharter((await server.services.registry.open(room)).doc)?.version).toBe(1);
	});
});
