import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config';
import { openStorage } from '../../server/storage/open';
import { generateLinks, joinWorkshop } from '../../src/lib/server/joining';
import {
	listOrganisationsWithMembers,
	mergeOrganisations,
	setDelegate
} from '../../src/lib/server/organisations';
import { getDelegate } from '../../src/lib/server/delegates';
import { addMemberWithoutDevice, updateOwnDetails } from '../../src/lib/server/members';
import { addCoFacilitator } from '../../src/lib/server/workshops';
import { engineEnv, ENGINES } from '../fixtures/storages';
import { allRows } from '../fixtures/storage-rows';

const T0 = Date.UTC(2026, 10, 2, 9, 0);
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
	for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe.each(ENGINES)('on %s', (engine) => {
	async function setUp() {
		const { env, drop } = engineEnv(engine);
		const config = loadConfig(env);
		const storage = openStorage({ ...config, busyTimeoutMs: 100 });
		cleanups.push(async () => {
			await storage.close();
			await drop();
		});
		await storage.ready();
		const services = {
			storage,
			config,
			// No connection open: nothing to refresh or close (both the old and the new seam).
			connections: new Set<never>(),
			live: {
				refreshPresence: async () => {},
				disconnectMember: () => 0,
				disconnectWorkshop: () => 0,
				toWorkshop: () => {},
				toFacilitators: () => {},
				isConnected: async () => false
			}
		};
		await storage.createUser({ id: 'amina', login: 'amina', passwordHash: 'x', createdAt: T0 });
		await storage.createWorkshop(
			{ id: 'w1', title: 'Forum de Kayes', createdAt: T0, ownerId: 'amina' },
			{ links: generateLinks() }
		);
		let minute = 0;
		const join = async (name: string, organisation: string) =>
			(
				await joinWorkshop(
					services,
					{
						workshopId: 'w1',
						role: 'participant',
						grantedBy: 'invite-link',
						userId: null,
						name,
						organisation
					},
					T0 + ++minute * 60_000
				)
			).membership;
		return { storage, services, join };
	}

	describe('organisations and their delegates', () => {
		it("makes an organisation's first member to join its delegate until the facilitator designates another", async () => {
			const { services, join } = await setUp();
			const moussa = await join('Moussa', 'CARE Mali');
			const awa = await join('Awa', 'care mali');
			// Accents, capitals and punctuation typed unevenly on phones: still one organisation.
			const issa = await join('Issa', 'Câre-MALI');
			const organisation = moussa.organisationId!;
			expect(awa.organisationId).toBe(organisation);
			expect(issa.organisationId).toBe(organisation);
			expect((await getDelegate(services, 'w1', organisation))?.name).toBe('Moussa');

			expect(await setDelegate(services, 'w1', organisation, awa.userId)).toBe(true);
			expect((await getDelegate(services, 'w1', organisation))?.name).toBe('Awa');
			// Back to the default.
			expect(await setDelegate(services, 'w1', organisation, null)).toBe(true);
			expect((await getDelegate(services, 'w1', organisation))?.name).toBe('Moussa');
		});

		it('refuses a delegate from another organisation, and falls back when the designated one leaves it', async () => {
			const { services, join } = await setUp();
			const moussa = await join('Moussa', 'CARE Mali');
			const awa = await join('Awa', 'CARE Mali');
			const fanta = await join('Fanta', 'Oxfam');
			const care = moussa.organisationId!;
			expect(await setDelegate(services, 'w1', care, fanta.userId)).toBe(false);
			expect(await setDelegate(services, 'w1', care, 'nobody')).toBe(false);
			expect(await setDelegate(services, 'w1', 'no-such-organisation', null)).toBe(false);
			// An observer of the same organisation reads; they never speak for it.
			const observer = await joinWorkshop(services, {
				workshopId: 'w1',
				role: 'observer',
				grantedBy: 'observer-link',
				userId: null,
				name: 'Kadi',
				organisation: 'CARE Mali'
			});
			expect(await setDelegate(services, 'w1', care, observer.membership.userId)).toBe(false);

			await setDelegate(services, 'w1', care, awa.userId);
			await updateOwnDetails(services, 'w1', awa.userId, { name: 'Awa', organisation: 'Oxfam' });
			expect((await getDelegate(services, 'w1', care))?.name).toBe('Moussa');
			expect(await getDelegate(services, 'w1', 'no-such-organisation')).toBeNull();
		});

		it('merges a duplicate: its members move over, it is deleted, the kept one keeps its delegate', async () => {
			const { services, storage, join } = await setUp();
			const moussa = await join('Moussa', 'CARE Mali');
			const awa = await join('Awa', 'CARE International');
			const fanta = await join('Fanta', 'Oxfam');
			const [kept, merged] = [moussa.organisationId!, awa.organisationId!];
			expect(kept).not.toBe(merged);

			expect(await mergeOrganisations(services, 'w1', kept, merged)).toBe(true);
			expect((await storage.getMembership('w1', awa.userId))?.organisation).toBe('CARE Mali');
			const listed = await listOrganisationsWithMembers(services, 'w1');
			expect(
				listed.map((entry) => [
					entry.organisation.name,
					entry.members.map((m) => m.name),
					entry.delegate?.name
				])
			).toEqual([
				['CARE Mali', ['Moussa', 'Awa'], 'Moussa'],
				['Oxfam', ['Fanta'], 'Fanta']
			]);
			// Not twice, not onto itself, not across workshops.
			expect(await mergeOrganisations(services, 'w1', kept, merged)).toBe(false);
			expect(await mergeOrganisations(services, 'w1', kept, kept)).toBe(false);
			expect(await mergeOrganisations(services, 'w2', kept, fanta.organisationId!)).toBe(false);
		});
	});

	describe('members the facilitator manages', () => {
		it('adds a member without a device: a guest with a membership and no session', async () => {
			const { services, storage } = await setUp();
			const fanta = await addMemberWithoutDevice(
				services,
				'w1',
				{ name: 'Fanta', organisation: 'ONG Kayes' },
				T0
			);
			expect(fanta).toMatchObject({
				role: 'participant',
				name: 'Fanta',
				organisation: 'ONG Kayes',
				grantedBy: 'added'
			});
			expect((await storage.getUser(fanta.userId))?.kind).toBe('guest');
			const { sessions } = await allRows(storage);
			expect(
				sessions.filter((row) => (row as { user_id: string }).user_id === fanta.userId)
			).toEqual([]);
			// Removing them leaves no user behind: nothing could ever use it.
			expect(await storage.deleteMembership('w1', fanta.userId)).toBe(true);
			expect(await storage.getUser(fanta.userId)).toBeNull();
		});

		it('lets a member correct their name and organisation, never their role', async () => {
			const { services, join } = await setUp();
			const moussa = await join('Mousa', 'CARE');
			const corrected = await updateOwnDetails(services, 'w1', moussa.userId, {
				name: 'Moussa',
				organisation: 'CARE Mali'
			});
			expect(corrected).toMatchObject({
				name: 'Moussa',
				organisation: 'CARE Mali',
				role: 'participant'
			});
			expect(
				await updateOwnDetails(services, 'w2', moussa.userId, { name: 'X', organisation: 'Y' })
			).toBeNull();
		});

		it('adds a co-facilitator by login: a facilitator account, promoted when already a member', async () => {
			const { services, storage, join } = await setUp();
			await storage.createUser({
				id: 'oumar',
				login: 'oumar.diarra',
				passwordHash: 'x',
				createdAt: T0
			});
			expect(await addCoFacilitator(services, 'w1', '  Oumar.Diarra ')).toMatchObject({
				membership: {
					userId: 'oumar',
					role: 'facilitator',
					grantedBy: 'co-facilitator',
					name: 'oumar.diarra'
				}
			});
			expect(await addCoFacilitator(services, 'w1', 'nobody')).toEqual({
				problem: 'unknown-login'
			});
			// A participant's device is no facilitator account, whatever its generated login.
			const guest = await join('Moussa', 'CARE Mali');
			const guestLogin = (await storage.getUser(guest.userId))!.login;
			expect(await addCoFacilitator(services, 'w1', guestLogin)).toEqual({
				problem: 'unknown-login'
			});

			await storage.createUser({ id: 'kadi', login: 'kadi', passwordHash: 'x', createdAt: T0 });
			await joinWorkshop(services, {
				workshopId: 'w1',
				role: 'participant',
				grantedBy: 'invite-link',
				userId: 'kadi',
				name: 'Kadiatou',
				organisation: 'Oxfam'
			});
			expect(await addCoFacilitator(services, 'w1', 'kadi')).toMatchObject({
				membership: { role: 'facilitator', name: 'Kadiatou' }
			});
		});
	});
});
