/**
 * Option 1's private scores, with raw clients against the real server: scores stay in the
 * database until the facilitator reveals them, the reveal writes aggregates only, the voice mode
 * counts delegates, and the facilitator's on-behalf entries are recorded as such.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { startTestServer } from '../fixtures/server';
import { sleep, waitFor, waitForSynced } from '../fixtures/clients';
import { useCommandMembers } from '../fixtures/command-members';
import type { RunningServer } from '../../server/app';
import { withKey } from '../../src/lib/realtime/commands';
import { addCandidate, readCandidateResults } from '../../src/lib/shared/candidates';
import type { ScoringProgress } from '../../src/lib/shared/voices';

let server: RunningServer;
beforeAll(async () => {
	server = await startTestServer();
});
afterAll(() => server.close());
const member = useCommandMembers(() => server);

async function candidate(room: string, name = 'Coalition eau'): Promise<string> {
	let id = '';
	await server.services.registry.changeDocument(room, (doc) => (id = addCandidate(doc, { name })));
	return id;
}

function serverResults(room: string) {
	return server.services.registry.readDocument(room, (doc) => readCandidateResults(doc));
}

describe('scores:set', () => {
	it('keeps scores out of the document: a raw /yjs client receives nothing until the reveal', async () => {
		const room = 'scores-private';
		const facilitator = await member(room);
		const awa = await member(room, { role: 'participant', name: 'Awa' });
		const id = await candidate(room);
		const raw = awa.board();
		await waitForSynced(raw);
		const before = Y.encodeStateVector(raw.doc);
		let updates = 0;
		raw.doc.on('update', () => updates++);

		expect(
			await awa.client.send(
				'scores:set',
				withKey({ candidateId: id, scores: { reputation: 4, consensus: 2 } })
			)
		).toEqual({
			ok: true,
			value: {
				candidateId: id,
				userId: awa.userId,
				enteredBy: awa.userId,
				scores: { reputation: 4, consensus: 2 }
			}
		});
		await sleep(200);
		expect(updates).toBe(0);
		expect(Y.encodeStateVector(raw.doc)).toEqual(before);
		// The server's own document holds nothing either: only the database does.
		const serverDoc = await server.services.registry.readDocument(room, (doc) =>
			JSON.stringify(doc.toJSON())
		);
		expect(serverDoc).not.toContain(awa.userId);
		expect((await serverResults(room)).size).toBe(0);
		expect(await server.services.storage.scores.list(room)).toHaveLength(2);

		expect(await facilitator.client.send('scores:reveal', { candidateId: id })).toEqual({
			ok: true,
			value: { revealed: [id] }
		});
		await waitFor(
			() =>
				readCandidateResults(raw.doc).get(id)?.scores !== null &&
				readCandidateResults(raw.doc).has(id),
			{
				what: 'the revealed scores'
			}
		);
		const revealed = readCandidateResults(raw.doc).get(id)!.scores!;
		expect(revealed.criteria.reputation).toMatchObject({ voices: 1, median: 4 });
		expect(revealed.criteria.leadership).toMatchObject({ voices: 0, median: null });
		// Aggregates only: neither the voter's id nor their name is anywhere in the document.
		const text = JSON.stringify(raw.doc.toJSON());
		expect(text).not.toContain(awa.userId);
		expect(text).not.toContain('Awa');
	});

	it('counts a changed score once, with its latest value', async () => {
		const room = 'scores-changed';
		const facilitator = await member(room);
		const voters = await Promise.all(
			[1, 2, 3].map((n) => member(room, { role: 'participant', name: `P${n}` }))
		);
		const id = await candidate(room);
		await voters[0].client.send(
			'scores:set',
			withKey({ candidateId: id, scores: { flexibility: 1 } })
		);
		await voters[0].client.send(
			'scores:set',
			withKey({ candidateId: id, scores: { flexibility: 5 } })
		);
		await voters[1].client.send(
			'scores:set',
			withKey({ candidateId: id, scores: { flexibility: 5 } })
		);
		await voters[2].client.send(
			'scores:set',
			withKey({ candidateId: id, scores: { flexibility: 2, resources: 3 } })
		);
		// A cleared criterion no longer counts.
		await voters[2].client.send(
			'scores:set',
			withKey({ candidateId: id, scores: { resources: null } })
		);
		await facilitator.client.send('scores:reveal', { candidateId: null });
		const { scores } = (await serverResults(room)).get(id)!;
		expect(scores!.criteria.flexibility).toMatchObject({
			voices: 3,
			median: 5,
			min: 2,
			max: 5,
			counts: [0, 1, 0, 0, 2]
		});
		expect(scores!.criteria.resources.voices).toBe(0);
		expect(scores!.mostDisputed).toBe('flexibility');
	});

	it('counts only delegates in one-voice-per-organisation mode', async () => {
		const room = 'scores-organisations';
		const facilitator = await member(room);
		const careDelegate = await member(room, { role: 'participant', organisation: 'CARE Mali' });
		await sleep(2);
		const careOther = await member(room, { role: 'participant', organisation: 'CARE Mali' });
		const mairie = await member(room, { role: 'participant', organisation: 'Mairie de Kayes' });
		const id = await candidate(room);
		for (const [voter, score] of [
			[careDelegate, 1],
			[careOther, 5],
			[mairie, 3]
		] as const) {
			expect(
				(
					await voter.client.send(
						'scores:set',
						withKey({ candidateId: id, scores: { leadership: score } })
					)
				).ok
			).toBe(true);
		}

		await facilitator.client.send('scores:reveal', { candidateId: id });
		expect((await serverResults(room)).get(id)!.scores!.criteria.leadership).toMatchObject({
			voices: 3,
			median: 3
		});

		expect(await facilitator.client.send('scores:mode', { voice: 'organisation' })).toEqual({
			ok: true,
			value: { voice: 'organisation' }
		});
		await facilitator.client.send('scores:reveal', { candidateId: id });
		const { scores } = (await serverResults(room)).get(id)!;
		expect(scores!.voice).toBe('organisation');
		expect(scores!.criteria.leadership).toMatchObject({ voices: 2, median: 2, min: 1, max: 3 });
	});

	it('refuses observers, unknown candidates and malformed scores, and writes nothing', async () => {
		const room = 'scores-refused';
		await member(room);
		const observer = await member(room, { role: 'observer' });
		const participant = await member(room, { role: 'participant' });
		const id = await candidate(room);
		expect(
			await observer.client.send(
				'scores:set',
				withKey({ candidateId: id, scores: { reputation: 3 } })
			)
		).toEqual({
			ok: false,
			error: 'forbidden',
			reason: 'role'
		});
		expect(
			await participant.client.send(
				'scores:set',
				withKey({ candidateId: 'no-such-candidate', scores: { reputation: 3 } })
			)
		).toEqual({
			ok: false,
			error: 'not_found',
			reason: 'candidate'
		});
		for (const scores of [
			{ reputation: 0 },
			{ reputation: 6 },
			{ reputation: 2.5 },
			{ charisma: 3 },
			{},
			null,
			[3]
		]) {
			expect(
				await participant.client.send('scores:set', withKey({ candidateId: id, scores } as never))
			).toEqual({ ok: false, error: 'invalid' });
		}
		expect(
			await participant.client.send('scores:set', {
				candidateId: id,
				scores: { reputation: 3 }
			} as never)
		).toEqual({
			ok: false,
			error: 'invalid',
			reason: 'key'
		});
		expect(await server.services.storage.scores.list(room)).toEqual([]);
	});
});

describe('facilitator-only actions', () => {
	it('refuses a participant who tries to reveal, decide or change the voice mode', async () => {
		const room = 'scores-participant-refused';
		await member(room);
		const participant = await member(room, { role: 'participant' });
		const id = await candidate(room);
		await participant.client.send(
			'scores:set',
			withKey({ candidateId: id, scores: { consensus: 4 } })
		);
		const refused = { ok: false, error: 'forbidden', reason: 'role' };
		expect(await participant.client.send('scores:reveal', { candidateId: id })).toEqual(refused);
		expect(await participant.client.send('scores:reveal', { candidateId: null })).toEqual(refused);
		expect(
			await participant.client.send('candidate:decide', { candidateId: id, decision: 'join' })
		).toEqual(refused);
		expect(await participant.client.send('scores:mode', { voice: 'organisation' })).toEqual(
			refused
		);
		expect(await participant.client.send('scores:status', {})).toEqual(refused);
		expect((await serverResults(room)).size).toBe(0);
	});

	it('records the facilitator’s decision for everyone, keeping revealed scores', async () => {
		const room = 'scores-decision';
		const facilitator = await member(room, { name: 'Oumar' });
		const participant = await member(room, { role: 'participant' });
		const id = await candidate(room);
		await participant.client.send(
			'scores:set',
			withKey({ candidateId: id, scores: { consensus: 4 } })
		);
		await facilitator.client.send('scores:reveal', { candidateId: id });
		expect(
			await facilitator.client.send('candidate:decide', { candidateId: id, decision: 'negotiate' })
		).toEqual({
			ok: true,
			value: { candidateId: id, decision: 'negotiate' }
		});
		const board = participant.board();
		await waitFor(() => readCandidateResults(board.doc).get(id)?.decision?.value === 'negotiate', {
			what: 'the decision'
		});
		const result = readCandidateResults(board.doc).get(id)!;
		expect(result.decision).toMatchObject({ value: 'negotiate', by: 'Oumar' });
		expect(result.scores!.criteria.consensus.median).toBe(4);
		expect(
			await facilitator.client.send('candidate:decide', {
				candidateId: id,
				decision: 'maybe'
			} as never)
		).toEqual({ ok: false, error: 'invalid' });
	});

	it('sends scoring progress (who has scored, never what) to facilitators only', async () => {
		const room = 'scores-progress';
		const facilitator = await member(room);
		const awa = await member(room, { role: 'participant', name: 'Awa' });
		const moussa = await member(room, { role: 'participant', name: 'Moussa' });
		const id = await candidate(room);
		const seen: ScoringProgress[] = [];
		const leaked: unknown[] = [];
		facilitator.client.on('scores:progress', (progress) => seen.push(progress));
		awa.client.on('scores:progress', (progress) => leaked.push(progress));
		moussa.client.on('scores:progress', (progress) => leaked.push(progress));

		await awa.client.send(
			'scores:set',
			withKey({ candidateId: id, scores: { reputation: 5, leadership: 4 } })
		);
		await waitFor(() => seen.length === 1, { what: 'progress' });
		expect(seen[0].scored[id]).toEqual({ [awa.userId]: 2 });
		expect(seen[0].voices.map((voice) => voice.name)).toEqual(['Awa', 'Moussa']);
		expect(JSON.stringify(seen[0])).not.toMatch(/"score"|:5\b/);
		const status = await facilitator.client.send('scores:status', {});
		expect(status.ok && status.value.scored[id]).toEqual({ [awa.userId]: 2 });
		await sleep(100);
		expect(leaked).toEqual([]);
	});
});

describe('entering scores on behalf of a member without a phone', () => {
	it('records who entered it, and lets only a facilitator do it, for a member', async () => {
		const room = 'scores-on-behalf';
		const facilitator = await member(room);
		const phoneless = await member(room, { role: 'participant', name: 'Fatoumata' });
		const participant = await member(room, { role: 'participant' });
		const observer = await member(room, { role: 'observer' });
		const id = await candidate(room);

		const entered = await facilitator.client.send(
			'scores:set',
			withKey({ candidateId: id, scores: { reputation: 2 }, onBehalfOf: phoneless.userId })
		);
		expect(entered).toEqual({
			ok: true,
			value: {
				candidateId: id,
				userId: phoneless.userId,
				enteredBy: facilitator.userId,
				scores: { reputation: 2 }
			}
		});
		expect(await server.services.storage.scores.list(room)).toEqual([
			expect.objectContaining({
				candidateId: id,
				userId: phoneless.userId,
				enteredBy: facilitator.userId,
				score: 2
			})
		]);
		// The member sees it as entered for them; the facilitator reads back only what they entered.
		expect(await phoneless.client.send('scores:mine', {})).toEqual({
			ok: true,
			value: {
				userId: phoneless.userId,
				inputs: { [id]: { reputation: 2 } },
				enteredByOthers: [`${id}:reputation`]
			}
		});
		await participant.client.send(
			'scores:set',
			withKey({ candidateId: id, scores: { reputation: 5 } })
		);
		const forParticipant = await facilitator.client.send('scores:mine', {
			onBehalfOf: participant.userId
		});
		expect(forParticipant).toEqual({
			ok: true,
			value: { userId: participant.userId, inputs: {}, enteredByOthers: [] }
		});
		// Entering one criterion for them does not hand back the scores they gave themselves.
		const entering = await facilitator.client.send(
			'scores:set',
			withKey({ candidateId: id, scores: { consensus: 3 }, onBehalfOf: participant.userId })
		);
		expect(entering.ok && entering.value.scores).toEqual({ consensus: 3 });
		await participant.client.send(
			'scores:set',
			withKey({ candidateId: id, scores: { consensus: null } })
		);

		expect(
			await participant.client.send(
				'scores:set',
				withKey({ candidateId: id, scores: { reputation: 1 }, onBehalfOf: phoneless.userId })
			)
		).toEqual({
			ok: false,
			error: 'forbidden',
			reason: 'on_behalf'
		});
		expect(await participant.client.send('scores:mine', { onBehalfOf: phoneless.userId })).toEqual({
			ok: false,
			error: 'forbidden',
			reason: 'on_behalf'
		});
		for (const target of [observer.userId, 'not-a-member']) {
			expect(
				await facilitator.client.send(
					'scores:set',
					withKey({ candidateId: id, scores: { reputation: 1 }, onBehalfOf: target })
				)
			).toEqual({
				ok: false,
				error: 'not_found',
				reason: 'member'
			});
		}
		await facilitator.client.send('scores:reveal', { candidateId: id });
		expect((await serverResults(room)).get(id)!.scores!.criteria.reputation).toMatchObject({
			voices: 2,
			median: 3.5
		});
	});
});
