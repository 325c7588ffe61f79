/**
 * "An organisation endorses, a person votes", with raw Socket.IO clients that bypass the UI: who
 * may endorse for an organisation, what is endorsed, that a modified client cannot write an
 * endorsement, and — through the default flow (an anonymous round where each participant votes) —
 * what the charter then says: the endorsing organisations with their reservations and who does
 * what, and nothing about who voted what.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { startTestServer } from '../fixtures/server';
import { useVoters, propose, openRound, type Voter } from '../fixtures/voting';
import { waitFor, waitForSaved } from '../fixtures/clients';
import { addTaskTo, seedAgreedObjective } from '../fixtures/consensus';
import type { RunningServer } from '../../server/app';
import { withKey } from '../../src/lib/realtime/commands';
import { addAlly } from '../../src/lib/shared/schema';
import { setAllyOrganisation } from '../../src/lib/shared/acceptances';
import { readCharter, type Charter } from '../../src/lib/shared/charter';
import { readEndorsements } from '../../src/lib/shared/endorsements';

let server: RunningServer;
beforeAll(async () => {
	server = await startTestServer();
});
afterAll(() => server.close());
const { join, board } = useVoters(() => server);

async function organisationId(room: string, name: string): Promise<string> {
	const organisations = await server.services.storage.listOrganisations(room);
	return organisations.find((entry) => entry.name === name)!.id;
}

async function doc(room: string): Promise<Y.Doc> {
	return (await server.services.registry.open(room)).doc;
}

async function ok<T>(result: Promise<unknown>): Promise<T> {
	const answer = (await result) as { ok: boolean; value?: T };
	expect(answer.ok, JSON.stringify(answer)).toBe(true);
	return answer.value as T;
}

/** A facilitator and, for CARE Mali and Radio rurale, a delegate and a second member each. */
async function room(name: string) {
	const facilitator = await join(name, { name: 'Oumar Diarra' });
	const awa = await join(name, { role: 'participant', name: 'Awa', organisation: 'CARE Mali' });
	const issa = await join(name, { role: 'participant', name: 'Issa', organisation: 'CARE Mali' });
	const moussa = await join(name, {
		role: 'participant',
		name: 'Moussa',
		organisation: 'Radio rurale'
	});
	const care = await organisationId(name, 'CARE Mali');
	const radio = await organisationId(name, 'Radio rurale');
	return { facilitator, awa, issa, moussa, care, radio };
}

function endorse(voter: Voter, organisationId: string, reservation: string | null = null) {
	return voter.client.send(
		'endorsement:set',
		withKey({ organisationId, endorse: true, reservation })
	);
}

describe('endorsement:set', () => {
	it('lets an organisation’s delegate endorse for it and the facilitator record it for any, and refuses everyone else', async () => {
		const name = 'endorse-who';
		await seedAgreedObjective(server, name);
		const { facilitator, awa, issa, moussa, care, radio } = await room(name);
		const observer = await join(name, { role: 'observer', organisation: 'CARE Mali' });

		// Issa belongs to CARE Mali but is not its delegate; Moussa is Radio rurale's, not CARE's.
		expect(await endorse(issa, care)).toEqual({
			ok: false,
			error: 'forbidden',
			reason: 'not_delegate'
		});
		expect(await endorse(moussa, care)).toEqual({
			ok: false,
			error: 'forbidden',
			reason: 'not_delegate'
		});
		expect(await endorse(observer, care)).toEqual({
			ok: false,
			error: 'forbidden',
			reason: 'role'
		});
		expect(await endorse(awa, 'no-such-organisation')).toEqual({
			ok: false,
			error: 'not_found',
			reason: 'organisation'
		});
		expect(await endorse(awa, care, 'x'.repeat(501))).toMatchObject({
			ok: false,
			error: 'invalid'
		});
		expect(readEndorsements(await doc(name)).size).toBe(0);

		expect(await endorse(awa, care, '  Le délai est court  ')).toEqual({
			ok: true,
			value: { organisationId: care, endorsed: true }
		});
		await ok(endorse(facilitator, radio));
		const endorsements = readEndorsements(await doc(name));
		expect(endorsements.get(care)).toMatchObject({
			organisation: 'CARE Mali',
			reservation: 'Le délai est court',
			by: 'Awa',
			recordedBy: null
		});
		expect(endorsements.get(radio)).toMatchObject({
			organisation: 'Radio rurale',
			reservation: null,
			recordedBy: 'Oumar Diarra'
		});

		// Withdrawn by its delegate: gone.
		await ok(
			moussa.client.send('endorsement:set', withKey({ organisationId: radio, endorse: false }))
		);
		expect([...readEndorsements(await doc(name)).keys()]).toEqual([care]);
	});

	it('refuses an endorsement before the group agreed the objective by consensus', async () => {
		const name = 'endorse-too-early';
		const { awa, care } = await room(name);
		expect(await endorse(awa, care)).toEqual({
			ok: false,
			error: 'conflict',
			reason: 'no_final_proposal'
		});
		expect(readEndorsements(await doc(name)).size).toBe(0);
	});

	it('stays the server’s: a modified client writing an endorsement is reverted everywhere', async () => {
		const name = 'endorse-forged';
		await seedAgreedObjective(server, name);
		const { awa, issa, care } = await room(name);
		await ok(endorse(awa, care, 'Vraie réserve'));
		const forger = await board(name, issa);
		const bystander = await board(name, awa);
		await waitFor(() => readEndorsements(bystander.doc).has(care), { what: 'the endorsement' });
		const expected = JSON.stringify(bystander.doc.getMap('endorsements').toJSON());

		forger.doc.getMap('endorsements').set(care, {
			...readEndorsements(forger.doc).get(care),
			reservation: null,
			by: 'Issa'
		});
		forger.doc.getMap('endorsements').set('forged-org', { organisationId: 'forged-org' });
		await waitFor(() => JSON.stringify(forger.doc.getMap('endorsements').toJSON()) === expected, {
			timeout: 2000,
			what: 'the forger to be corrected'
		});
		expect(JSON.stringify((await doc(name)).getMap('endorsements').toJSON())).toBe(expected);
		expect(JSON.stringify(bystander.doc.getMap('endorsements').toJSON())).toBe(expected);
	});
});

describe('the charter after the default flow (an anonymous round, each participant votes)', () => {
	it('names the endorsing organisations with their reservations and who does what, and never a voter', async () => {
		const name = 'endorse-default-flow';
		const { facilitator, awa, issa, moussa, care, radio } = await room(name);
		const draft = await propose(awa, 'Moins de mariages précoces');
		const { proposalId } = await ok<{ proposalId: string }>(
			facilitator.client.send(
				'proposal:merge',
				withKey({
					proposalIds: [draft],
					wording: 'Réduire de moitié les mariages précoces à Kayes d’ici 2028',
					rationale: ''
				})
			)
		);
		const roundId = await openRound(facilitator, {
			proposalIds: [proposalId],
			mode: 'consent',
			anonymous: true,
			voice: 'participant'
		});
		for (const [voter, value, reason] of [
			[awa, 'agree', undefined],
			[issa, 'reservations', 'Il faut associer les chefs de village'],
			[moussa, 'agree', undefined]
		] as const) {
			const position = reason ? { value, reason } : { value };
			await ok(
				voter.client.send(
					'vote:cast',
					withKey({ roundId, positions: { [proposalId]: position } }) as never
				)
			);
		}
		await ok(facilitator.client.send('round:close', { roundId }));
		await ok(facilitator.client.send('round:reveal', { roundId }));

		// What the anonymous round itself says: counts and unattributed reasons, no voice.
		const round = (await doc(name)).getMap('rounds').get(roundId) as {
			results: { endorsements: unknown[]; notes: Record<string, string[]> };
		};
		expect(round.results.endorsements).toEqual([]);
		expect(round.results.notes[proposalId]).toEqual(['Il faut associer les chefs de village']);

		// The organisations endorse; CARE Mali's delegate carries its member's reservation.
		await ok(endorse(awa, care, 'Associer les chefs de village'));
		await ok(endorse(facilitator, radio));

		// Step 4: a task led by CARE Mali's ally, accepted by its delegate.
		const awaBoard = await board(name, awa);
		const ally = addAlly(awaBoard.doc, { name: 'CARE Mali', type: 'organisation' });
		setAllyOrganisation(awaBoard.doc, ally, care);
		const taskId = addTaskTo(awaBoard.doc, {
			title: 'Rencontrer le préfet',
			roles: { [ally]: 'lead' }
		});
		await waitForSaved(awaBoard);
		await ok(awa.client.send('tasks:accept', withKey({ taskId, allyId: ally })));

		await ok(facilitator.client.send('charter:lock', {}));
		const charter = readCharter(await doc(name)) as Charter;
		expect(charter.endorsedBy).toEqual([
			expect.objectContaining({
				organisation: 'CARE Mali',
				reservation: 'Associer les chefs de village',
				via: 'endorsement',
				by: 'Awa'
			}),
			expect.objectContaining({
				organisation: 'Radio rurale',
				reservation: null,
				recordedBy: 'Oumar Diarra'
			})
		]);
		expect(charter.notEndorsed).toEqual([]);
		expect(charter.round).toMatchObject({ anonymous: true, voice: 'participant' });
		expect(charter.round.results.notes[proposalId]).toEqual([
			'Il faut associer les chefs de village'
		]);
		expect(charter.tasks).toEqual([
			expect.objectContaining({
				title: 'Rencontrer le préfet',
				roles: [expect.objectContaining({ ally: 'CARE Mali', role: 'lead', accepted: true })]
			})
		]);
		// Nothing in the charter says how a person voted: no voter, no ballot's voice or user id.
		const text = JSON.stringify(charter);
		expect(text).not.toContain('Issa');
		expect(text).not.toContain(issa.userId);
		expect(text).not.toContain(moussa.userId);
		expect(charter.round.results.endorsements).toEqual([]);
	});
});
