/**
 * Proposals, rounds and votes through raw Socket.IO clients against the real server and database:
 * what is allowed, what is refused (with a clear error and nothing changed), and what is recorded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer } from '../fixtures/server';
import { openRound, propose, useVoters, vote } from '../fixtures/voting';
import type { RunningServer } from '../../server/app';
import { withKey } from '../../src/lib/realtime/commands';
import { readProposals, readRounds, type Round } from '../../src/lib/shared/consensus';
import type { RoundOptions, RoundProgress } from '../../src/lib/shared/events';

let server: RunningServer;
beforeAll(async () => {
	server = await startTestServer();
});
afterAll(() => server.close());
const { join } = useVoters(() => server);

async function docOf(room: string) {
	return (await server.services.registry.open(room)).doc;
}

async function roundInDoc(room: string, roundId: string): Promise<Round | undefined> {
	return readRounds(await docOf(room)).find((round) => round.id === roundId);
}

function ballots(room: string, roundId: string) {
	return server.services.storage.votes.listBallots(room, roundId);
}

describe('proposals', () => {
	it('lets a participant propose, their author or a facilitator edit, and refuses everyone else', async () => {
		const room = 'proposals-edit';
		const facilitator = await join(room);
		const moussa = await join(room, { role: 'participant', name: 'Moussa' });
		const fatou = await join(room, { role: 'participant', name: 'Fatou' });
		const id = await propose(moussa, '  Réduire les mariages précoces  ');
		expect(readProposals(await docOf(room))).toMatchObject([
			{
				id,
				wording: 'Réduire les mariages précoces',
				authorName: 'Moussa',
				final: false,
				mergedInto: null
			}
		]);

		const edit = {
			proposalId: id,
			wording: 'Mettre fin aux mariages précoces',
			rationale: 'Loi de 2011'
		};
		expect(await fatou.client.send('proposal:edit', edit)).toEqual({
			ok: false,
			error: 'forbidden',
			reason: 'not_author'
		});
		expect(readProposals(await docOf(room))[0].wording).toBe('Réduire les mariages précoces');
		expect(await moussa.client.send('proposal:edit', edit)).toEqual({
			ok: true,
			value: { proposalId: id }
		});
		expect(
			await facilitator.client.send('proposal:edit', { ...edit, rationale: 'Code des personnes' })
		).toMatchObject({ ok: true });
		expect(readProposals(await docOf(room))[0]).toMatchObject({
			wording: edit.wording,
			rationale: 'Code des personnes'
		});

		const observer = await join(room, { role: 'observer' });
		expect(
			await observer.client.send('proposal:add', withKey({ wording: 'x', rationale: '' }))
		).toEqual({
			ok: false,
			error: 'forbidden',
			reason: 'role'
		});
	});

	it('refuses an empty or over-long text with a reason, and adds nothing', async () => {
		const room = 'proposals-limits';
		const moussa = await join(room, { role: 'participant' });
		const cases = [
			[{ wording: '   ', rationale: '' }, 'wording_empty'],
			[{ wording: 'x'.repeat(501), rationale: '' }, 'wording_too_long'],
			[{ wording: 'Objectif', rationale: 'x'.repeat(2001) }, 'rationale_too_long']
		] as const;
		for (const [text, reason] of cases) {
			expect(await moussa.client.send('proposal:add', withKey(text))).toEqual({
				ok: false,
				error: 'invalid',
				reason
			});
		}
		expect(await moussa.client.send('proposal:add', withKey({ wording: 42 }) as never)).toEqual({
			ok: false,
			error: 'invalid'
		});
		expect(readProposals(await docOf(room))).toEqual([]);
	});

	it('lets the facilitator merge proposals into one final wording, and only the facilitator', async () => {
		const room = 'proposals-merge';
		const facilitator = await join(room);
		const moussa = await join(room, { role: 'participant' });
		const a = await propose(moussa, 'Scolariser les filles');
		const b = await propose(moussa, 'Maintenir les filles à l’école');
		const merge = withKey({
			proposalIds: [a, b],
			wording: 'Scolariser et maintenir les filles à l’école',
			rationale: ''
		});
		expect(await moussa.client.send('proposal:merge', merge)).toEqual({
			ok: false,
			error: 'forbidden',
			reason: 'role'
		});
		const result = await facilitator.client.send('proposal:merge', merge);
		expect(result.ok).toBe(true);
		const finalId = (result as { value: { proposalId: string } }).value.proposalId;
		const proposals = new Map(
			readProposals(await docOf(room)).map((proposal) => [proposal.id, proposal])
		);
		expect(proposals.get(finalId)).toMatchObject({
			final: true,
			mergedInto: null,
			wording: merge.wording
		});
		expect(proposals.get(a)).toMatchObject({ final: false, mergedInto: finalId });
		expect(proposals.get(b)).toMatchObject({ final: false, mergedInto: finalId });

		// Rewording the final one: a new final wording, one at a time.
		const reworded = await facilitator.client.send(
			'proposal:merge',
			withKey({ proposalIds: [finalId], wording: 'Toutes les filles à l’école', rationale: '' })
		);
		const rewordedId = (reworded as { value: { proposalId: string } }).value.proposalId;
		expect(
			readProposals(await docOf(room))
				.filter((proposal) => proposal.final)
				.map((proposal) => proposal.id)
		).toEqual([rewordedId]);
		expect(
			await moussa.client.send('proposal:edit', { proposalId: a, wording: 'y', rationale: '' })
		).toEqual({
			ok: false,
			error: 'conflict',
			reason: 'merged'
		});
	});

	it('keeps a proposal’s wording while a round on it is open', async () => {
		const room = 'proposals-voting';
		const facilitator = await join(room);
		const id = await propose(facilitator);
		await openRound(facilitator, { proposalIds: [id] });
		expect(
			await facilitator.client.send('proposal:edit', {
				proposalId: id,
				wording: 'Autre',
				rationale: ''
			})
		).toEqual({
			ok: false,
			error: 'conflict',
			reason: 'in_open_round'
		});
	});
});

describe('rounds', () => {
	it('refuses a participant opening, closing, revealing or overriding, and changes nothing', async () => {
		const room = 'rounds-participant';
		const facilitator = await join(room);
		const moussa = await join(room, { role: 'participant' });
		const id = await propose(moussa);
		const refused = { ok: false, error: 'forbidden', reason: 'role' };
		expect(
			await moussa.client.send('round:open', {
				proposalIds: [id],
				mode: 'gradient',
				anonymous: false,
				live: false,
				voice: 'participant'
			})
		).toEqual(refused);
		expect(await server.services.storage.votes.listRounds(room)).toEqual([]);
		expect(readRounds(await docOf(room))).toEqual([]);

		const roundId = await openRound(facilitator, { proposalIds: [id], mode: 'consent' });
		expect(await moussa.client.send('round:close', { roundId })).toEqual(refused);
		expect(await moussa.client.send('round:reveal', { roundId })).toEqual(refused);
		expect(await moussa.client.send('round:status', { roundId })).toEqual(refused);
		expect(await moussa.client.send('round:override', { roundId, reason: 'parce que' })).toEqual(
			refused
		);
		expect((await server.services.storage.votes.getRound(room, roundId))?.state).toBe('open');
		expect((await roundInDoc(room, roundId))?.state).toBe('open');
	});

	it('moves open -> closed -> revealed only, each refusal naming where the round is', async () => {
		const room = 'rounds-states';
		const facilitator = await join(room);
		const id = await propose(facilitator);
		const roundId = await openRound(facilitator, { proposalIds: [id] });
		expect(await facilitator.client.send('round:reveal', { roundId })).toEqual({
			ok: false,
			error: 'conflict',
			reason: 'round_open'
		});
		expect(await facilitator.client.send('round:close', { roundId })).toEqual({
			ok: true,
			value: { roundId, state: 'closed' }
		});
		expect(await facilitator.client.send('round:close', { roundId })).toEqual({
			ok: false,
			error: 'conflict',
			reason: 'round_closed'
		});
		expect(await facilitator.client.send('round:reveal', { roundId })).toEqual({
			ok: true,
			value: { roundId, state: 'revealed' }
		});
		expect(await facilitator.client.send('round:reveal', { roundId })).toEqual({
			ok: false,
			error: 'conflict',
			reason: 'round_revealed'
		});
		expect(await facilitator.client.send('round:close', { roundId })).toEqual({
			ok: false,
			error: 'conflict',
			reason: 'round_revealed'
		});
		expect(await facilitator.client.send('round:close', { roundId: 'nope' })).toEqual({
			ok: false,
			error: 'not_found',
			reason: 'round'
		});
		expect((await roundInDoc(room, roundId))?.state).toBe('revealed');
	});

	it('gives two facilitators acting at once one success and one clear refusal', async () => {
		const room = 'rounds-race';
		const awa = await join(room);
		const ibrahim = await join(room);
		const id = await propose(awa);
		const roundId = await openRound(awa, { proposalIds: [id] });
		for (const [event, reason] of [
			['round:close', 'round_closed'],
			['round:reveal', 'round_revealed']
		] as const) {
			const results = await Promise.all([
				awa.client.send(event, { roundId }),
				ibrahim.client.send(event, { roundId })
			]);
			expect(results.filter((result) => result.ok)).toHaveLength(1);
			expect(results.filter((result) => !result.ok)).toEqual([
				{ ok: false, error: 'conflict', reason }
			]);
		}
		// Two rounds opened at once: one opens, the other is told a round is already open.
		const other = await propose(awa, 'Autre objectif');
		const options: RoundOptions = {
			proposalIds: [other],
			mode: 'consent',
			anonymous: false,
			live: false,
			voice: 'participant'
		};
		const opened = await Promise.all([
			awa.client.send('round:open', options),
			ibrahim.client.send('round:open', options)
		]);
		expect(opened.filter((result) => result.ok)).toHaveLength(1);
		expect(opened.filter((result) => !result.ok)).toEqual([
			{ ok: false, error: 'conflict', reason: 'round_open' }
		]);
	});

	it('refuses options that make no sense: live anonymous, dots on one proposal, bad thresholds, merged proposals', async () => {
		const room = 'rounds-options';
		const facilitator = await join(room);
		const a = await propose(facilitator);
		const base = {
			proposalIds: [a],
			mode: 'gradient',
			anonymous: false,
			live: false,
			voice: 'participant'
		} as const;
		const cases = [
			[
				{ ...base, anonymous: true, live: true },
				{ ok: false, error: 'invalid', reason: 'live_needs_named' }
			],
			[
				{ ...base, mode: 'dots' },
				{ ok: false, error: 'invalid', reason: 'dots_need_two' }
			],
			[
				{ ...base, minLevel: 7 },
				{ ok: false, error: 'invalid', reason: 'rule' }
			],
			[
				{ ...base, proposalIds: ['missing'] },
				{ ok: false, error: 'not_found', reason: 'proposal' }
			],
			[
				{ ...base, proposalIds: [a, a] },
				{ ok: false, error: 'invalid' }
			],
			[
				{ ...base, mode: 'majority' },
				{ ok: false, error: 'invalid' }
			]
		] as const;
		for (const [options, expected] of cases) {
			expect(await facilitator.client.send('round:open', options as never)).toEqual(expected);
		}
		expect(await server.services.storage.votes.listRounds(room)).toEqual([]);
	});

	it('deletes a workshop’s rounds and ballots with the workshop', async () => {
		const room = 'rounds-cascade';
		const facilitator = await join(room);
		const moussa = await join(room, { role: 'participant' });
		const id = await propose(facilitator);
		const roundId = await openRound(facilitator, { proposalIds: [id] });
		expect(await vote(moussa, roundId, { [id]: { value: 4 } })).toMatchObject({ ok: true });
		const { storage } = server.services;
		expect(await storage.votes.listRounds(room)).toHaveLength(1);
		expect(await ballots(room, roundId)).toHaveLength(1);
		await storage.deleteWorkshop(room);
		expect(await storage.votes.listRounds(room)).toEqual([]);
		expect(await ballots(room, roundId)).toEqual([]);
	});
});

describe('votes', () => {
	async function gradientRound(room: string) {
		const facilitator = await join(room, { name: 'Awa' });
		const moussa = await join(room, { role: 'participant', name: 'Moussa' });
		// Another organisation: Moussa, CARE Mali's delegate, may not enter Fatou's vote.
		const fatou = await join(room, {
			role: 'participant',
			name: 'Fatou',
			organisation: 'Mairie de Kayes'
		});
		const proposalId = await propose(facilitator);
		const roundId = await openRound(facilitator, { proposalIds: [proposalId] });
		return { facilitator, moussa, fatou, proposalId, roundId };
	}

	it('counts a voter once however often they vote: the latest vote, while open', async () => {
		const room = 'votes-twice';
		const { facilitator, moussa, proposalId, roundId } = await gradientRound(room);
		expect(await vote(moussa, roundId, { [proposalId]: { value: 1 } })).toEqual({
			ok: true,
			value: { roundId, proxy: false }
		});
		expect(await vote(moussa, roundId, { [proposalId]: { value: 4 } })).toEqual({
			ok: true,
			value: { roundId, proxy: false }
		});
		const stored = await ballots(room, roundId);
		expect(stored).toHaveLength(1);
		expect(stored[0].positions).toEqual({ [proposalId]: { value: 4 } });
		expect(await moussa.client.send('vote:mine', { roundId })).toEqual({
			ok: true,
			value: {
				seat: { voice: 'participant', name: 'Moussa' },
				reason: null,
				positions: { [proposalId]: { value: 4 } }
			}
		});
		await facilitator.client.send('round:close', { roundId });
		await facilitator.client.send('round:reveal', { roundId });
		expect((await roundInDoc(room, roundId))?.results).toMatchObject({
			voices: 1,
			perProposal: { [proposalId]: { voices: 1, mean: 4 } }
		});
	});

	it('runs 20 concurrent sends of one key once, and answers each alike', async () => {
		const room = 'votes-concurrent';
		const { moussa, proposalId, roundId } = await gradientRound(room);
		const payload = withKey({ roundId, positions: { [proposalId]: { value: 3 } } });
		const results = await Promise.all(
			Array.from({ length: 20 }, () => moussa.client.send('vote:cast', payload))
		);
		for (const result of results)
			expect(result).toEqual({ ok: true, value: { roundId, proxy: false } });
		const stored = await ballots(room, roundId);
		expect(stored).toHaveLength(1);
		// The same key with another payload is refused, and the ballot stays.
		expect(
			await moussa.client.send('vote:cast', {
				...payload,
				positions: { [proposalId]: { value: 0 } }
			})
		).toEqual({
			ok: false,
			error: 'conflict',
			reason: 'key_reused'
		});
		expect(await ballots(room, roundId)).toEqual(stored);
	});

	it('refuses a vote in a closed round, a retry of an earlier key included, and changes nothing', async () => {
		const room = 'votes-closed';
		const { facilitator, moussa, fatou, proposalId, roundId } = await gradientRound(room);
		const first = withKey({ roundId, positions: { [proposalId]: { value: 5 } } });
		expect(await moussa.client.send('vote:cast', first)).toMatchObject({ ok: true });
		// The only key of the round so far (its opening and the proposal were sent without one).
		const stored = () =>
			server.services.storage.commandResults.get(moussa.token.split('.')[0], first.key);
		expect(await stored()).toMatchObject({ workshopId: room, scope: roundId });
		await facilitator.client.send('round:close', { roundId });
		// The round's keys are forgotten when it closes.
		expect(await stored()).toBeNull();
		const before = await ballots(room, roundId);
		expect(await vote(fatou, roundId, { [proposalId]: { value: 2 } })).toEqual({
			ok: false,
			error: 'conflict',
			reason: 'round_not_open'
		});
		expect(await vote(moussa, roundId, { [proposalId]: { value: 0 } })).toEqual({
			ok: false,
			error: 'conflict',
			reason: 'round_not_open'
		});
		// So a late retry meets the closed round, not the remembered answer.
		expect(await moussa.client.send('vote:cast', first)).toEqual({
			ok: false,
			error: 'conflict',
			reason: 'round_not_open'
		});
		expect(await ballots(room, roundId)).toEqual(before);
	});

	it('refuses a vote in someone else’s name, and one no voter may cast', async () => {
		const room = 'votes-impersonation';
		const { facilitator, moussa, fatou, proposalId, roundId } = await gradientRound(room);
		expect(
			await vote(
				moussa,
				roundId,
				{ [proposalId]: { value: 0 } },
				{ onBehalf: { kind: 'member', userId: fatou.userId } }
			)
		).toEqual({
			ok: false,
			error: 'forbidden',
			reason: 'not_proxy'
		});
		expect(
			await vote(
				moussa,
				roundId,
				{ [proposalId]: { value: 0 } },
				{ onBehalf: { kind: 'offline', name: 'Fatou', organisation: null } }
			)
		).toEqual({
			ok: false,
			error: 'forbidden',
			reason: 'not_proxy'
		});
		// A forged voter id in the payload is not a way either: unknown fields are ignored, the sender votes.
		expect(
			await vote(
				moussa,
				roundId,
				{ [proposalId]: { value: 2 } },
				{ userId: fatou.userId, voterKey: `u:${fatou.userId}` }
			)
		).toMatchObject({ ok: true });
		expect(
			await facilitator.client.send(
				'vote:cast',
				withKey({ roundId, positions: { [proposalId]: { value: 5 } } })
			)
		).toEqual({
			ok: false,
			error: 'forbidden',
			reason: 'not_a_voter'
		});
		const observer = await join(room, { role: 'observer' });
		expect(await vote(observer, roundId, { [proposalId]: { value: 5 } })).toEqual({
			ok: false,
			error: 'forbidden',
			reason: 'role'
		});
		const stored = await ballots(room, roundId);
		expect(stored.map((ballot) => [ballot.voterId, ballot.enteredBy])).toEqual([
			[moussa.userId, moussa.userId]
		]);
	});

	it('refuses a ballot that does not fit the round, with the reason', async () => {
		const room = 'votes-invalid';
		const { moussa, proposalId, roundId } = await gradientRound(room);
		expect(await vote(moussa, roundId, { [proposalId]: { value: 9 } })).toEqual({
			ok: false,
			error: 'invalid',
			reason: 'level'
		});
		expect(await vote(moussa, roundId, {})).toEqual({
			ok: false,
			error: 'invalid',
			reason: 'missing_proposal'
		});
		expect(await vote(moussa, 'no-such-round', { [proposalId]: { value: 3 } })).toEqual({
			ok: false,
			error: 'not_found',
			reason: 'round'
		});
		expect(await ballots(room, roundId)).toEqual([]);
	});

	it('records a proxy with who entered it, and the member’s own later vote replaces it', async () => {
		const room = 'votes-proxy';
		const { facilitator, moussa, fatou, proposalId, roundId } = await gradientRound(room);
		expect(
			await vote(
				facilitator,
				roundId,
				{ [proposalId]: { value: 3 } },
				{ onBehalf: { kind: 'member', userId: fatou.userId } }
			)
		).toEqual({
			ok: true,
			value: { roundId, proxy: true }
		});
		expect(
			await vote(
				facilitator,
				roundId,
				{ [proposalId]: { value: 5 } },
				{ onBehalf: { kind: 'offline', name: 'Aminata', organisation: 'Tassaght' } }
			)
		).toMatchObject({ ok: true });
		let stored = await ballots(room, roundId);
		expect(
			stored.map((ballot) => [ballot.voterName, ballot.enteredBy, ballot.enteredByName])
		).toEqual([
			['Fatou', facilitator.userId, 'Awa'],
			['Aminata', facilitator.userId, 'Awa']
		]);
		expect(await vote(fatou, roundId, { [proposalId]: { value: 4 } })).toEqual({
			ok: true,
			value: { roundId, proxy: false }
		});
		await vote(moussa, roundId, { [proposalId]: { value: 2 } });
		stored = await ballots(room, roundId);
		expect(stored).toHaveLength(3);
		expect(stored.find((ballot) => ballot.voterId === fatou.userId)).toMatchObject({
			enteredBy: fatou.userId,
			enteredByName: null
		});
		await facilitator.client.send('round:close', { roundId });
		await facilitator.client.send('round:reveal', { roundId });
		const results = (await roundInDoc(room, roundId))!.results!;
		expect(results).toMatchObject({
			voices: 3,
			proxies: 1,
			reached: true,
			perProposal: { [proposalId]: { mean: 3.67, min: 2 } }
		});
		expect(results.endorsements.find((entry) => entry.voter === 'Aminata')).toMatchObject({
			organisation: 'Tassaght',
			enteredBy: 'Awa',
			position: '5'
		});
	});

	it('per organisation: the delegate votes, other members cannot, a facilitator enters an absent organisation’s vote', async () => {
		const room = 'votes-organisation';
		const facilitator = await join(room, { name: 'Awa' });
		const delegate = await join(room, {
			role: 'participant',
			name: 'Moussa',
			organisation: 'CARE Mali'
		});
		const colleague = await join(room, {
			role: 'participant',
			name: 'Fatou',
			organisation: 'CARE Mali'
		});
		const mairie = await join(room, {
			role: 'participant',
			name: 'Oumar',
			organisation: 'Mairie de Kayes'
		});
		const proposalId = await propose(delegate);
		const roundId = await openRound(facilitator, {
			proposalIds: [proposalId],
			mode: 'consent',
			voice: 'organisation'
		});

		expect(await colleague.client.send('vote:mine', { roundId })).toEqual({
			ok: true,
			value: { seat: null, reason: 'not_delegate', positions: null }
		});
		expect(
			await vote(colleague, roundId, { [proposalId]: { value: 'block', reason: 'Non' } })
		).toEqual({ ok: false, error: 'forbidden', reason: 'not_delegate' });
		expect(
			await vote(delegate, roundId, { [proposalId]: { value: 'reservations', reason: 'Budget' } })
		).toEqual({ ok: true, value: { roundId, proxy: false } });
		const organisations = await server.services.storage.listOrganisations(room);
		const mairieId = organisations.find(
			(organisation) => organisation.name === 'Mairie de Kayes'
		)!.id;
		// Oumar is connected: another delegate cannot take the Mairie's voice, the facilitator can.
		expect(
			await vote(
				delegate,
				roundId,
				{ [proposalId]: { value: 'agree' } },
				{ onBehalf: { kind: 'organisation', organisationId: mairieId } }
			)
		).toEqual({
			ok: false,
			error: 'forbidden',
			reason: 'organisation_present'
		});
		mairie.client.destroy();
		await new Promise((resolve) => setTimeout(resolve, 100));
		expect(
			await vote(
				delegate,
				roundId,
				{ [proposalId]: { value: 'agree' } },
				{ onBehalf: { kind: 'organisation', organisationId: mairieId } }
			)
		).toEqual({
			ok: true,
			value: { roundId, proxy: true }
		});
		expect(
			await vote(
				facilitator,
				roundId,
				{ [proposalId]: { value: 'agree' } },
				{ onBehalf: { kind: 'offline', name: 'Jeunes de Kayes', organisation: null } }
			)
		).toMatchObject({ ok: true });

		await facilitator.client.send('round:close', { roundId });
		await facilitator.client.send('round:reveal', { roundId });
		const results = (await roundInDoc(room, roundId))!.results!;
		expect(results).toMatchObject({ voices: 3, proxies: 2, reached: true });
		expect(
			results.endorsements.map((entry) => [
				entry.organisation,
				entry.voter,
				entry.position,
				entry.reservation,
				entry.enteredBy
			])
		).toEqual([
			['CARE Mali', null, 'reservations', 'Budget', null],
			['Jeunes de Kayes', null, 'agree', null, 'Awa'],
			['Mairie de Kayes', null, 'agree', null, 'Moussa']
		]);
	});

	it('a block stands until a facilitator overrides it with a reason, recorded in the results', async () => {
		const room = 'votes-override';
		const facilitator = await join(room, { name: 'Awa' });
		const moussa = await join(room, { role: 'participant', name: 'Moussa' });
		const fatou = await join(room, { role: 'participant', name: 'Fatou' });
		const proposalId = await propose(facilitator);
		const roundId = await openRound(facilitator, { proposalIds: [proposalId], mode: 'consent' });
		expect(await vote(moussa, roundId, { [proposalId]: { value: 'block' } })).toEqual({
			ok: false,
			error: 'invalid',
			reason: 'block_needs_reason'
		});
		await vote(moussa, roundId, {
			[proposalId]: { value: 'block', reason: 'Hors de notre mandat' }
		});
		await vote(fatou, roundId, { [proposalId]: { value: 'agree' } });
		expect(
			await facilitator.client.send('round:override', { roundId, reason: 'Trop tôt' })
		).toEqual({ ok: false, error: 'conflict', reason: 'round_open' });
		await facilitator.client.send('round:close', { roundId });
		await facilitator.client.send('round:reveal', { roundId });
		expect((await roundInDoc(room, roundId))!.results).toMatchObject({
			reached: false,
			override: null,
			notes: { [proposalId]: ['Hors de notre mandat'] }
		});
		expect(await facilitator.client.send('round:override', { roundId, reason: '   ' })).toEqual({
			ok: false,
			error: 'invalid',
			reason: 'reason_empty'
		});
		expect(
			await facilitator.client.send('round:override', {
				roundId,
				reason: 'Le mandat sera élargi en AG'
			})
		).toEqual({ ok: true, value: { roundId } });
		expect((await roundInDoc(room, roundId))!.results).toMatchObject({
			reached: true,
			override: { reason: 'Le mandat sera élargi en AG', by: 'Awa' }
		});
		expect(await facilitator.client.send('round:override', { roundId, reason: 'Encore' })).toEqual({
			ok: false,
			error: 'conflict',
			reason: 'already_overridden'
		});
	});

	it('shows a live named round’s results in the document after each vote', async () => {
		const room = 'votes-live';
		const facilitator = await join(room);
		const moussa = await join(room, { role: 'participant', name: 'Moussa' });
		const a = await propose(facilitator, 'A');
		const b = await propose(facilitator, 'B');
		const roundId = await openRound(facilitator, {
			proposalIds: [a, b],
			mode: 'dots',
			live: true,
			dots: 3
		});
		expect((await roundInDoc(room, roundId))!.results).toMatchObject({ voices: 0, rule: 'dots:3' });
		expect(await vote(moussa, roundId, { [a]: { value: 2 }, [b]: { value: 2 } })).toEqual({
			ok: false,
			error: 'invalid',
			reason: 'too_many_dots'
		});
		await vote(moussa, roundId, { [a]: { value: 2 }, [b]: { value: 1 } });
		expect((await roundInDoc(room, roundId))!.results).toMatchObject({
			voices: 1,
			perProposal: { [a]: { dots: 2, met: 1 }, [b]: { dots: 1, met: 0 } },
			endorsements: [
				{ proposalId: a, voter: expect.stringContaining('Moussa'), position: '2' },
				{ proposalId: b, position: '1' }
			].sort((x, y) => x.proposalId.localeCompare(y.proposalId))
		});
	});

	it('tells the facilitators who has not voted yet and the hidden tally, over their sockets only', async () => {
		const room = 'votes-progress';
		const { facilitator, moussa, fatou, proposalId, roundId } = await gradientRound(room);
		await vote(moussa, roundId, { [proposalId]: { value: 4 } });
		const status = await facilitator.client.send('round:status', { roundId });
		expect(status.ok).toBe(true);
		const progress = (status as { value: RoundProgress }).value;
		expect(progress).toMatchObject({ roundId, state: 'open', voices: 1, expected: 2 });
		expect(progress.notVoted).toEqual([
			{
				key: `u:${fatou.userId}`,
				name: 'Fatou',
				organisation: 'Mairie de Kayes',
				userId: fatou.userId
			}
		]);
		expect(progress.tally.perProposal[proposalId]).toMatchObject({ voices: 1, mean: 4 });
		const pushed = facilitator.received
			.filter((entry) => entry.event === 'round:progress')
			.map((entry) => entry.args[0] as RoundProgress);
		expect(pushed.at(-1)).toEqual(progress);
		for (const participant of [moussa, fatou]) {
			expect(participant.received.map((entry) => entry.event)).not.toContain('round:progress');
		}
	});
});
