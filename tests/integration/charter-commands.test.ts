/**
 * The lock, unlock, archive and countdown commands with raw Socket.IO clients: who may send them,
 * the lock rule, two facilitators at once, and the event log and versions they write.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { startTestServer } from '../fixtures/server';
import { seedMember, type MemberOptions } from '../fixtures/members';
import {
	proposal,
	results,
	round,
	seedAgreedObjective,
	writeConsensus
} from '../fixtures/consensus';
import type { RunningServer } from '../../server/app';
import { connectCommands, type CommandClient } from '../../src/lib/realtime/commands';
import { readCharter, type Charter } from '../../src/lib/shared/charter';

let server: RunningServer;
const clients: CommandClient[] = [];

beforeAll(async () => {
	server = await startTestServer();
});
afterEach(() => {
	for (const client of clients.splice(0)) client.destroy();
});
afterAll(() => server.close());

async function member(room: string, options: MemberOptions = {}) {
	const seeded = await seedMember(server, room, options);
	const client = connectCommands({
		origin: server.url,
		workshopId: room,
		extraHeaders: { cookie: seeded.cookie }
	});
	clients.push(client);
	await new Promise((resolve, reject) => {
		client.socket.once('connect', () => resolve(null));
		client.socket.once('connect_error', reject);
	});
	return { ...seeded, client };
}

async function documentOf(room: string): Promise<Y.Doc> {
	return (await server.services.registry.open(room)).doc;
}

/** The server-owned roots a refused command could have touched, as JSON. */
async function ownedState(room: string): Promise<string> {
	const doc = await documentOf(room);
	return JSON.stringify(
		['charter', 'meta', 'facilitation'].map((name) => doc.getMap(name).toJSON())
	);
}

describe('who may lock, unlock, archive and start the countdown', () => {
	it('refuses participants and observers with a clear error, and changes nothing', async () => {
		const room = 'commands-refused';
		await seedAgreedObjective(server, room);
		const facilitator = await member(room, { name: 'Oumar' });
		expect(await facilitator.client.send('charter:lock', {})).toMatchObject({ ok: true });
		const before = await ownedState(room);
		const eventsBefore = await server.services.storage.history.listEvents(room);

		for (const role of ['participant', 'observer'] as const) {
			const { client } = await member(room, { role });
			const attempts = [
				client.send('charter:lock', {}),
				client.send('charter:unlock', { reason: 'Je ne suis pas d’accord' }),
				client.send('workshop:archive', {}),
				client.send('workshop:unarchive', {}),
				client.send('facilitation:countdown', { durationMs: 60_000 }),
				client.send('facilitation:countdown', { durationMs: null })
			];
			for (const result of await Promise.all(attempts)) {
				expect(result).toEqual({ ok: false, error: 'forbidden', reason: 'role' });
			}
		}
		expect(await ownedState(room)).toBe(before);
		expect(await server.services.storage.history.listEvents(room)).toEqual(eventsBefore);
	});
});

describe('charter:lock', () => {
	it('copies the final wording, the round, the endorsers with their reservations, who does what, the time and the facilitator', async () => {
		const room = 'lock-copies';
		const { proposal: final, round: agreed } = await seedAgreedObjective(server, room);
		await server.services.registry.changeDocument(room, (doc) => {
			// A task as another branch may shape it: roles as a plain object, no description.
			const task = new Y.Map<unknown>();
			task.set('title', 'Plaidoyer auprès du préfet');
			task.set('roles', { 'ally-1': 'lead' });
			doc.getMap('tasks').set('t-plain', task);
			const ally = new Y.Map<unknown>();
			ally.set('name', new Y.Text('CARE Mali'));
			doc.getMap('allies').set('ally-1', ally);
			doc.getMap('acceptances').set('t-plain:ally-1', { by: 'Awa', at: 5 });
		});
		const { client } = await member(room, { name: 'Oumar Diarra' });
		const before = Date.now();
		expect(await client.send('charter:lock', {})).toEqual({ ok: true, value: { version: 1 } });

		const charter = readCharter(await documentOf(room)) as Charter;
		expect(charter).toMatchObject({
			version: 1,
			status: 'locked',
			proposal: { id: final.id, wording: final.wording, rationale: final.rationale },
			round: { id: agreed.id, mode: 'gradient', results: agreed.results },
			lockedBy: 'Oumar Diarra',
			unlock: null
		});
		expect(charter.lockedAt).toBeGreaterThanOrEqual(before);
		// Organisations voted through their delegates in a named round: level 1 ("pas les moyens")
		// does not endorse; level 2 does, with its reservation. No organisation recorded one here.
		expect(charter.endorsedBy).toEqual([
			{
				organisation: 'CARE Mali',
				organisationId: null,
				reservation: null,
				via: 'vote',
				by: null,
				recordedBy: null,
				at: agreed.revealedAt
			},
			{
				organisation: 'Radio rurale',
				organisationId: null,
				reservation: 'Le délai est court',
				via: 'vote',
				by: null,
				recordedBy: null,
				at: agreed.revealedAt
			}
		]);
		expect(charter.tasks).toEqual([
			{
				id: 't-plain',
				title: 'Plaidoyer auprès du préfet',
				description: '',
				deadline: null,
				status: null,
				roles: [
					{
						allyId: 'ally-1',
						ally: 'CARE Mali',
						role: 'lead',
						organisationId: null,
						accepted: true,
						acceptedBy: 'Awa'
					}
				]
			}
		]);
	});

	it('refuses without a final proposal, without a revealed round on it, and when the latest round did not reach consensus', async () => {
		const room = 'lock-rule';
		const { client } = await member(room);
		const lock = () => client.send('charter:lock', {});
		expect(await lock()).toEqual({ ok: false, error: 'conflict', reason: 'no_final_proposal' });

		const final = proposal({ final: true });
		await writeConsensus(server, room, {
			proposals: [final],
			rounds: [round([final.id], { state: 'closed', results: null })]
		});
		expect(await lock()).toEqual({ ok: false, error: 'conflict', reason: 'no_revealed_round' });

		// Dot voting ranks proposals; it does not decide.
		await writeConsensus(server, room, { rounds: [round([final.id], { mode: 'dots' })] });
		expect(await lock()).toEqual({ ok: false, error: 'conflict', reason: 'no_revealed_round' });

		// An early success, then a later consent round blocked: the latest position counts.
		await writeConsensus(server, room, {
			rounds: [
				round([final.id]),
				round([final.id], { mode: 'consent', results: results({ reached: false }) })
			]
		});
		expect(await lock()).toEqual({ ok: false, error: 'conflict', reason: 'no_consensus' });
		expect(readCharter(await documentOf(room))).toBeNull();
		expect(await server.services.storage.history.listEvents(room)).toEqual([]);

		// The facilitator overrides the block with a recorded reason: now it locks.
		await writeConsensus(server, room, {
			rounds: [
				round([final.id], {
					mode: 'consent',
					results: results({
						reached: false,
						override: { reason: 'Blocage hors sujet', by: 'Oumar' }
					})
				})
			]
		});
		expect(await lock()).toEqual({ ok: true, value: { version: 1 } });
	});

	it('gives one success and one clear refusal to two facilitators locking at once', async () => {
		const room = 'lock-race';
		await seedAgreedObjective(server, room);
		const first = await member(room, { name: 'Oumar' });
		const second = await member(room, { name: 'Fatoumata' });
		const answers = await Promise.all([
			first.client.send('charter:lock', {}),
			second.client.send('charter:lock', {})
		]);
		expect(answers.filter((answer) => answer.ok)).toEqual([{ ok: true, value: { version: 1 } }]);
		expect(answers.filter((answer) => !answer.ok)).toEqual([
			{ ok: false, error: 'conflict', reason: 'unchanged' }
		]);
		expect(
			(await server.services.storage.history.listEvents(room)).map((event) => event.kind)
		).toEqual(['lock']);
		expect(readCharter(await documentOf(room))?.version).toBe(1);
	});
});

describe('charter:unlock', () => {
	it('refuses an unlock without a reason, and one of a charter that is not locked', async () => {
		const room = 'unlock-reason';
		await seedAgreedObjective(server, room);
		const { client } = await member(room);
		expect(await client.send('charter:unlock', { reason: 'Pas verrouillée' })).toEqual({
			ok: false,
			error: 'conflict',
			reason: 'not_locked'
		});
		await client.send('charter:lock', {});
		const locked = JSON.stringify(readCharter(await documentOf(room)));
		for (const payload of [
			{ reason: '' },
			{ reason: '   ' },
			{},
			{ reason: 42 },
			{ reason: 'x'.repeat(1001) }
		]) {
			expect(await client.send('charter:unlock', payload as never)).toEqual({
				ok: false,
				error: 'invalid',
				reason: 'reason_required'
			});
		}
		expect(JSON.stringify(readCharter(await documentOf(room)))).toBe(locked);
	});

	it('keeps the last version marked unlocked, and a new lock makes version 2; every step is in the event log with a version row', async () => {
		const room = 'unlock-relock';
		await seedAgreedObjective(server, room);
		const { client, userId } = await member(room, { name: 'Oumar Diarra' });
		await client.send('charter:lock', {});
		const locked = readCharter(await documentOf(room))!;
		expect(
			await client.send('charter:unlock', {
				reason: '  Une organisation absente doit se prononcer '
			})
		).toEqual({
			ok: true,
			value: { version: 1 }
		});
		const unlocked = readCharter(await documentOf(room))!;
		expect(unlocked).toEqual({
			...locked,
			status: 'unlocked',
			unlock: {
				at: expect.any(Number),
				by: 'Oumar Diarra',
				reason: 'Une organisation absente doit se prononcer'
			}
		});
		expect(await client.send('charter:lock', {})).toEqual({ ok: true, value: { version: 2 } });
		expect(readCharter(await documentOf(room))).toMatchObject({
			version: 2,
			status: 'locked',
			unlock: null
		});

		const events = await server.services.storage.history.listEvents(room);
		expect(events).toEqual([
			expect.objectContaining({ kind: 'lock', userId, userName: 'Oumar Diarra', reason: null }),
			expect.objectContaining({
				kind: 'unlock',
				userId,
				reason: 'Une organisation absente doit se prononcer'
			}),
			expect.objectContaining({ kind: 'lock', userId, reason: null })
		]);
		const versions = await server.services.storage.history.listVersions(room);
		expect(versions.map((version) => [version.eventId, version.charterVersion])).toEqual(
			events.map((event, index) => [event.id, [1, 1, 2][index]])
		);
		// Each version is a full copy of the document as that step left it.
		for (const [index, version] of versions.entries()) {
			const copy = new Y.Doc();
			Y.applyUpdate(copy, version.state);
			expect(copy.getMap('charter').toJSON()).toEqual(version.charter);
			expect(readCharter(copy)?.status).toBe(['locked', 'unlocked', 'locked'][index]);
			expect(copy.getMap('proposals').size).toBe(2);
		}
	});
});

describe('workshop:archive', () => {
	it('sets meta.archived, refuses archiving twice, and logs archive and unarchive with a version each', async () => {
		const room = 'archive-log';
		const { client } = await member(room, { name: 'Oumar' });
		expect(await client.send('workshop:archive', { reason: 'Fin du forum' })).toEqual({
			ok: true,
			value: { archived: true }
		});
		const doc = await documentOf(room);
		expect(doc.getMap('meta').get('archived')).toBe(true);
		expect(doc.getMap('meta').get('archivedAt')).toEqual(expect.any(Number));
		expect(await client.send('workshop:archive', {})).toEqual({
			ok: false,
			error: 'conflict',
			reason: 'already_archived'
		});
		expect(await client.send('workshop:archive', { reason: 7 } as never)).toEqual({
			ok: false,
			error: 'invalid'
		});
		expect(await client.send('workshop:unarchive', {})).toEqual({
			ok: true,
			value: { archived: false }
		});
		expect(doc.getMap('meta').get('archived')).toBe(false);
		expect(await client.send('workshop:unarchive', {})).toEqual({
			ok: false,
			error: 'conflict',
			reason: 'not_archived'
		});

		const events = await server.services.storage.history.listEvents(room);
		expect(events.map(({ kind, reason, userName }) => ({ kind, reason, userName }))).toEqual([
			{ kind: 'archive', reason: 'Fin du forum', userName: 'Oumar' },
			{ kind: 'unarchive', reason: null, userName: 'Oumar' }
		]);
		const versions = await server.services.storage.history.listVersions(room);
		expect(versions.map((version) => version.eventId)).toEqual(events.map((event) => event.id));
		const archivedCopy = new Y.Doc();
		Y.applyUpdate(archivedCopy, versions[0].state);
		expect(archivedCopy.getMap('meta').get('archived')).toBe(true);
	});

	it('tells every connected app at once', async () => {
		const room = 'archive-event';
		const { client } = await member(room, { name: 'Oumar' });
		const participant = await member(room, { role: 'participant' });
		const heard = new Promise((resolve) => participant.client.on('workshop:archived', resolve));
		await client.send('workshop:archive', {});
		expect(await heard).toEqual({ archived: true, at: expect.any(Number), by: 'Oumar' });
	});
});

describe('facilitation:countdown', () => {
	it('writes the duration and the server time it started, and stops it', async () => {
		const room = 'countdown';
		const { client } = await member(room);
		const before = Date.now();
		const started = await client.send('facilitation:countdown', { durationMs: 300_000 });
		expect(started).toEqual({
			ok: true,
			value: { countdown: { durationMs: 300_000, startedAt: expect.any(Number) } }
		});
		const doc = await documentOf(room);
		const countdown = doc.getMap('facilitation').get('countdown') as { startedAt: number };
		expect(countdown.startedAt).toBeGreaterThanOrEqual(before);
		expect(countdown.startedAt).toBeLessThanOrEqual(Date.now());
		expect(await client.send('facilitation:countdown', { durationMs: null })).toEqual({
			ok: true,
			value: { countdown: null }
		});
		expect(doc.getMap('facilitation').get('countdown')).toBeNull();
	});

	it('refuses durations that are not whole milliseconds between 1 s and 4 h', async () => {
		const { client } = await member('countdown-invalid');
		for (const durationMs of [0, 999, -5, 1.5, 4 * 3600_000 + 1, '60000', undefined]) {
			expect(await client.send('facilitation:countdown', { durationMs } as never)).toEqual({
				ok: false,
				error: 'invalid'
			});
		}
	});
});
