import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedMember } from '../fixtures/members';
import { startTestServer } from '../fixtures/server';
import type { RunningServer } from '../../server/app';
import { getDelegate, isDelegate, listDelegates } from '../../src/lib/server/delegates';

let server: RunningServer;
beforeAll(async () => {
	server = await startTestServer();
});
afterAll(() => server.close());

describe('organisation delegates', () => {
	it('makes an organisation’s first member to join its delegate by default', async () => {
		const room = 'delegates-default';
		await seedMember(server, room, { role: 'facilitator' });
		const first = await seedMember(server, room, {
			role: 'participant',
			organisation: 'CARE Mali'
		});
		await new Promise((resolve) => setTimeout(resolve, 2));
		const second = await seedMember(server, room, {
			role: 'participant',
			organisation: 'care mali'
		});
		const other = await seedMember(server, room, {
			role: 'participant',
			organisation: 'Mairie de Kayes'
		});
		await seedMember(server, room, { role: 'observer', organisation: 'Observateurs' });

		const members = await server.services.storage.listMembers(room);
		const care = members.find((member) => member.userId === first.userId)!;
		expect(members.find((member) => member.userId === second.userId)!.organisationId).toBe(
			care.organisationId
		);

		const delegates = await listDelegates(server.services, room);
		expect([...delegates.values()].map((member) => member.userId).sort()).toEqual(
			[first.userId, other.userId].sort()
		);
		expect((await getDelegate(server.services, room, care.organisationId!))?.userId).toBe(
			first.userId
		);
		expect(await isDelegate(server.services, care)).toBe(true);
		expect(
			await isDelegate(
				server.services,
				members.find((member) => member.userId === second.userId)!
			)
		).toBe(false);
	});
});
