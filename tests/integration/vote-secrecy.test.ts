/**
 * Secrecy of votes, checked the way an attacker would look: a raw participant Socket.IO client
 * recording every event it gets, and a real `/yjs` provider recording every update byte. In an
 * anonymous round no voter id or name reaches either, before or after the reveal; nothing of a
 * hidden round's votes reaches the document before the reveal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { startTestServer } from '../fixtures/server';
import { waitFor } from '../fixtures/clients';
import { openRound, propose, useVoters, vote, type Voter } from '../fixtures/voting';
import type { RunningServer } from '../../server/app';
import { readRounds } from '../../src/lib/shared/consensus';
import { ROOTS } from '../../src/lib/shared/schema';

let server: RunningServer;
beforeAll(async () => {
	server = await startTestServer();
});
afterAll(() => server.close());
const { join, board } = useVoters(() => server);

/** The whole document as JSON (`toJSON` leaves out roots this doc never asked for). */
function docJson(doc: Y.Doc): string {
	for (const name of Object.keys(ROOTS)) doc.getMap(name);
	return JSON.stringify(doc.toJSON());
}

/** Everything a watcher received, as text: its socket events and its document's updates (raw bytes too). */
function seenBy(watcher: Voter, updates: Uint8Array[], doc: Y.Doc): string {
	return [
		JSON.stringify(watcher.received),
		docJson(doc),
		...updates.map((update) => Buffer.from(update).toString('latin1'))
	].join('\n');
}

async function setUp(room: string, anonymous: boolean) {
	const facilitator = await join(room, { name: 'Awa Animatrice' });
	const moussa = await join(room, {
		role: 'participant',
		name: 'Moussa Keita',
		organisation: 'CARE Mali'
	});
	const fatou = await join(room, {
		role: 'participant',
		name: 'Fatou Diarra',
		organisation: 'Mairie de Kayes'
	});
	const watcher = await join(room, {
		role: 'participant',
		name: 'Oumar Sidibe',
		organisation: 'Tassaght'
	});
	// The proposal's author is named in the document: someone who does not vote here.
	const author = await join(room, { name: 'Ibrahim Auteur' });
	const proposalId = await propose(author);
	const roundId = await openRound(facilitator, {
		proposalIds: [proposalId],
		mode: 'consent',
		anonymous
	});
	const watcherBoard = await board(room, watcher);
	await waitFor(() => readRounds(watcherBoard.doc).some((round) => round.id === roundId), {
		what: 'the open round'
	});
	const updates: Uint8Array[] = [];
	watcherBoard.doc.on('update', (update: Uint8Array) => updates.push(update));
	return { facilitator, moussa, fatou, watcher, watcherBoard, updates, proposalId, roundId };
}

describe('an anonymous round', () => {
	it('never shows a participant or the document who voted what, before or after the reveal', async () => {
		const room = 'secrecy-anonymous';
		const { facilitator, moussa, fatou, watcher, watcherBoard, updates, proposalId, roundId } =
			await setUp(room, true);
		await vote(moussa, roundId, { [proposalId]: { value: 'block', reason: 'Pas de budget' } });
		await vote(fatou, roundId, { [proposalId]: { value: 'agree' } });
		await vote(
			facilitator,
			roundId,
			{ [proposalId]: { value: 'reservations', reason: 'Calendrier' } },
			{ onBehalf: { kind: 'offline', name: 'Aminata Coulibaly', organisation: null } }
		);
		await vote(watcher, roundId, { [proposalId]: { value: 'agree' } });

		// Before the reveal: the votes changed nothing in the document.
		await new Promise((resolve) => setTimeout(resolve, 200));
		expect(updates).toEqual([]);
		expect(readRounds(watcherBoard.doc).find((round) => round.id === roundId)?.results).toBeNull();

		// Not even through asking: another's ballot, the facilitators' status.
		expect(await watcher.client.send('round:status', { roundId })).toEqual({
			ok: false,
			error: 'forbidden',
			reason: 'role'
		});
		expect(await watcher.client.send('vote:mine', { roundId })).toMatchObject({
			ok: true,
			value: { seat: { name: 'Oumar Sidibe' } }
		});

		await facilitator.client.send('round:close', { roundId });
		await facilitator.client.send('round:reveal', { roundId });
		await waitFor(
			() =>
				readRounds(watcherBoard.doc).find((round) => round.id === roundId)?.state === 'revealed',
			{ what: 'the reveal' }
		);
		const round = readRounds(watcherBoard.doc).find((entry) => entry.id === roundId)!;
		expect(round.results).toMatchObject({
			voices: 4,
			endorsements: [],
			perProposal: { [proposalId]: { agree: 2, reservations: 1, block: 1 } },
			notes: { [proposalId]: ['Calendrier', 'Pas de budget'] }
		});

		const seen = seenBy(watcher, updates, watcherBoard.doc);
		for (const voter of [moussa, fatou, facilitator]) {
			expect(seen).not.toContain(voter.userId);
			expect(seen).not.toContain(voter.name);
		}
		expect(seen).not.toContain('Aminata');
		// The watcher's own identity is not in the document either (only in its own answers).
		expect(docJson(watcherBoard.doc)).not.toContain(watcher.userId);
		// Facilitators did get the progress; the participant never did.
		expect(facilitator.received.some((entry) => entry.event === 'round:progress')).toBe(true);
		expect(watcher.received.map((entry) => entry.event)).not.toContain('round:progress');
	});

	it('keeps voter ids in the database only, and the not-voted list to facilitators', async () => {
		const room = 'secrecy-storage';
		const { facilitator, moussa, watcher, proposalId, roundId } = await setUp(room, true);
		await vote(moussa, roundId, { [proposalId]: { value: 'agree' } });
		const stored = await server.services.storage.votes.listBallots(room, roundId);
		expect(stored.map((ballot) => ballot.voterId)).toEqual([moussa.userId]);
		const live = await server.services.registry.open(room);
		expect(docJson(live.doc)).not.toContain(moussa.userId);
		const progress = facilitator.received
			.filter((entry) => entry.event === 'round:progress')
			.at(-1)!.args[0] as {
			notVoted: { name: string }[];
		};
		expect(progress.notVoted.map((entry) => entry.name).sort()).toEqual([
			'Fatou Diarra',
			'Oumar Sidibe'
		]);
		expect(watcher.received.map((entry) => entry.event)).not.toContain('round:progress');
	});
});

describe('a hidden named round', () => {
	it('puts nothing of its votes in the document before the reveal, and the names after', async () => {
		const room = 'secrecy-hidden';
		const { facilitator, moussa, fatou, watcherBoard, updates, proposalId, roundId } = await setUp(
			room,
			false
		);
		await vote(moussa, roundId, { [proposalId]: { value: 'agree' } });
		await vote(fatou, roundId, { [proposalId]: { value: 'block', reason: 'Non' } });
		await new Promise((resolve) => setTimeout(resolve, 200));
		expect(updates).toEqual([]);

		// Closing shows the state, still no count.
		await facilitator.client.send('round:close', { roundId });
		await waitFor(
			() => readRounds(watcherBoard.doc).find((round) => round.id === roundId)?.state === 'closed',
			{ what: 'closed' }
		);
		expect(readRounds(watcherBoard.doc).find((round) => round.id === roundId)?.results).toBeNull();
		expect(updates.map((update) => Buffer.from(update).toString('latin1')).join('')).not.toMatch(
			/Moussa|Fatou|voices/
		);

		await facilitator.client.send('round:reveal', { roundId });
		await waitFor(
			() => readRounds(watcherBoard.doc).find((round) => round.id === roundId)?.results != null,
			{ what: 'results' }
		);
		const results = readRounds(watcherBoard.doc).find((round) => round.id === roundId)!.results!;
		expect(results.endorsements.map((entry) => [entry.voter, entry.position])).toEqual([
			['Moussa Keita', 'agree'],
			['Fatou Diarra', 'block']
		]);
	});
});
