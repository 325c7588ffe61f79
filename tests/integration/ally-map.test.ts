/**
 * The ally map with raw clients: placements stay in the database until the facilitator reveals
 * them; the reveal writes each ally's median position and spread, never who placed it where.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { startTestServer } from '../fixtures/server';
import { sleep, waitFor, waitForSynced } from '../fixtures/clients';
import { useCommandMembers } from '../fixtures/command-members';
import type { RunningServer } from '../../server/app';
import { withKey } from '../../src/lib/realtime/commands';
import { addAlly } from '../../src/lib/shared/schema';
import { readAllyMap } from '../../src/lib/shared/ally-map';
import type { MapProgress } from '../../src/lib/shared/voices';

let server: RunningServer;
beforeAll(async () => {
	server = await startTestServer();
});
afterAll(() => server.close());
const member = useCommandMembers(() => server);

async function ally(room: string, name: string): Promise<string> {
	let id = '';
	await server.services.registry.changeDocument(
		room,
		(doc) => (id = addAlly(doc, { name, type: 'organisation' }))
	);
	return id;
}

describe('the ally map', () => {
	it('keeps placements private until the reveal, then shows the group’s median and spread only', async () => {
		const room = 'map-private';
		const facilitator = await member(room);
		const awa = await member(room, { role: 'participant', name: 'Awa' });
		const moussa = await member(room, { role: 'participant', name: 'Moussa' });
		const mairie = await ally(room, 'Mairie de Kayes');
		const raw = awa.board();
		await waitForSynced(raw);
		const before = Y.encodeStateVector(raw.doc);

		expect(
			await awa.client.send(
				'map:place',
				withKey({ allyId: mairie, placement: { influence: 5, interest: 2 } })
			)
		).toEqual({
			ok: true,
			value: {
				allyId: mairie,
				userId: awa.userId,
				enteredBy: awa.userId,
				placement: { influence: 5, interest: 2 }
			}
		});
		await moussa.client.send(
			'map:place',
			withKey({ allyId: mairie, placement: { influence: 3, interest: 2 } })
		);
		// Changed: counts once, with the latest placement.
		await moussa.client.send(
			'map:place',
			withKey({ allyId: mairie, placement: { influence: 4, interest: 2 } })
		);
		await sleep(200);
		expect(Y.encodeStateVector(raw.doc)).toEqual(before);
		expect(readAllyMap(raw.doc).size).toBe(0);

		expect(await awa.client.send('map:reveal', { allyId: null })).toEqual({
			ok: false,
			error: 'forbidden',
			reason: 'role'
		});
		expect(await facilitator.client.send('map:reveal', { allyId: null })).toEqual({
			ok: true,
			value: { revealed: [mairie] }
		});
		await waitFor(() => readAllyMap(raw.doc).has(mairie), { what: 'the revealed map' });
		const position = readAllyMap(raw.doc).get(mairie)!;
		// 4 and 5 on influence: one point apart is no disagreement (DISAGREEMENT_MIN_RANGE).
		expect(position).toMatchObject({ voices: 2, voice: 'participant', mostDisputed: null });
		expect(position.influence).toMatchObject({ median: 4.5, min: 4, max: 5 });
		expect(position.interest).toMatchObject({ median: 2, min: 2, max: 2 });
		const text = JSON.stringify(raw.doc.toJSON());
		for (const secret of [awa.userId, moussa.userId, 'Awa', 'Moussa'])
			expect(text).not.toContain(secret);
	});

	it('lets a facilitator place an ally for a member without a phone, recorded as entered by them', async () => {
		const room = 'map-on-behalf';
		const facilitator = await member(room);
		const phoneless = await member(room, { role: 'participant' });
		const participant = await member(room, { role: 'participant' });
		const observer = await member(room, { role: 'observer' });
		const chief = await ally(room, 'Chef de village');
		const progress: MapProgress[] = [];
		facilitator.client.on('map:progress', (value) => progress.push(value));

		const placed = await facilitator.client.send(
			'map:place',
			withKey({
				allyId: chief,
				placement: { influence: 4, interest: 5 },
				onBehalfOf: phoneless.userId
			})
		);
		expect(placed).toEqual({
			ok: true,
			value: {
				allyId: chief,
				userId: phoneless.userId,
				enteredBy: facilitator.userId,
				placement: { influence: 4, interest: 5 }
			}
		});
		expect(await server.services.storage.placements.list(room)).toEqual([
			expect.objectContaining({
				allyId: chief,
				userId: phoneless.userId,
				enteredBy: facilitator.userId
			})
		]);
		expect(await phoneless.client.send('map:mine', {})).toEqual({
			ok: true,
			value: {
				userId: phoneless.userId,
				inputs: { [chief]: { influence: 4, interest: 5 } },
				enteredByOthers: [chief]
			}
		});
		await waitFor(() => progress.length === 1, { what: 'map progress' });
		expect(progress[0]).toMatchObject({ allies: 1, placed: { [phoneless.userId]: 1 } });

		expect(
			await participant.client.send(
				'map:place',
				withKey({
					allyId: chief,
					placement: { influence: 1, interest: 1 },
					onBehalfOf: phoneless.userId
				})
			)
		).toEqual({
			ok: false,
			error: 'forbidden',
			reason: 'on_behalf'
		});
		expect(
			await observer.client.send(
				'map:place',
				withKey({ allyId: chief, placement: { influence: 1, interest: 1 } })
			)
		).toEqual({
			ok: false,
			error: 'forbidden',
			reason: 'role'
		});
		for (const placement of [
			{ influence: 0, interest: 3 },
			{ influence: 3 },
			'top-right',
			[1, 2]
		]) {
			expect(
				await participant.client.send('map:place', withKey({ allyId: chief, placement } as never))
			).toEqual({ ok: false, error: 'invalid' });
		}
		expect(
			await participant.client.send(
				'map:place',
				withKey({ allyId: 'gone', placement: { influence: 1, interest: 1 } })
			)
		).toEqual({
			ok: false,
			error: 'not_found',
			reason: 'ally'
		});
		// Removing a placement: it no longer counts.
		await facilitator.client.send(
			'map:place',
			withKey({ allyId: chief, placement: null, onBehalfOf: phoneless.userId })
		);
		expect(await server.services.storage.placements.list(room)).toEqual([]);
	});
});
