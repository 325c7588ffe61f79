/**
 * The storage contract (src/lib/server/ports/storage.ts), held by both engines through the public
 * `Storage` interface only: SQLite in a temporary directory and PostgreSQL in a schema of its own.
 * Each behaviour is checked on a fresh storage; the races run through one handle and through two
 * (two pools on one PostgreSQL schema, two connections on one SQLite file: two instances); and one
 * scripted scenario, played on both engines, must give the same answers, in the same order.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStorage } from '../../server/storage/open';
import { ENGINES, openTestStorage, TEST_DATABASE_URL } from '../fixtures/storages';
import { rowsMentioning } from '../fixtures/storage-rows';
import { tempDataDir } from '../fixtures/server';
import type {
	ImportRecords,
	Membership,
	NewMembership,
	NewRound,
	Storage,
	StorageKind,
	StoredBallot,
	StoredCommandResult,
	StoredDocument,
	StoredRound,
	StoredSession,
	User,
	WorkshopDetails,
	WorkshopLinks
} from '../../src/lib/server/ports/storage';

/** Every time in these tests is fixed: the scenario must give the same answers on both engines. */
const T0 = 1_767_225_600_000;

function linksFor(tag: string): WorkshopLinks {
	return {
		joinCode: `CODE-${tag}`,
		inviteToken: `invite-${tag}`,
		observerToken: `observer-${tag}`
	};
}

async function addUser(storage: Storage, id: string, overrides: Partial<User> = {}): Promise<User> {
	const user: User = {
		id,
		kind: 'facilitator',
		login: `${id}@example.org`,
		displayName: null,
		passwordHash: `$argon2id$v=19$m=19456,t=2,p=1$${id}`,
		createdAt: T0,
		...overrides
	};
	expect(await storage.createUser(user)).toBe(true);
	return user;
}

/** A participant's device (or a member without one): no password, a login nobody types. */
function addGuest(storage: Storage, id: string): Promise<User> {
	return addUser(storage, id, { kind: 'guest', login: `guest:${id}`, passwordHash: '' });
}

async function addWorkshop(
	storage: Storage,
	id: string,
	options: {
		ownerId?: string | null;
		createdAt?: number;
		title?: string;
		details?: Partial<WorkshopDetails>;
		/** null: a workshop made before links existed. */
		links?: WorkshopLinks | null;
		creator?: NewMembership;
	} = {}
): Promise<string> {
	const created = await storage.createWorkshop(
		{
			id,
			title: options.title ?? `Forum ${id}`,
			createdAt: options.createdAt ?? T0,
			ownerId: options.ownerId ?? null,
			...options.details
		},
		options.links === null
			? undefined
			: { links: options.links ?? linksFor(id), creator: options.creator }
	);
	expect(created).toBe(true);
	return id;
}

function membership(
	workshopId: string,
	userId: string,
	overrides: Partial<NewMembership> = {}
): NewMembership {
	return {
		workshopId,
		userId,
		role: 'participant',
		name: `Membre ${userId}`,
		organisation: null,
		grantedBy: 'join-code',
		joinedAt: T0,
		...overrides
	};
}

/** Joins the workshop as a new guest (its user made first: memberships refer to users). */
async function addMember(
	storage: Storage,
	workshopId: string,
	userId: string,
	overrides: Partial<NewMembership> = {}
): Promise<Membership> {
	if (!(await storage.getUser(userId))) await addGuest(storage, userId);
	return storage.upsertMembership(membership(workshopId, userId, overrides));
}

function session(id: string, userId: string, createdAt: number, lastVerifiedAt: number) {
	return {
		id,
		userId,
		secretHash: new Uint8Array(Buffer.from(`sha256-of-the-secret-of-${id}`.padEnd(32, '.'))),
		createdAt,
		lastVerifiedAt
	} satisfies StoredSession;
}

function newRound(workshopId: string, id: string, overrides: Partial<NewRound> = {}): NewRound {
	return {
		id,
		workshopId,
		proposalIds: ['p-1', 'p-2'],
		mode: 'consent',
		rule: { kind: 'consent' },
		anonymous: false,
		live: true,
		voice: 'participant',
		openedBy: 'u-fac',
		openedAt: T0,
		...overrides
	};
}

function ballot(
	workshopId: string,
	roundId: string,
	voterKey: string,
	overrides: Partial<StoredBallot> = {}
): StoredBallot {
	return {
		roundId,
		workshopId,
		voterKey,
		voterId: voterKey.slice(2),
		voterName: `Voix ${voterKey}`,
		organisationId: null,
		organisation: null,
		positions: { 'p-1': { value: 'agree' }, 'p-2': { value: 'reservations', reason: 'Le coût' } },
		enteredBy: voterKey.slice(2),
		enteredByName: null,
		updatedAt: T0,
		...overrides
	};
}

function commandResult(overrides: Partial<StoredCommandResult> = {}): StoredCommandResult {
	return {
		sessionId: 's-1',
		key: 'key-1',
		workshopId: 'w-1',
		event: 'votes:cast',
		payloadHash: 'a'.repeat(64),
		result: JSON.stringify({ ok: true }),
		scope: null,
		createdAt: T0,
		...overrides
	};
}

/** A document as plain values: bytes as Buffers, whichever Uint8Array the engine returned. */
function plainDocument(document: StoredDocument) {
	return {
		snapshot: document.snapshot && Buffer.from(document.snapshot),
		snapshotOwned: document.snapshotOwned,
		updates: document.updates.map((row) => ({ ...row, data: Buffer.from(row.data) })),
		bytes: document.bytes
	};
}

/** The same elements, in whatever order: for the answers whose order the contract leaves open. */
function expectSameElements<T>(actual: T[], expected: T[]): void {
	expect(actual).toHaveLength(expected.length);
	expect(actual).toEqual(expect.arrayContaining(expected as unknown[]));
}

/**
 * A workshop file exported from another server: a workshop (when `importer` is given, the
 * importer's), two members of one organisation, a revealed round with two ballots, a score, a
 * placement, a contact and a lock with its version.
 */
function exportedWorkshop(workshopId: string, importerId: string | null): ImportRecords {
	return {
		workshop: {
			id: workshopId,
			title: 'Forum importé de Mopti',
			createdAt: T0,
			ownerId: importerId,
			date: '2026-02-01',
			place: 'Mopti',
			language: 'fr',
			issue: 'L’accès à l’eau potable',
			detailsChangedAt: T0 + 5
		},
		links: linksFor(`import-${workshopId}`),
		importer: importerId
			? membership(workshopId, importerId, {
					role: 'facilitator',
					name: 'Importatrice',
					grantedBy: 'creator',
					joinedAt: T0 + 1
				})
			: null,
		users: [
			{ id: 'g-awa', createdAt: T0 },
			{ id: 'g-bakary', createdAt: T0 }
		],
		organisations: [
			{ id: 'org-file-1', name: 'Réseau Eau', createdAt: T0, delegateUserId: 'g-bakary' }
		],
		members: [
			{
				userId: 'g-awa',
				role: 'participant',
				name: 'Awa',
				organisationId: 'org-file-1',
				grantedBy: 'invite-link',
				joinedAt: T0 + 10
			},
			{
				userId: 'g-bakary',
				role: 'participant',
				name: 'Bakary',
				organisationId: 'org-file-1',
				grantedBy: 'join-code',
				joinedAt: T0 + 20
			}
		],
		rounds: [
			{
				...newRound(workshopId, 'r-imported', { openedAt: T0 + 25 }),
				state: 'revealed',
				closedAt: T0 + 36,
				revealedAt: T0 + 37,
				override: null
			}
		],
		ballots: [
			ballot(workshopId, 'r-imported', 'u:g-awa', { updatedAt: T0 + 30 }),
			ballot(workshopId, 'r-imported', 'u:g-bakary', {
				positions: { 'p-1': { value: 'block', reason: 'Pas sans le village' } },
				updatedAt: T0 + 32
			})
		],
		scores: [
			{
				candidateId: 'c-1',
				userId: 'g-awa',
				criterion: 'impact',
				score: 4,
				enteredBy: 'g-awa',
				updatedAt: T0 + 40
			}
		],
		placements: [
			{
				allyId: 'a-1',
				userId: 'g-awa',
				influence: 3,
				interest: 5,
				enteredBy: 'g-awa',
				updatedAt: T0 + 50
			}
		],
		contacts: [{ allyId: 'a-1', text: 'Tél. 76 00 00 00', updatedBy: 'g-awa', updatedAt: T0 + 60 }],
		events: [
			{
				uid: 'event-lock-1',
				kind: 'lock',
				userId: importerId ?? 'u-elsewhere',
				userName: 'Importatrice',
				reason: null,
				at: T0 + 70
			}
		],
		versions: [
			{
				eventUid: 'event-lock-1',
				charterVersion: 1,
				charter: { clauses: ['Accès à l’eau pour tous'] },
				state: new Uint8Array([1, 2, 3]),
				createdAt: T0 + 70
			}
		]
	};
}

const NO_CHANGES = {
	workshop: 0,
	members: 0,
	organisations: 0,
	rounds: 0,
	ballots: 0,
	scores: 0,
	placements: 0,
	contacts: 0,
	events: 0
};

/**
 * Two handles on one store, as two server instances would hold: two pools on one PostgreSQL
 * schema, two connections (and writer threads) on one SQLite file. `b` is `a` for one handle.
 */
async function openHandles(
	engine: StorageKind,
	handles: 'one handle' | 'two handles'
): Promise<{ a: Storage; b: Storage; close(): Promise<void> }> {
	if (engine === 'sqlite') {
		const config = { database: null, dataDir: tempDataDir(), busyTimeoutMs: 5000 };
		const a = openStorage(config);
		await a.ready();
		if (handles === 'one handle') return { a, b: a, close: () => a.close() };
		const b = openStorage(config);
		await b.ready();
		return {
			a,
			b,
			async close() {
				await b.close();
				await a.close();
			}
		};
	}
	const first = await openTestStorage('postgres');
	const a = first.storage;
	if (handles === 'one handle') return { a, b: a, close: () => first.close() };
	const b = openStorage({
		database: { url: TEST_DATABASE_URL, schema: first.schema! },
		dataDir: '',
		busyTimeoutMs: 5000
	});
	await b.ready();
	return {
		a,
		b,
		async close() {
			await b.close().catch(() => {});
			await first.close();
		}
	};
}

describe.each(ENGINES)('%s storage', (engine) => {
	describe('contract', () => {
		let storage: Storage;
		let closeStorage: () => Promise<void>;

		beforeEach(async () => {
			({ storage, close: closeStorage } = await openTestStorage(engine));
		});
		afterEach(async () => {
			await closeStorage();
		});

		describe('document log', () => {
			it('appendUpdates resolves one increasing id per row, in the order given; none for no rows', async () => {
				const first = await storage.appendUpdates([
					{ doc: 'd-1', update: new Uint8Array([1]) },
					{ doc: 'd-1', update: new Uint8Array([2]) },
					{ doc: 'd-2', update: new Uint8Array([3]) }
				]);
				const second = await storage.appendUpdates([{ doc: 'd-1', update: new Uint8Array([4]) }]);
				expect(first).toHaveLength(3);
				expect(second).toHaveLength(1);
				const all = [...first, ...second];
				for (let i = 1; i < all.length; i++) expect(all[i]).toBeGreaterThan(all[i - 1]);
				expect(await storage.appendUpdates([])).toEqual([]);
			});

			it('loadDocument returns the rows of that document only, in commit order, with their owned records and their bytes', async () => {
				const [a, b] = await storage.appendUpdates([
					{ doc: 'd-1', update: new Uint8Array([1]), owned: '{"rounds":["r-1"]}' },
					{ doc: 'd-1', update: new Uint8Array([2, 2]) }
				]);
				await storage.appendUpdates([{ doc: 'd-other', update: new Uint8Array([9, 9, 9, 9]) }]);
				const [c] = await storage.appendUpdates([
					{ doc: 'd-1', update: new Uint8Array([3, 3, 3]), owned: null }
				]);
				expect(plainDocument(await storage.loadDocument('d-1'))).toEqual({
					snapshot: null,
					snapshotOwned: null,
					updates: [
						{ id: a, data: Buffer.from([1]), owned: '{"rounds":["r-1"]}' },
						{ id: b, data: Buffer.from([2, 2]), owned: null },
						{ id: c, data: Buffer.from([3, 3, 3]), owned: null }
					],
					bytes: 6
				});
			});

			it('loadDocument of a document never written is empty', async () => {
				expect(plainDocument(await storage.loadDocument('d-never'))).toEqual({
					snapshot: null,
					snapshotOwned: null,
					updates: [],
					bytes: 0
				});
			});

			it('compactDocument stores the snapshot with its owned record, deletes the rows up to `upto` and keeps the later ones', async () => {
				const ids = await storage.appendUpdates([
					{ doc: 'd-1', update: new Uint8Array([1]) },
					{ doc: 'd-1', update: new Uint8Array([2]) },
					{ doc: 'd-1', update: new Uint8Array([3, 3]), owned: 'later' }
				]);
				await storage.compactDocument('d-1', new Uint8Array([7, 7, 7, 7]), ids[1], 'owned-at-2');
				expect(plainDocument(await storage.loadDocument('d-1'))).toEqual({
					snapshot: Buffer.from([7, 7, 7, 7]),
					snapshotOwned: 'owned-at-2',
					updates: [{ id: ids[2], data: Buffer.from([3, 3]), owned: 'later' }],
					bytes: 6
				});
				// Rows appended after a compaction come after it.
				const [next] = await storage.appendUpdates([{ doc: 'd-1', update: new Uint8Array([4]) }]);
				expect(next).toBeGreaterThan(ids[2]);
				const loaded = await storage.loadDocument('d-1');
				expect(loaded.updates.map((row) => row.id)).toEqual([ids[2], next]);
				expect(loaded.bytes).toBe(7);
			});

			it('a later compactDocument replaces the earlier snapshot', async () => {
				const ids = await storage.appendUpdates([
					{ doc: 'd-1', update: new Uint8Array([1]) },
					{ doc: 'd-1', update: new Uint8Array([2]) }
				]);
				await storage.compactDocument('d-1', new Uint8Array([5]), ids[0], 'first');
				await storage.compactDocument('d-1', new Uint8Array([6, 6]), ids[1], 'second');
				expect(plainDocument(await storage.loadDocument('d-1'))).toEqual({
					snapshot: Buffer.from([6, 6]),
					snapshotOwned: 'second',
					updates: [],
					bytes: 2
				});
			});

			it('deleteDocument removes the snapshot and the log of that document only', async () => {
				const ids = await storage.appendUpdates([
					{ doc: 'd-1', update: new Uint8Array([1]) },
					{ doc: 'd-1', update: new Uint8Array([2]) }
				]);
				await storage.compactDocument('d-1', new Uint8Array([5]), ids[0], 'owned');
				const [kept] = await storage.appendUpdates([{ doc: 'd-2', update: new Uint8Array([8]) }]);
				await storage.deleteDocument('d-1');
				expect(plainDocument(await storage.loadDocument('d-1'))).toEqual({
					snapshot: null,
					snapshotOwned: null,
					updates: [],
					bytes: 0
				});
				expect(plainDocument(await storage.loadDocument('d-2')).updates).toEqual([
					{ id: kept, data: Buffer.from([8]), owned: null }
				]);
			});
		});

		describe('workshops', () => {
			it('createWorkshop writes the workshop, its links and its creator’s facilitator membership', async () => {
				await addUser(storage, 'u-owner');
				const created = await storage.createWorkshop(
					{ id: 'w-1', title: 'Forum de Kayes', createdAt: T0, ownerId: 'u-owner' },
					{
						links: linksFor('1'),
						creator: membership('w-1', 'u-owner', {
							role: 'facilitator',
							name: 'Amina',
							organisation: 'Réseau Eau',
							grantedBy: 'creator'
						})
					}
				);
				expect(created).toBe(true);
				// The details default to none, and French.
				expect(await storage.getWorkshop('w-1')).toEqual({
					id: 'w-1',
					title: 'Forum de Kayes',
					createdAt: T0,
					ownerId: 'u-owner',
					date: null,
					place: '',
					language: 'fr',
					issue: '',
					detailsChangedAt: null
				});
				expect(await storage.getWorkshopLinks('w-1')).toEqual(linksFor('1'));
				expect(await storage.findWorkshopByJoinCode('CODE-1')).toEqual({ workshopId: 'w-1' });
				const [organisation] = await storage.listOrganisations('w-1');
				expect(organisation.name).toBe('Réseau Eau');
				expect(await storage.listMembers('w-1')).toEqual([
					{
						workshopId: 'w-1',
						userId: 'u-owner',
						role: 'facilitator',
						name: 'Amina',
						organisationId: organisation.id,
						organisation: 'Réseau Eau',
						grantedBy: 'creator',
						joinedAt: T0
					}
				]);
			});

			it('createWorkshop keeps the details given', async () => {
				await addWorkshop(storage, 'w-1', {
					title: 'Forum de Ségou',
					details: {
						date: '2026-03-14',
						place: 'Ségou',
						language: 'en',
						issue: 'Girls’ schooling'
					}
				});
				expect(await storage.getWorkshop('w-1')).toEqual({
					id: 'w-1',
					title: 'Forum de Ségou',
					createdAt: T0,
					ownerId: null,
					date: '2026-03-14',
					place: 'Ségou',
					language: 'en',
					issue: 'Girls’ schooling',
					detailsChangedAt: null
				});
			});

			it.each(['joinCode', 'inviteToken', 'observerToken'] as const)(
				'createWorkshop resolves false and writes nothing when the %s is already taken',
				async (taken) => {
					await addUser(storage, 'u-owner');
					await addWorkshop(storage, 'w-1', { ownerId: 'u-owner' });
					const links = { ...linksFor('2'), [taken]: linksFor('w-1')[taken] };
					const created = await storage.createWorkshop(
						{ id: 'w-2', title: 'Forum 2', createdAt: T0 + 1, ownerId: 'u-owner' },
						{
							links,
							creator: membership('w-2', 'u-owner', {
								role: 'facilitator',
								organisation: 'Une organisation nouvelle',
								grantedBy: 'creator'
							})
						}
					);
					expect(created).toBe(false);
					expect(await storage.getWorkshop('w-2')).toBeNull();
					expect(await storage.getWorkshopLinks('w-2')).toBeNull();
					expect(await storage.getMembership('w-2', 'u-owner')).toBeNull();
					expect(await storage.listOrganisations('w-2')).toEqual([]);
					expect(await storage.listWorkshops(10)).toHaveLength(1);
					// The first workshop's links are untouched, the new ones lead nowhere.
					expect(await storage.getWorkshopLinks('w-1')).toEqual(linksFor('w-1'));
					for (const key of ['joinCode', 'inviteToken', 'observerToken'] as const) {
						if (key === taken) continue;
						const found =
							key === 'joinCode'
								? await storage.findWorkshopByJoinCode(links[key])
								: await storage.findWorkshopByLinkToken(links[key]);
						expect(found).toBeNull();
					}
				}
			);

			it('createWorkshop without links makes a workshop with none', async () => {
				await addWorkshop(storage, 'w-1', { links: null });
				expect(await storage.getWorkshop('w-1')).not.toBeNull();
				expect(await storage.getWorkshopLinks('w-1')).toBeNull();
				expect(await storage.listMembers('w-1')).toEqual([]);
			});

			it('getWorkshop resolves null for an unknown workshop', async () => {
				expect(await storage.getWorkshop('w-unknown')).toBeNull();
			});

			it('updateWorkshopDetails changes title, date, place, language and issue, stamped; false, creating nothing, for an unknown workshop', async () => {
				await addUser(storage, 'u-owner');
				await addWorkshop(storage, 'w-1', { ownerId: 'u-owner' });
				const details = {
					title: 'Forum de Kayes (2e édition)',
					date: '2026-04-02',
					place: 'Kayes',
					language: 'en' as const,
					issue: 'Water access'
				};
				expect(await storage.updateWorkshopDetails('w-1', details, T0 + 100)).toBe(true);
				expect(await storage.getWorkshop('w-1')).toEqual({
					id: 'w-1',
					createdAt: T0,
					ownerId: 'u-owner',
					...details,
					detailsChangedAt: T0 + 100
				});
				expect(await storage.updateWorkshopDetails('w-unknown', details, T0 + 100)).toBe(false);
				expect(await storage.getWorkshop('w-unknown')).toBeNull();
				// And back to no date.
				expect(
					await storage.updateWorkshopDetails('w-1', { ...details, date: null }, T0 + 200)
				).toBe(true);
				expect(await storage.getWorkshop('w-1')).toMatchObject({
					date: null,
					detailsChangedAt: T0 + 200
				});
			});

			it('updateWorkshopDetails keeps the stamp when the save changes nothing, and moves it for any one detail', async () => {
				await addWorkshop(storage, 'w-1', { title: 'Forum de Kayes' });
				const same = {
					title: 'Forum de Kayes',
					date: null,
					place: '',
					language: 'fr' as const,
					issue: ''
				};
				expect(await storage.updateWorkshopDetails('w-1', same, T0 + 100)).toBe(true);
				expect((await storage.getWorkshop('w-1'))?.detailsChangedAt).toBeNull();
				const changes = [
					{ title: 'Forum de Kayes, 2e édition' },
					{ date: '2026-04-02' },
					{ place: 'Kayes' },
					{ language: 'en' as const },
					{ issue: 'L’eau' }
				];
				let at = T0 + 200;
				for (const change of changes) {
					at += 100;
					expect(await storage.updateWorkshopDetails('w-1', { ...same, ...change }, at)).toBe(true);
					expect((await storage.getWorkshop('w-1'))?.detailsChangedAt).toBe(at);
					expect(await storage.updateWorkshopDetails('w-1', { ...same, ...change }, at + 50)).toBe(
						true
					);
					expect((await storage.getWorkshop('w-1'))?.detailsChangedAt).toBe(at);
					at += 100;
					expect(await storage.updateWorkshopDetails('w-1', same, at)).toBe(true);
					expect((await storage.getWorkshop('w-1'))?.detailsChangedAt).toBe(at);
				}
			});

			it('listWorkshops lists the newest first, up to the limit', async () => {
				await addWorkshop(storage, 'w-a', { createdAt: T0 });
				await addWorkshop(storage, 'w-b', { createdAt: T0 + 2000 });
				await addWorkshop(storage, 'w-c', { createdAt: T0 + 1000 });
				await addWorkshop(storage, 'w-d', { createdAt: T0 + 3000 });
				const ids = async (limit: number) =>
					(await storage.listWorkshops(limit)).map((workshop) => workshop.id);
				expect(await ids(10)).toEqual(['w-d', 'w-b', 'w-c', 'w-a']);
				expect(await ids(2)).toEqual(['w-d', 'w-b']);
				expect((await storage.listWorkshops(1))[0]).toEqual(await storage.getWorkshop('w-d'));
			});

			it('listWorkshops with an owner lists only the workshops that user owns, newest first', async () => {
				await addUser(storage, 'u-1');
				await addUser(storage, 'u-2');
				await addWorkshop(storage, 'w-a', { ownerId: 'u-1', createdAt: T0 });
				await addWorkshop(storage, 'w-b', { ownerId: 'u-2', createdAt: T0 + 2000 });
				await addWorkshop(storage, 'w-c', { ownerId: 'u-1', createdAt: T0 + 1000 });
				await addWorkshop(storage, 'w-d', { ownerId: null, createdAt: T0 + 3000 });
				const ids = async (limit: number, owner: string) =>
					(await storage.listWorkshops(limit, owner)).map((workshop) => workshop.id);
				expect(await ids(10, 'u-1')).toEqual(['w-c', 'w-a']);
				expect(await ids(1, 'u-1')).toEqual(['w-c']);
				expect(await ids(10, 'u-2')).toEqual(['w-b']);
				expect(await ids(10, 'u-nobody')).toEqual([]);
			});
		});

		describe('users', () => {
			it('createUser stores a facilitator, found by id and by login as stored', async () => {
				const user = await addUser(storage, 'u-1', {
					login: 'amina.traore',
					displayName: 'Amina Traoré'
				});
				expect(await storage.getUser('u-1')).toEqual(user);
				expect(await storage.getUserByLogin('amina.traore')).toEqual(user);
				expect(await storage.getUserByLogin('inconnue')).toBeNull();
				expect(await storage.getUser('u-unknown')).toBeNull();
			});

			it('a user created without kind or display name is a facilitator with none', async () => {
				expect(
					await storage.createUser({
						id: 'u-1',
						login: 'moussa',
						passwordHash: 'hash',
						createdAt: T0
					})
				).toBe(true);
				expect(await storage.getUser('u-1')).toEqual({
					id: 'u-1',
					kind: 'facilitator',
					login: 'moussa',
					displayName: null,
					passwordHash: 'hash',
					createdAt: T0
				});
			});

			it('createUser resolves false and writes nothing when the login is taken', async () => {
				const first = await addUser(storage, 'u-1', { login: 'amina' });
				expect(
					await storage.createUser({
						id: 'u-2',
						login: 'amina',
						passwordHash: 'other',
						createdAt: T0 + 1,
						displayName: 'Une autre'
					})
				).toBe(false);
				expect(await storage.getUser('u-2')).toBeNull();
				expect(await storage.getUserByLogin('amina')).toEqual(first);
			});

			it('a guest keeps its kind', async () => {
				const guest = await addGuest(storage, 'g-1');
				expect(await storage.getUser('g-1')).toEqual(guest);
				expect((await storage.getUserByLogin('guest:g-1'))?.kind).toBe('guest');
			});
		});

		describe('sessions', () => {
			beforeEach(async () => {
				await addUser(storage, 'u-1');
				await addUser(storage, 'u-2');
			});

			it('createSession stores the session, getSession finds it (null for an unknown id)', async () => {
				const stored = session('s-1', 'u-1', T0, T0 + 5);
				await storage.createSession(stored);
				const found = await storage.getSession('s-1');
				expect(found && { ...found, secretHash: Buffer.from(found.secretHash) }).toEqual({
					...stored,
					secretHash: Buffer.from(stored.secretHash)
				});
				expect(await storage.getSession('s-unknown')).toBeNull();
			});

			it('touchSession moves that session’s last use only', async () => {
				await storage.createSession(session('s-1', 'u-1', T0, T0));
				await storage.createSession(session('s-2', 'u-1', T0, T0));
				await storage.touchSession('s-1', T0 + 60_000);
				expect((await storage.getSession('s-1'))?.lastVerifiedAt).toBe(T0 + 60_000);
				expect((await storage.getSession('s-1'))?.createdAt).toBe(T0);
				expect((await storage.getSession('s-2'))?.lastVerifiedAt).toBe(T0);
			});

			it('deleteSession deletes that session only', async () => {
				await storage.createSession(session('s-1', 'u-1', T0, T0));
				await storage.createSession(session('s-2', 'u-1', T0, T0));
				await storage.deleteSession('s-1');
				expect(await storage.getSession('s-1')).toBeNull();
				expect(await storage.getSession('s-2')).not.toBeNull();
			});

			it('deleteUserSessions deletes every session of that user and no other’s', async () => {
				await storage.createSession(session('s-1', 'u-1', T0, T0));
				await storage.createSession(session('s-2', 'u-1', T0, T0));
				await storage.createSession(session('s-3', 'u-2', T0, T0));
				await storage.deleteUserSessions('u-1');
				expect(await storage.getSession('s-1')).toBeNull();
				expect(await storage.getSession('s-2')).toBeNull();
				expect(await storage.getSession('s-3')).not.toBeNull();
			});

			it('setUserPassword sets the hash and keeps only the session it is told to keep', async () => {
				await storage.createSession(session('s-1', 'u-1', T0, T0));
				await storage.createSession(session('s-2', 'u-1', T0, T0));
				await storage.createSession(session('s-3', 'u-1', T0, T0));
				await storage.createSession(session('s-other', 'u-2', T0, T0));
				await storage.setUserPassword('u-1', 'new-hash', 's-2');
				expect((await storage.getUser('u-1'))?.passwordHash).toBe('new-hash');
				expect(await storage.getSession('s-1')).toBeNull();
				expect(await storage.getSession('s-2')).not.toBeNull();
				expect(await storage.getSession('s-3')).toBeNull();
				expect(await storage.getSession('s-other')).not.toBeNull();
				expect((await storage.getUser('u-2'))?.passwordHash).not.toBe('new-hash');
			});

			it('setUserPassword with no session to keep deletes all the user’s sessions', async () => {
				await storage.createSession(session('s-1', 'u-1', T0, T0));
				await storage.createSession(session('s-2', 'u-1', T0, T0));
				await storage.setUserPassword('u-1', 'new-hash', null);
				expect((await storage.getUser('u-1'))?.passwordHash).toBe('new-hash');
				expect(await storage.getSession('s-1')).toBeNull();
				expect(await storage.getSession('s-2')).toBeNull();
			});

			describe('deleteExpiredSessions', () => {
				// Facilitators: last used before T0+500 or created before T0+100. Guests: last used
				// before T0+200, however old.
				const LAST_USED_BEFORE = T0 + 500;
				const CREATED_BEFORE = T0 + 100;
				const GUEST_LAST_USED_BEFORE = T0 + 200;

				beforeEach(async () => {
					await addGuest(storage, 'g-1');
					await storage.createSession(session('f-active', 'u-1', T0 + 300, T0 + 900));
					await storage.createSession(session('f-idle', 'u-1', T0 + 300, T0 + 400));
					await storage.createSession(session('f-ancient', 'u-2', T0 + 50, T0 + 900));
					await storage.createSession(session('g-idle', 'g-1', T0 + 300, T0 + 150));
					// Idle for a facilitator, old for a facilitator: neither counts for a guest.
					await storage.createSession(session('g-used', 'g-1', T0 + 50, T0 + 400));
					await storage.deleteExpiredSessions(
						LAST_USED_BEFORE,
						CREATED_BEFORE,
						GUEST_LAST_USED_BEFORE
					);
				});

				it('deletes facilitators’ sessions last used before `lastUsedBefore`', async () => {
					expect(await storage.getSession('f-idle')).toBeNull();
					expect(await storage.getSession('f-active')).not.toBeNull();
				});

				it('deletes facilitators’ sessions created before `createdBefore`, however recently used', async () => {
					expect(await storage.getSession('f-ancient')).toBeNull();
					expect(await storage.getSession('f-active')).not.toBeNull();
				});

				it('deletes guests’ sessions by `guestLastUsedBefore` alone', async () => {
					expect(await storage.getSession('g-idle')).toBeNull();
					expect(await storage.getSession('g-used')).not.toBeNull();
				});

				it('includes the bounds themselves, on both engines', async () => {
					await storage.createSession(session('f-at-bound', 'u-1', T0 + 300, LAST_USED_BEFORE));
					await storage.createSession(session('f-after', 'u-1', T0 + 300, LAST_USED_BEFORE + 1));
					await storage.createSession(
						session('g-at-bound', 'g-1', T0 + 300, GUEST_LAST_USED_BEFORE)
					);
					await storage.deleteExpiredSessions(
						LAST_USED_BEFORE,
						CREATED_BEFORE,
						GUEST_LAST_USED_BEFORE
					);
					expect(await storage.getSession('f-at-bound')).toBeNull();
					expect(await storage.getSession('g-at-bound')).toBeNull();
					expect(await storage.getSession('f-after')).not.toBeNull();
				});
			});
		});

		describe('links', () => {
			it('setWorkshopLinks gives a workshop made before links its links, found by code and tokens', async () => {
				await addWorkshop(storage, 'w-1', { links: null });
				expect(await storage.setWorkshopLinks('w-1', linksFor('1'))).toBe(true);
				expect(await storage.getWorkshopLinks('w-1')).toEqual(linksFor('1'));
				expect(await storage.findWorkshopByJoinCode('CODE-1')).toEqual({ workshopId: 'w-1' });
				expect(await storage.findWorkshopByLinkToken('invite-1')).toEqual({
					workshopId: 'w-1',
					role: 'participant'
				});
			});

			it.each(['joinCode', 'inviteToken'] as const)(
				'setWorkshopLinks resolves false, writing nothing, when the %s is taken by another workshop',
				async (taken) => {
					await addWorkshop(storage, 'w-1');
					await addWorkshop(storage, 'w-2', { links: null });
					const links = { ...linksFor('2'), [taken]: linksFor('w-1')[taken] };
					expect(await storage.setWorkshopLinks('w-2', links)).toBe(false);
					expect(await storage.getWorkshopLinks('w-2')).toBeNull();
					expect(await storage.getWorkshopLinks('w-1')).toEqual(linksFor('w-1'));
					expect(await storage.findWorkshopByLinkToken(links.observerToken)).toBeNull();
				}
			);

			it('setWorkshopLinks resolves false, changing nothing, when the workshop has links already', async () => {
				await addWorkshop(storage, 'w-1');
				expect(await storage.setWorkshopLinks('w-1', linksFor('again'))).toBe(false);
				expect(await storage.getWorkshopLinks('w-1')).toEqual(linksFor('w-1'));
				expect(await storage.findWorkshopByJoinCode('CODE-again')).toBeNull();
			});

			it('findWorkshopByLinkToken tells the invite (participant) from the observer link; unknown codes and tokens find nothing', async () => {
				await addWorkshop(storage, 'w-1');
				await addWorkshop(storage, 'w-2');
				expect(await storage.findWorkshopByLinkToken('invite-w-2')).toEqual({
					workshopId: 'w-2',
					role: 'participant'
				});
				expect(await storage.findWorkshopByLinkToken('observer-w-2')).toEqual({
					workshopId: 'w-2',
					role: 'observer'
				});
				expect(await storage.findWorkshopByJoinCode('CODE-w-1')).toEqual({ workshopId: 'w-1' });
				expect(await storage.findWorkshopByLinkToken('invite-nowhere')).toBeNull();
				expect(await storage.findWorkshopByJoinCode('CODE-nowhere')).toBeNull();
				// A code is not a token, nor a token a code.
				expect(await storage.findWorkshopByLinkToken('CODE-w-1')).toBeNull();
				expect(await storage.findWorkshopByJoinCode('invite-w-1')).toBeNull();
			});

			describe('replaceWorkshopLinks', () => {
				beforeEach(async () => {
					await addUser(storage, 'u-fac');
					await addWorkshop(storage, 'w-1', {
						ownerId: 'u-fac',
						links: linksFor('old'),
						creator: membership('w-1', 'u-fac', { role: 'facilitator', grantedBy: 'creator' })
					});
					await addMember(storage, 'w-1', 'p-code', { grantedBy: 'join-code', joinedAt: T0 + 1 });
					await addMember(storage, 'w-1', 'p-invite', {
						grantedBy: 'invite-link',
						joinedAt: T0 + 2
					});
					await addMember(storage, 'w-1', 'o-observer', {
						role: 'observer',
						grantedBy: 'observer-link',
						joinedAt: T0 + 3
					});
					// Came in by the invite link, then made facilitator: a revocation does not end them.
					await addMember(storage, 'w-1', 'f-invited', {
						role: 'facilitator',
						grantedBy: 'invite-link',
						joinedAt: T0 + 4
					});
					await addMember(storage, 'w-1', 'p-added', { grantedBy: 'added', joinedAt: T0 + 5 });
				});

				it('replaces the links and ends only the non-facilitator memberships of the grants given, resolving their users', async () => {
					const ended = await storage.replaceWorkshopLinks('w-1', linksFor('new'), [
						'invite-link',
						'observer-link'
					]);
					expect(ended).not.toBeNull();
					expectSameElements(ended!, ['p-invite', 'o-observer']);
					expect((await storage.listMembers('w-1')).map((member) => member.userId)).toEqual([
						'u-fac',
						'p-code',
						'f-invited',
						'p-added'
					]);
					expect(await storage.getWorkshopLinks('w-1')).toEqual(linksFor('new'));
					expect(await storage.findWorkshopByJoinCode('CODE-old')).toBeNull();
					expect(await storage.findWorkshopByLinkToken('invite-old')).toBeNull();
					expect(await storage.findWorkshopByLinkToken('observer-old')).toBeNull();
					expect(await storage.findWorkshopByJoinCode('CODE-new')).toEqual({ workshopId: 'w-1' });
					expect(await storage.findWorkshopByLinkToken('observer-new')).toEqual({
						workshopId: 'w-1',
						role: 'observer'
					});
				});

				it('with no grants to end, replaces the links and ends no membership', async () => {
					expect(await storage.replaceWorkshopLinks('w-1', linksFor('new'), [])).toEqual([]);
					expect(await storage.listMembers('w-1')).toHaveLength(6);
					expect(await storage.getWorkshopLinks('w-1')).toEqual(linksFor('new'));
				});

				it.each(['joinCode', 'observerToken'] as const)(
					'resolves null, writing nothing, when the new %s is taken by another workshop',
					async (taken) => {
						await addWorkshop(storage, 'w-2');
						const links = { ...linksFor('new'), [taken]: linksFor('w-2')[taken] };
						expect(
							await storage.replaceWorkshopLinks('w-1', links, ['invite-link', 'observer-link'])
						).toBeNull();
						expect(await storage.getWorkshopLinks('w-1')).toEqual(linksFor('old'));
						expect(await storage.getWorkshopLinks('w-2')).toEqual(linksFor('w-2'));
						expect(await storage.listMembers('w-1')).toHaveLength(6);
						expect(await storage.getMembership('w-1', 'p-invite')).not.toBeNull();
					}
				);
			});
		});

		describe('memberships', () => {
			beforeEach(async () => {
				await addWorkshop(storage, 'w-1');
			});

			it('upsertMembership adds the member with the organisation, created when new', async () => {
				const added = await addMember(storage, 'w-1', 'u-1', {
					name: 'Awa',
					organisation: 'CARE Mali',
					grantedBy: 'invite-link',
					joinedAt: T0 + 7
				});
				const [organisation] = await storage.listOrganisations('w-1');
				expect(organisation).toEqual({
					id: expect.any(String),
					workshopId: 'w-1',
					name: 'CARE Mali',
					createdAt: expect.any(Number),
					delegateUserId: null
				});
				const expected = {
					workshopId: 'w-1',
					userId: 'u-1',
					role: 'participant',
					name: 'Awa',
					organisationId: organisation.id,
					organisation: 'CARE Mali',
					grantedBy: 'invite-link',
					joinedAt: T0 + 7
				};
				expect(added).toEqual(expected);
				expect(await storage.getMembership('w-1', 'u-1')).toEqual(expected);
				expect(await storage.getMembership('w-1', 'u-nobody')).toBeNull();
			});

			it('upsertMembership of a member updates name and organisation, never the role', async () => {
				await addMember(storage, 'w-1', 'u-1', {
					role: 'observer',
					name: 'Awa',
					organisation: 'CARE Mali',
					grantedBy: 'observer-link',
					joinedAt: T0
				});
				const again = await storage.upsertMembership(
					membership('w-1', 'u-1', {
						role: 'facilitator',
						name: 'Awa Diarra',
						organisation: 'Oxfam',
						grantedBy: 'invite-link',
						joinedAt: T0 + 99
					})
				);
				expect(again).toMatchObject({
					role: 'observer',
					name: 'Awa Diarra',
					organisation: 'Oxfam',
					joinedAt: T0
				});
				expect(await storage.getMembership('w-1', 'u-1')).toEqual(again);
				expect(await storage.listMembers('w-1')).toHaveLength(1);
			});

			it('a member without an organisation has none', async () => {
				const added = await addMember(storage, 'w-1', 'u-1', { organisation: null });
				expect(added.organisationId).toBeNull();
				expect(added.organisation).toBeNull();
				expect(await storage.listOrganisations('w-1')).toEqual([]);
			});

			it('updateMembership changes what it is given and keeps the rest; null for a non-member', async () => {
				await addMember(storage, 'w-1', 'u-1', {
					name: 'Awa',
					organisation: 'CARE Mali',
					grantedBy: 'invite-link'
				});
				const promoted = await storage.updateMembership('w-1', 'u-1', { role: 'facilitator' });
				expect(promoted).toMatchObject({
					role: 'facilitator',
					name: 'Awa',
					organisation: 'CARE Mali',
					grantedBy: 'invite-link'
				});
				const moved = await storage.updateMembership('w-1', 'u-1', {
					name: 'Awa D.',
					organisation: 'Oxfam'
				});
				expect(moved).toMatchObject({ role: 'facilitator', name: 'Awa D.', organisation: 'Oxfam' });
				const oxfam = (await storage.listOrganisations('w-1')).find((o) => o.name === 'Oxfam');
				expect(moved?.organisationId).toBe(oxfam?.id);
				const cleared = await storage.updateMembership('w-1', 'u-1', { organisation: null });
				expect(cleared).toMatchObject({ organisationId: null, organisation: null });
				expect(await storage.getMembership('w-1', 'u-1')).toEqual(cleared);
				expect(await storage.updateMembership('w-1', 'u-nobody', { name: 'X' })).toBeNull();
				expect(await storage.getMembership('w-1', 'u-nobody')).toBeNull();
			});

			it('deleteMembership resolves true when it removed the membership, false when there was none', async () => {
				await addMember(storage, 'w-1', 'u-1');
				await addMember(storage, 'w-1', 'u-2');
				expect(await storage.deleteMembership('w-1', 'u-1')).toBe(true);
				expect(await storage.getMembership('w-1', 'u-1')).toBeNull();
				expect(await storage.deleteMembership('w-1', 'u-1')).toBe(false);
				expect(await storage.deleteMembership('w-unknown', 'u-2')).toBe(false);
				expect((await storage.listMembers('w-1')).map((member) => member.userId)).toEqual(['u-2']);
			});

			it('deleteMembership removes a device-less guest left with nothing, and no other user', async () => {
				await addWorkshop(storage, 'w-2');
				await addMember(storage, 'w-1', 'g-offline', { grantedBy: 'added' });
				await addMember(storage, 'w-1', 'g-device');
				await storage.createSession(session('s-device', 'g-device', T0, T0));
				await addMember(storage, 'w-1', 'g-both');
				await addMember(storage, 'w-2', 'g-both');
				await addUser(storage, 'u-fac');
				await storage.upsertMembership(membership('w-1', 'u-fac', { role: 'facilitator' }));
				for (const userId of ['g-offline', 'g-device', 'g-both', 'u-fac'])
					expect(await storage.deleteMembership('w-1', userId)).toBe(true);
				expect(await storage.getUser('g-offline')).toBeNull();
				expect(await storage.getUser('g-device')).not.toBeNull();
				expect(await storage.getUser('g-both')).not.toBeNull();
				expect(await storage.getUser('u-fac')).not.toBeNull();
			});

			it('listMembers lists the members in the order they joined', async () => {
				await addMember(storage, 'w-1', 'u-late', { joinedAt: T0 + 30 });
				await addMember(storage, 'w-1', 'u-first', { joinedAt: T0 + 10 });
				await addMember(storage, 'w-1', 'u-same-1', { joinedAt: T0 + 20 });
				await addMember(storage, 'w-1', 'u-same-2', { joinedAt: T0 + 20 });
				// Renaming a member does not make them join again.
				await storage.upsertMembership(
					membership('w-1', 'u-first', { name: 'Renommée', joinedAt: T0 + 40 })
				);
				expect((await storage.listMembers('w-1')).map((member) => member.userId)).toEqual([
					'u-first',
					'u-same-1',
					'u-same-2',
					'u-late'
				]);
				expect(await storage.listMembers('w-unknown')).toEqual([]);
			});

			it('listMemberships lists the user’s memberships, newest workshop first, with title and date', async () => {
				await addWorkshop(storage, 'w-old', {
					createdAt: T0 - 5000,
					title: 'Ancien forum',
					details: { date: '2025-12-01' }
				});
				await addWorkshop(storage, 'w-new', { createdAt: T0 + 5000, title: 'Nouveau forum' });
				await addMember(storage, 'w-old', 'u-1', { organisation: 'CARE Mali', name: 'Awa' });
				await addMember(storage, 'w-new', 'u-1', { role: 'observer', name: 'Awa D.' });
				await addMember(storage, 'w-1', 'u-1', { name: 'A.' });
				await addMember(storage, 'w-1', 'u-2');
				const listed = await storage.listMemberships('u-1');
				expect(
					listed.map((entry) => [entry.workshopId, entry.workshopTitle, entry.workshopDate])
				).toEqual([
					['w-new', 'Nouveau forum', null],
					['w-1', 'Forum w-1', null],
					['w-old', 'Ancien forum', '2025-12-01']
				]);
				expect(listed[0]).toEqual({
					...(await storage.getMembership('w-new', 'u-1')),
					workshopTitle: 'Nouveau forum',
					workshopDate: null
				});
				expect(listed[2]).toMatchObject({ organisation: 'CARE Mali', name: 'Awa' });
				expect(await storage.listMemberships('u-nobody')).toEqual([]);
			});
		});

		describe('organisations', () => {
			beforeEach(async () => {
				await addWorkshop(storage, 'w-1');
			});

			it('“ÉCOLE DU FLEUVE” and “école du fleuve” are one organisation (case aside beyond ASCII)', async () => {
				const first = await addMember(storage, 'w-1', 'u-1', { organisation: 'ÉCOLE DU FLEUVE' });
				const second = await addMember(storage, 'w-1', 'u-2', { organisation: 'école du fleuve' });
				const third = await storage.updateMembership('w-1', 'u-1', {
					organisation: 'École Du Fleuve'
				});
				expect(second.organisationId).toBe(first.organisationId);
				expect(third?.organisationId).toBe(first.organisationId);
				// The organisation keeps the name it was created with.
				expect(second.organisation).toBe('ÉCOLE DU FLEUVE');
				expect((await storage.listOrganisations('w-1')).map((o) => o.name)).toEqual([
					'ÉCOLE DU FLEUVE'
				]);
			});

			it('“Mali Eau” and “MALI EAU” are one organisation', async () => {
				const first = await addMember(storage, 'w-1', 'u-1', { organisation: 'Mali Eau' });
				const second = await addMember(storage, 'w-1', 'u-2', { organisation: 'MALI EAU' });
				expect(second.organisationId).toBe(first.organisationId);
				expect(await storage.listOrganisations('w-1')).toHaveLength(1);
			});

			it('an organisation is found by its folded name: accents, spacing and punctuation aside', async () => {
				const first = await addMember(storage, 'w-1', 'u-1', { organisation: 'École du Fleuve' });
				for (const [userId, name] of [
					['u-2', 'Ecole du fleuve'],
					['u-3', 'école-du-fleuve'],
					['u-4', '  ECOLE  DU FLEUVE. ']
				]) {
					const member = await addMember(storage, 'w-1', userId, { organisation: name });
					expect(member.organisationId, name).toBe(first.organisationId);
				}
				expect(await storage.listOrganisations('w-1')).toHaveLength(1);
			});

			it('the same name in two workshops is two organisations', async () => {
				await addWorkshop(storage, 'w-2');
				const here = await addMember(storage, 'w-1', 'u-1', { organisation: 'CARE Mali' });
				const there = await addMember(storage, 'w-2', 'u-1', { organisation: 'care mali' });
				expect(there.organisationId).not.toBe(here.organisationId);
				expect((await storage.listOrganisations('w-2')).map((o) => [o.name, o.workshopId])).toEqual(
					[['care mali', 'w-2']]
				);
			});

			it('listOrganisations orders by name, accents and case aside: agriculture, eau, Éducation, Zébu', async () => {
				let joined = 0;
				for (const name of ['Éducation', 'eau', 'Zébu', 'agriculture']) {
					await addMember(storage, 'w-1', `u-${++joined}`, {
						organisation: name,
						joinedAt: T0 + joined
					});
				}
				const organisations = await storage.listOrganisations('w-1');
				expect(organisations.map((o) => o.name)).toEqual([
					'agriculture',
					'eau',
					'Éducation',
					'Zébu'
				]);
				for (const organisation of organisations) {
					expect(organisation).toMatchObject({ workshopId: 'w-1', delegateUserId: null });
				}
				expect(await storage.listOrganisations('w-unknown')).toEqual([]);
			});

			it('mergeOrganisations moves every member of the merged organisation to the kept one and deletes it', async () => {
				const a = await addMember(storage, 'w-1', 'u-1', { organisation: 'CARE Mali' });
				await addMember(storage, 'w-1', 'u-2', { organisation: 'CARE Mali' });
				const b = await addMember(storage, 'w-1', 'u-3', { organisation: 'CARE Internationale' });
				await addMember(storage, 'w-1', 'u-4', { organisation: 'CARE Internationale' });
				await addMember(storage, 'w-1', 'u-5', { organisation: 'Oxfam' });
				expect(await storage.mergeOrganisations('w-1', a.organisationId!, b.organisationId!)).toBe(
					true
				);
				expect((await storage.listOrganisations('w-1')).map((o) => o.name)).toEqual([
					'CARE Mali',
					'Oxfam'
				]);
				const members = await storage.listMembers('w-1');
				expect(members.map((member) => [member.userId, member.organisation])).toEqual([
					['u-1', 'CARE Mali'],
					['u-2', 'CARE Mali'],
					['u-3', 'CARE Mali'],
					['u-4', 'CARE Mali'],
					['u-5', 'Oxfam']
				]);
				expect(members[3].organisationId).toBe(a.organisationId);
			});

			it('mergeOrganisations resolves false, changing nothing, for one organisation twice, an unknown one or another workshop’s', async () => {
				await addWorkshop(storage, 'w-2');
				const a = await addMember(storage, 'w-1', 'u-1', { organisation: 'CARE Mali' });
				const b = await addMember(storage, 'w-1', 'u-2', { organisation: 'Oxfam' });
				const elsewhere = await addMember(storage, 'w-2', 'u-3', { organisation: 'Oxfam' });
				const before = {
					one: await storage.listOrganisations('w-1'),
					two: await storage.listOrganisations('w-2'),
					members: await storage.listMembers('w-1')
				};
				const kept = a.organisationId!;
				expect(await storage.mergeOrganisations('w-1', kept, kept)).toBe(false);
				expect(await storage.mergeOrganisations('w-1', kept, 'org-unknown')).toBe(false);
				expect(await storage.mergeOrganisations('w-1', 'org-unknown', kept)).toBe(false);
				expect(await storage.mergeOrganisations('w-1', kept, elsewhere.organisationId!)).toBe(
					false
				);
				expect(
					await storage.mergeOrganisations('w-2', elsewhere.organisationId!, b.organisationId!)
				).toBe(false);
				expect({
					one: await storage.listOrganisations('w-1'),
					two: await storage.listOrganisations('w-2'),
					members: await storage.listMembers('w-1')
				}).toEqual(before);
				expect((await storage.getMembership('w-2', 'u-3'))?.organisation).toBe('Oxfam');
			});

			it('setOrganisationDelegate designates a delegate, and null goes back to the default', async () => {
				const member = await addMember(storage, 'w-1', 'u-1', { organisation: 'CARE Mali' });
				await addMember(storage, 'w-1', 'u-2', { organisation: 'CARE Mali' });
				const id = member.organisationId!;
				expect(await storage.setOrganisationDelegate('w-1', id, 'u-2')).toBe(true);
				expect((await storage.listOrganisations('w-1'))[0].delegateUserId).toBe('u-2');
				expect(await storage.setOrganisationDelegate('w-1', id, null)).toBe(true);
				expect((await storage.listOrganisations('w-1'))[0].delegateUserId).toBeNull();
			});

			it('setOrganisationDelegate resolves false for an unknown organisation, or another workshop’s', async () => {
				await addWorkshop(storage, 'w-2');
				const elsewhere = await addMember(storage, 'w-2', 'u-1', { organisation: 'CARE Mali' });
				expect(await storage.setOrganisationDelegate('w-1', 'org-unknown', 'u-1')).toBe(false);
				expect(await storage.setOrganisationDelegate('w-1', elsewhere.organisationId!, 'u-1')).toBe(
					false
				);
				expect((await storage.listOrganisations('w-2'))[0].delegateUserId).toBeNull();
			});
		});

		it('checkWritable resolves true on a storage that can commit', async () => {
			expect(await storage.checkWritable()).toBe(true);
		});

		describe('command results', () => {
			beforeEach(async () => {
				await addWorkshop(storage, 'w-1');
				await addWorkshop(storage, 'w-2');
			});

			it('save stores a result that get finds by session and key (null otherwise)', async () => {
				const saved = commandResult({ scope: 'round:r-1' });
				expect(await storage.commandResults.save(saved)).toBe(true);
				expect(await storage.commandResults.get('s-1', 'key-1')).toEqual(saved);
				expect(await storage.commandResults.get('s-1', 'key-other')).toBeNull();
				expect(await storage.commandResults.get('s-other', 'key-1')).toBeNull();
			});

			it('save resolves false, keeping the first result, for a (session, key) already stored; another session’s key is its own', async () => {
				const first = commandResult();
				expect(await storage.commandResults.save(first)).toBe(true);
				const retry = commandResult({ result: '{"ok":false}', payloadHash: 'b'.repeat(64) });
				expect(await storage.commandResults.save(retry)).toBe(false);
				expect(await storage.commandResults.get('s-1', 'key-1')).toEqual(first);
				const other = commandResult({ sessionId: 's-2', result: '{"other":true}' });
				expect(await storage.commandResults.save(other)).toBe(true);
				expect(await storage.commandResults.get('s-2', 'key-1')).toEqual(other);
			});

			it('deleteScope forgets that scope of that workshop only', async () => {
				const results = [
					commandResult({ key: 'k-1', scope: 'round:r-1' }),
					commandResult({ key: 'k-2', scope: 'round:r-1' }),
					commandResult({ key: 'k-3', scope: 'round:r-2' }),
					commandResult({ key: 'k-4', scope: null }),
					commandResult({ key: 'k-5', scope: 'round:r-1', workshopId: 'w-2' })
				];
				for (const result of results) expect(await storage.commandResults.save(result)).toBe(true);
				await storage.commandResults.deleteScope('w-1', 'round:r-1');
				expect(await storage.commandResults.get('s-1', 'k-1')).toBeNull();
				expect(await storage.commandResults.get('s-1', 'k-2')).toBeNull();
				expect(await storage.commandResults.get('s-1', 'k-3')).toEqual(results[2]);
				expect(await storage.commandResults.get('s-1', 'k-4')).toEqual(results[3]);
				expect(await storage.commandResults.get('s-1', 'k-5')).toEqual(results[4]);
			});
		});

		describe('scores and placements', () => {
			beforeEach(async () => {
				await addWorkshop(storage, 'w-1');
				await addWorkshop(storage, 'w-2');
			});

			it('scores.set sets some criteria and clears others, leaving the rest as they were', async () => {
				const key = { workshopId: 'w-1', candidateId: 'c-1', userId: 'u-1' };
				await storage.scores.set({
					...key,
					scores: { impact: 4, feasibility: 2, cost: 3 },
					enteredBy: 'u-1',
					at: T0
				});
				await storage.scores.set({
					...key,
					scores: { feasibility: null, urgency: 5, cost: 1 },
					enteredBy: 'u-fac',
					at: T0 + 10
				});
				expectSameElements(
					await storage.scores.list('w-1'),
					[
						{ ...key, criterion: 'impact', score: 4, enteredBy: 'u-1', updatedAt: T0 },
						{ ...key, criterion: 'cost', score: 1, enteredBy: 'u-fac', updatedAt: T0 + 10 },
						{ ...key, criterion: 'urgency', score: 5, enteredBy: 'u-fac', updatedAt: T0 + 10 }
					].map(({ workshopId: _w, ...score }) => score)
				);
				expect(await storage.scores.list('w-2')).toEqual([]);
			});

			it('scores.set writes all its criteria or none: one refused score leaves every score as it was', async () => {
				const key = { workshopId: 'w-1', candidateId: 'c-1', userId: 'u-1' };
				await storage.scores.set({ ...key, scores: { impact: 3 }, enteredBy: 'u-1', at: T0 });
				const before = await storage.scores.list('w-1');
				// 9 is out of the 1–5 range the database holds scores to.
				await expect(
					storage.scores.set({
						...key,
						scores: { impact: 5, feasibility: 9 },
						enteredBy: 'u-1',
						at: T0 + 1
					})
				).rejects.toThrow();
				expect(await storage.scores.list('w-1')).toEqual(before);
			});

			it('scores.listByUser lists that voter’s scores in that workshop only', async () => {
				for (const [workshopId, candidateId, userId] of [
					['w-1', 'c-1', 'u-1'],
					['w-1', 'c-2', 'u-1'],
					['w-1', 'c-1', 'u-2'],
					['w-2', 'c-1', 'u-1']
				]) {
					await storage.scores.set({
						workshopId,
						candidateId,
						userId,
						scores: { impact: 2 },
						enteredBy: userId,
						at: T0
					});
				}
				const mine = await storage.scores.listByUser('w-1', 'u-1');
				expectSameElements(
					mine.map((score) => [score.candidateId, score.userId]),
					[
						['c-1', 'u-1'],
						['c-2', 'u-1']
					]
				);
				expect(await storage.scores.list('w-1')).toHaveLength(3);
			});

			it('placements.set places, replaces and (null) clears one voter’s placement of an ally', async () => {
				const key = { workshopId: 'w-1', allyId: 'a-1', userId: 'u-1' };
				await storage.placements.set({
					...key,
					placement: { influence: 2, interest: 4 },
					enteredBy: 'u-1',
					at: T0
				});
				await storage.placements.set({
					...key,
					placement: { influence: 5, interest: 1 },
					enteredBy: 'u-fac',
					at: T0 + 5
				});
				await storage.placements.set({
					...key,
					userId: 'u-2',
					placement: { influence: 3, interest: 3 },
					enteredBy: 'u-2',
					at: T0 + 6
				});
				expectSameElements(await storage.placements.list('w-1'), [
					{
						allyId: 'a-1',
						userId: 'u-1',
						influence: 5,
						interest: 1,
						enteredBy: 'u-fac',
						updatedAt: T0 + 5
					},
					{
						allyId: 'a-1',
						userId: 'u-2',
						influence: 3,
						interest: 3,
						enteredBy: 'u-2',
						updatedAt: T0 + 6
					}
				]);
				await storage.placements.set({ ...key, placement: null, enteredBy: 'u-1', at: T0 + 7 });
				expect((await storage.placements.list('w-1')).map((p) => p.userId)).toEqual(['u-2']);
			});

			it('placements.listByUser lists that voter’s placements in that workshop only', async () => {
				for (const [workshopId, allyId, userId] of [
					['w-1', 'a-1', 'u-1'],
					['w-1', 'a-2', 'u-1'],
					['w-1', 'a-1', 'u-2'],
					['w-2', 'a-1', 'u-1']
				]) {
					await storage.placements.set({
						workshopId,
						allyId,
						userId,
						placement: { influence: 1, interest: 2 },
						enteredBy: userId,
						at: T0
					});
				}
				expectSameElements(
					(await storage.placements.listByUser('w-1', 'u-1')).map((p) => [p.allyId, p.userId]),
					[
						['a-1', 'u-1'],
						['a-2', 'u-1']
					]
				);
			});
		});

		describe('contacts', () => {
			beforeEach(async () => {
				await addWorkshop(storage, 'w-1');
				await addWorkshop(storage, 'w-2');
			});

			it('contacts.set stores and replaces an ally’s contact details; a blank text deletes them', async () => {
				const base = { workshopId: 'w-1', updatedBy: 'u-1' };
				await storage.contacts.set({ ...base, allyId: 'a-1', text: 'Tél. 1', updatedAt: T0 });
				await storage.contacts.set({ ...base, allyId: 'a-2', text: 'Tél. 2', updatedAt: T0 });
				await storage.contacts.set({
					...base,
					allyId: 'a-1',
					text: 'Tél. 1 bis',
					updatedBy: 'u-2',
					updatedAt: T0 + 1
				});
				expectSameElements(await storage.contacts.list('w-1'), [
					{ allyId: 'a-1', text: 'Tél. 1 bis', updatedBy: 'u-2', updatedAt: T0 + 1 },
					{ allyId: 'a-2', text: 'Tél. 2', updatedBy: 'u-1', updatedAt: T0 }
				]);
				await storage.contacts.set({ ...base, allyId: 'a-2', text: '  \n\t ', updatedAt: T0 + 2 });
				await storage.contacts.set({ ...base, allyId: 'a-3', text: '', updatedAt: T0 + 2 });
				expect((await storage.contacts.list('w-1')).map((c) => c.allyId)).toEqual(['a-1']);
				expect(await storage.contacts.list('w-2')).toEqual([]);
			});

			it('contacts.importLegacy adds the old document’s contacts and keeps any already stored', async () => {
				await storage.contacts.set({
					workshopId: 'w-1',
					allyId: 'a-1',
					text: 'Déjà là',
					updatedBy: 'u-1',
					updatedAt: T0
				});
				await storage.contacts.importLegacy(
					'w-1',
					new Map([
						['a-1', 'Ancienne copie'],
						['a-2', 'Du document']
					]),
					T0 + 100
				);
				expectSameElements(await storage.contacts.list('w-1'), [
					{ allyId: 'a-1', text: 'Déjà là', updatedBy: 'u-1', updatedAt: T0 },
					{ allyId: 'a-2', text: 'Du document', updatedBy: null, updatedAt: T0 + 100 }
				]);
				expect(await storage.contacts.list('w-2')).toEqual([]);
			});
		});

		describe('history', () => {
			beforeEach(async () => {
				await addWorkshop(storage, 'w-1');
				await addWorkshop(storage, 'w-2');
			});

			const entry = (at: number, kind: 'lock' | 'unlock' | 'archive', workshopId = 'w-1') => ({
				workshopId,
				kind,
				userId: 'u-fac',
				userName: 'Amina',
				reason: kind === 'unlock' ? 'Une clause à revoir' : null,
				at,
				charterVersion: kind === 'lock' ? 1 : 0,
				charter: { clauses: [`clause à ${at}`], signatories: ['CARE Mali'] },
				state: new Uint8Array([at % 256, 1, 2])
			});

			it('record writes an event and its version; listEvents and listVersions list them oldest first', async () => {
				const lock = await storage.history.record(entry(T0, 'lock'));
				const unlock = await storage.history.record(entry(T0 + 10, 'unlock'));
				await storage.history.record(entry(T0 + 5, 'archive', 'w-2'));
				expect(unlock.eventId).not.toBe(lock.eventId);
				const events = await storage.history.listEvents('w-1');
				expect(events).toEqual([
					{
						id: lock.eventId,
						uid: expect.any(String),
						workshopId: 'w-1',
						kind: 'lock',
						userId: 'u-fac',
						userName: 'Amina',
						reason: null,
						at: T0
					},
					{
						id: unlock.eventId,
						uid: expect.any(String),
						workshopId: 'w-1',
						kind: 'unlock',
						userId: 'u-fac',
						userName: 'Amina',
						reason: 'Une clause à revoir',
						at: T0 + 10
					}
				]);
				expect(events[0].uid).not.toBe(events[1].uid);
				const versions = await storage.history.listVersions('w-1');
				expect(
					versions.map((version) => ({ ...version, state: Buffer.from(version.state) }))
				).toEqual([
					{
						id: lock.versionId,
						workshopId: 'w-1',
						eventId: lock.eventId,
						charterVersion: 1,
						charter: entry(T0, 'lock').charter,
						state: Buffer.from(entry(T0, 'lock').state),
						createdAt: T0
					},
					{
						id: unlock.versionId,
						workshopId: 'w-1',
						eventId: unlock.eventId,
						charterVersion: 0,
						charter: entry(T0 + 10, 'unlock').charter,
						state: Buffer.from(entry(T0 + 10, 'unlock').state),
						createdAt: T0 + 10
					}
				]);
			});

			it('record keeps a step reached, the step as its reason, beside the other kinds; an unknown kind is refused and writes nothing', async () => {
				const step = await storage.history.record({
					...entry(T0, 'lock'),
					kind: 'step',
					reason: 'study'
				});
				await storage.history.record(entry(T0 + 10, 'lock'));
				const events = await storage.history.listEvents('w-1');
				expect(events.map((event) => [event.kind, event.reason])).toEqual([
					['step', 'study'],
					['lock', null]
				]);
				expect((await storage.history.getVersion('w-1', step.versionId))?.eventId).toBe(
					step.eventId
				);
				await expect(
					storage.history.record({
						...entry(T0 + 20, 'lock'),
						kind: 'reached' as unknown as 'lock'
					})
				).rejects.toThrow();
				expect(await storage.history.listEvents('w-1')).toHaveLength(2);
				expect(await storage.history.listVersions('w-1')).toHaveLength(2);
			});

			it('getVersion finds a version of that workshop only', async () => {
				const { versionId } = await storage.history.record(entry(T0, 'lock'));
				const version = await storage.history.getVersion('w-1', versionId);
				expect(version && Buffer.from(version.state)).toEqual(Buffer.from(entry(T0, 'lock').state));
				expect(version?.charter).toEqual(entry(T0, 'lock').charter);
				expect(await storage.history.getVersion('w-2', versionId)).toBeNull();
				expect(await storage.history.getVersion('w-1', versionId + 1000)).toBeNull();
			});

			const named = (name: string, createdAt: number, uid?: string) => ({
				workshopId: 'w-1',
				name,
				userId: 'u-fac',
				userName: 'Amina',
				charterVersion: 2,
				charter: { clauses: [name] },
				state: new Uint8Array([4, 5, 6]),
				createdAt,
				...(uid === undefined ? {} : { uid })
			});

			it('saveNamed stores a named version; listNamed lists them oldest first; getNamed finds one of that workshop', async () => {
				const later = await storage.history.saveNamed(named('Après la pause', T0 + 100));
				const earlier = await storage.history.saveNamed(named('Avant la pause', T0 + 50));
				expect(later).toEqual(expect.any(Number));
				expect(earlier).toEqual(expect.any(Number));
				const listed = await storage.history.listNamed('w-1');
				expect(listed.map((version) => [version.id, version.name])).toEqual([
					[earlier, 'Avant la pause'],
					[later, 'Après la pause']
				]);
				expect(listed[0].uid).not.toBe(listed[1].uid);
				const found = await storage.history.getNamed('w-1', later!);
				expect(found && { ...found, state: Buffer.from(found.state) }).toEqual({
					...named('Après la pause', T0 + 100),
					id: later,
					uid: expect.any(String),
					state: Buffer.from([4, 5, 6])
				});
				expect(await storage.history.getNamed('w-2', later!)).toBeNull();
				expect(await storage.history.listNamed('w-2')).toEqual([]);
			});

			it('saveNamed with a uid already here resolves null and writes nothing', async () => {
				const id = await storage.history.saveNamed(named('Importée', T0, 'uid-from-file'));
				expect(id).toEqual(expect.any(Number));
				expect(
					await storage.history.saveNamed(named('Encore', T0 + 1, 'uid-from-file'))
				).toBeNull();
				const listed = await storage.history.listNamed('w-1');
				expect(listed.map((version) => [version.id, version.uid, version.name])).toEqual([
					[id, 'uid-from-file', 'Importée']
				]);
			});
		});

		describe('votes', () => {
			beforeEach(async () => {
				await addWorkshop(storage, 'w-1');
				await addWorkshop(storage, 'w-2');
			});

			it('createRound opens the round as given; getRound finds it in that workshop only', async () => {
				const round = newRound('w-1', 'r-1', {
					proposalIds: ['p-3', 'p-1'],
					mode: 'gradient',
					rule: { kind: 'gradient', minLevel: 2, minMean: 3.5 },
					anonymous: true,
					live: false,
					voice: 'organisation'
				});
				expect(await storage.votes.createRound(round)).toBe(true);
				expect(await storage.votes.getRound('w-1', 'r-1')).toEqual({
					...round,
					state: 'open',
					closedAt: null,
					revealedAt: null,
					override: null
				});
				expect(await storage.votes.getRound('w-2', 'r-1')).toBeNull();
				expect(await storage.votes.getRound('w-1', 'r-unknown')).toBeNull();
			});

			it('createRound resolves false, writing nothing, while the workshop has an open round', async () => {
				expect(await storage.votes.createRound(newRound('w-1', 'r-1'))).toBe(true);
				expect(await storage.votes.createRound(newRound('w-1', 'r-2', { openedAt: T0 + 1 }))).toBe(
					false
				);
				expect(await storage.votes.getRound('w-1', 'r-2')).toBeNull();
				// Another workshop's round is its own.
				expect(await storage.votes.createRound(newRound('w-2', 'r-3'))).toBe(true);
				// Once closed, the next round can open.
				expect(await storage.votes.moveRound('w-1', 'r-1', 'closed', T0 + 2)).toBe(true);
				expect(await storage.votes.createRound(newRound('w-1', 'r-2', { openedAt: T0 + 3 }))).toBe(
					true
				);
				expect((await storage.votes.listRounds('w-1')).map((r) => [r.id, r.state])).toEqual([
					['r-1', 'closed'],
					['r-2', 'open']
				]);
			});

			it('listRounds lists the workshop’s rounds oldest first', async () => {
				for (const [id, openedAt] of [
					['r-b', T0 + 200],
					['r-a', T0 + 100],
					['r-c', T0 + 300]
				] as const) {
					expect(await storage.votes.createRound(newRound('w-1', id, { openedAt }))).toBe(true);
					expect(await storage.votes.moveRound('w-1', id, 'closed', openedAt + 1)).toBe(true);
				}
				expect(await storage.votes.createRound(newRound('w-2', 'r-other'))).toBe(true);
				expect((await storage.votes.listRounds('w-1')).map((r) => r.id)).toEqual([
					'r-a',
					'r-b',
					'r-c'
				]);
			});

			it('moveRound moves open -> closed -> revealed, recording when', async () => {
				await storage.votes.createRound(newRound('w-1', 'r-1'));
				expect(await storage.votes.moveRound('w-1', 'r-1', 'closed', T0 + 10)).toBe(true);
				expect(await storage.votes.getRound('w-1', 'r-1')).toMatchObject({
					state: 'closed',
					closedAt: T0 + 10,
					revealedAt: null
				});
				expect(await storage.votes.moveRound('w-1', 'r-1', 'revealed', T0 + 20)).toBe(true);
				expect(await storage.votes.getRound('w-1', 'r-1')).toMatchObject({
					state: 'revealed',
					closedAt: T0 + 10,
					revealedAt: T0 + 20
				});
			});

			it('moveRound resolves false, changing nothing, out of order, repeated, or for another workshop’s round', async () => {
				await storage.votes.createRound(newRound('w-1', 'r-1'));
				expect(await storage.votes.moveRound('w-1', 'r-1', 'revealed', T0 + 5)).toBe(false);
				expect(await storage.votes.moveRound('w-2', 'r-1', 'closed', T0 + 5)).toBe(false);
				expect(await storage.votes.moveRound('w-1', 'r-unknown', 'closed', T0 + 5)).toBe(false);
				expect((await storage.votes.getRound('w-1', 'r-1'))?.state).toBe('open');
				expect(await storage.votes.moveRound('w-1', 'r-1', 'closed', T0 + 10)).toBe(true);
				expect(await storage.votes.moveRound('w-1', 'r-1', 'closed', T0 + 11)).toBe(false);
				expect((await storage.votes.getRound('w-1', 'r-1'))?.closedAt).toBe(T0 + 10);
				expect(await storage.votes.moveRound('w-1', 'r-1', 'revealed', T0 + 20)).toBe(true);
				expect(await storage.votes.moveRound('w-1', 'r-1', 'revealed', T0 + 21)).toBe(false);
				expect(await storage.votes.moveRound('w-1', 'r-1', 'closed', T0 + 22)).toBe(false);
				expect(await storage.votes.getRound('w-1', 'r-1')).toMatchObject({
					state: 'revealed',
					closedAt: T0 + 10,
					revealedAt: T0 + 20
				});
			});

			it('overrideRound records the override of a closed or revealed round, once; false while open', async () => {
				const override = { reason: 'Blocage levé en plénière', byId: 'u-fac', byName: 'Amina' };
				await storage.votes.createRound(newRound('w-1', 'r-1'));
				expect(await storage.votes.overrideRound('w-1', 'r-1', { ...override, at: T0 + 1 })).toBe(
					false
				);
				expect((await storage.votes.getRound('w-1', 'r-1'))?.override).toBeNull();
				await storage.votes.moveRound('w-1', 'r-1', 'closed', T0 + 2);
				expect(await storage.votes.overrideRound('w-1', 'r-1', { ...override, at: T0 + 3 })).toBe(
					true
				);
				expect(
					await storage.votes.overrideRound('w-1', 'r-1', {
						...override,
						reason: 'Une autre raison',
						at: T0 + 4
					})
				).toBe(false);
				await storage.votes.moveRound('w-1', 'r-1', 'revealed', T0 + 5);
				expect((await storage.votes.getRound('w-1', 'r-1'))?.override).toEqual({
					...override,
					at: T0 + 3
				});
				// A revealed round not yet overridden can be.
				await storage.votes.createRound(newRound('w-1', 'r-2', { openedAt: T0 + 6 }));
				await storage.votes.moveRound('w-1', 'r-2', 'closed', T0 + 7);
				await storage.votes.moveRound('w-1', 'r-2', 'revealed', T0 + 8);
				expect(await storage.votes.overrideRound('w-1', 'r-2', { ...override, at: T0 + 9 })).toBe(
					true
				);
				expect(await storage.votes.overrideRound('w-2', 'r-2', { ...override, at: T0 + 9 })).toBe(
					false
				);
			});

			it('castBallot resolves false, writing nothing, unless the round is open', async () => {
				await storage.votes.createRound(newRound('w-1', 'r-1'));
				expect(await storage.votes.castBallot(ballot('w-1', 'r-unknown', 'u:u-1'))).toBe(false);
				expect(await storage.votes.castBallot(ballot('w-2', 'r-1', 'u:u-1'))).toBe(false);
				await storage.votes.moveRound('w-1', 'r-1', 'closed', T0 + 1);
				expect(await storage.votes.castBallot(ballot('w-1', 'r-1', 'u:u-1'))).toBe(false);
				await storage.votes.moveRound('w-1', 'r-1', 'revealed', T0 + 2);
				expect(await storage.votes.castBallot(ballot('w-1', 'r-1', 'u:u-2'))).toBe(false);
				expect(await storage.votes.listBallots('w-1', 'r-1')).toEqual([]);
				expect(await storage.votes.getBallot('w-1', 'r-1', 'u:u-1')).toBeNull();
			});

			it('castBallot replaces the voice’s earlier ballot; listBallots lists the oldest change first', async () => {
				await storage.votes.createRound(newRound('w-1', 'r-1'));
				const a = ballot('w-1', 'r-1', 'u:u-a', { updatedAt: T0 + 10 });
				const b = ballot('w-1', 'r-1', 'o:org-b', {
					voterId: null,
					voterName: 'CARE Mali',
					organisationId: 'org-b',
					organisation: 'CARE Mali',
					enteredBy: 'u-delegate',
					enteredByName: 'Moussa',
					updatedAt: T0 + 20
				});
				const c = ballot('w-1', 'r-1', 'n:Fanta', { voterId: null, updatedAt: T0 + 30 });
				for (const cast of [a, b, c]) expect(await storage.votes.castBallot(cast)).toBe(true);
				const changed = ballot('w-1', 'r-1', 'u:u-a', {
					positions: { 'p-1': { value: 'block', reason: 'Pas sans le village' } },
					enteredBy: 'u-fac',
					enteredByName: 'Amina',
					updatedAt: T0 + 40
				});
				expect(await storage.votes.castBallot(changed)).toBe(true);
				expect(await storage.votes.listBallots('w-1', 'r-1')).toEqual([b, c, changed]);
				expect(await storage.votes.getBallot('w-1', 'r-1', 'u:u-a')).toEqual(changed);
				expect(await storage.votes.getBallot('w-1', 'r-1', 'u:u-nobody')).toBeNull();
				expect(await storage.votes.getBallot('w-2', 'r-1', 'u:u-a')).toBeNull();
			});
		});

		describe('imports', () => {
			beforeEach(async () => {
				await addUser(storage, 'u-importer');
			});

			it('merge creates the workshop the file holds, with every row of it', async () => {
				const file = exportedWorkshop('w-imported', null);
				expect(await storage.imports.merge(file)).toEqual({
					workshop: 1,
					members: 2,
					organisations: 1,
					rounds: 1,
					ballots: 2,
					scores: 1,
					placements: 1,
					contacts: 1,
					events: 1
				});
				expect(await storage.getWorkshop('w-imported')).toEqual(file.workshop);
				expect(await storage.getWorkshopLinks('w-imported')).toEqual(file.links);
				const organisations = await storage.listOrganisations('w-imported');
				expect(organisations).toEqual([
					{
						id: 'org-file-1',
						workshopId: 'w-imported',
						name: 'Réseau Eau',
						createdAt: T0,
						delegateUserId: 'g-bakary'
					}
				]);
				expect(await storage.listMembers('w-imported')).toEqual(
					file.members.map((member) => ({
						...member,
						workshopId: 'w-imported',
						organisation: 'Réseau Eau'
					}))
				);
				expect(await storage.votes.listRounds('w-imported')).toEqual(file.rounds);
				expect(await storage.votes.listBallots('w-imported', 'r-imported')).toEqual(file.ballots);
				expect(await storage.scores.list('w-imported')).toEqual(file.scores);
				expect(await storage.placements.list('w-imported')).toEqual(file.placements);
				expect(await storage.contacts.list('w-imported')).toEqual(file.contacts);
				const [event] = await storage.history.listEvents('w-imported');
				expect(event).toEqual({
					...file.events[0],
					id: expect.any(Number),
					workshopId: 'w-imported'
				});
				const [version] = await storage.history.listVersions('w-imported');
				expect({ ...version, state: Buffer.from(version.state) }).toEqual({
					id: expect.any(Number),
					workshopId: 'w-imported',
					eventId: event.id,
					charterVersion: 1,
					charter: file.versions[0].charter,
					state: Buffer.from([1, 2, 3]),
					createdAt: T0 + 70
				});
			});

			it('merge makes the importer a facilitator of the workshop it creates, and the members unknown here device-less guests', async () => {
				await storage.imports.merge(exportedWorkshop('w-imported', 'u-importer'));
				expect(await storage.getMembership('w-imported', 'u-importer')).toMatchObject({
					role: 'facilitator',
					name: 'Importatrice'
				});
				expect((await storage.getWorkshop('w-imported'))?.ownerId).toBe('u-importer');
				expect((await storage.getUser('g-awa'))?.kind).toBe('guest');
				expect((await storage.getUser('u-importer'))?.kind).toBe('facilitator');
			});

			it('merging the same file again changes nothing and counts nothing', async () => {
				const file = exportedWorkshop('w-imported', 'u-importer');
				await storage.imports.merge(file);
				const snapshot = async () => ({
					workshop: await storage.getWorkshop('w-imported'),
					links: await storage.getWorkshopLinks('w-imported'),
					members: await storage.listMembers('w-imported'),
					organisations: await storage.listOrganisations('w-imported'),
					rounds: await storage.votes.listRounds('w-imported'),
					ballots: await storage.votes.listBallots('w-imported', 'r-imported'),
					scores: await storage.scores.list('w-imported'),
					placements: await storage.placements.list('w-imported'),
					contacts: await storage.contacts.list('w-imported'),
					events: await storage.history.listEvents('w-imported'),
					versions: (await storage.history.listVersions('w-imported')).map((v) => ({
						...v,
						state: Buffer.from(v.state)
					}))
				});
				const before = await snapshot();
				// Another server's export holds new links: a workshop already here keeps its own.
				expect(await storage.imports.merge({ ...file, links: linksFor('other-server') })).toEqual(
					NO_CHANGES
				);
				expect(await snapshot()).toEqual(before);
			});

			it('merge carries a step reached and its version, once, however often the file comes', async () => {
				const file = exportedWorkshop('w-imported', 'u-importer');
				const withStep = {
					...file,
					events: [
						...file.events,
						{
							uid: 'event-step-1',
							kind: 'step' as const,
							userId: 'u-importer',
							userName: 'Importatrice',
							reason: 'mobilise',
							at: T0 + 80
						}
					],
					versions: [
						...file.versions,
						{
							eventUid: 'event-step-1',
							charterVersion: 1,
							charter: {},
							state: new Uint8Array([7, 8, 9]),
							createdAt: T0 + 80
						}
					]
				};
				expect((await storage.imports.merge(withStep)).events).toBe(2);
				expect(await storage.imports.merge(withStep)).toEqual(NO_CHANGES);
				const events = await storage.history.listEvents('w-imported');
				expect(events.map((event) => [event.uid, event.kind, event.reason])).toEqual([
					['event-lock-1', 'lock', null],
					['event-step-1', 'step', 'mobilise']
				]);
				const versions = await storage.history.listVersions('w-imported');
				expect(versions.map((version) => [version.eventId, Buffer.from(version.state)])).toEqual([
					[events[0].id, Buffer.from([1, 2, 3])],
					[events[1].id, Buffer.from([7, 8, 9])]
				]);
			});

			it('merge takes the file’s details when the file changed them later, keeps ours when we did, and takes them once', async () => {
				const file = exportedWorkshop('w-imported', 'u-importer');
				await storage.imports.merge(file);
				const ours = {
					title: 'Forum de Mopti (reporté)',
					date: '2026-02-08',
					place: 'Sévaré',
					language: 'fr' as const,
					issue: 'L’accès à l’eau potable'
				};
				// Changed here since the export: the file's older details don't come back.
				await storage.updateWorkshopDetails('w-imported', ours, T0 + 100);
				expect(await storage.imports.merge(file)).toEqual(NO_CHANGES);
				expect(await storage.getWorkshop('w-imported')).toMatchObject({
					...ours,
					detailsChangedAt: T0 + 100
				});
				// Changed there later: the file's details arrive, all of them, with their stamp.
				const later = {
					...file,
					workshop: {
						...file.workshop,
						title: 'Forum de Mopti',
						date: '2026-02-15',
						detailsChangedAt: T0 + 200
					}
				};
				expect(await storage.imports.merge(later)).toEqual({ ...NO_CHANGES, workshop: 1 });
				expect(await storage.getWorkshop('w-imported')).toEqual(later.workshop);
				// The same file again, or one a step behind: nothing.
				expect(await storage.imports.merge(later)).toEqual(NO_CHANGES);
				expect(await storage.imports.merge(file)).toEqual(NO_CHANGES);
				expect(await storage.getWorkshop('w-imported')).toEqual(later.workshop);
			});

			it('merge: a side with no stamp loses to one with a stamp; neither stamped keeps ours', async () => {
				const unstamped = exportedWorkshop('w-imported', 'u-importer');
				unstamped.workshop.detailsChangedAt = null;
				await addWorkshop(storage, 'w-imported', { title: 'Forum d’ici' });
				// Neither stamped (two copies from before the stamps): ours stay.
				await storage.imports.merge(unstamped);
				expect(await storage.getWorkshop('w-imported')).toMatchObject({
					title: 'Forum d’ici',
					date: null,
					detailsChangedAt: null
				});
				// The file's stamp beats our none.
				const stamped = {
					...unstamped,
					workshop: { ...unstamped.workshop, detailsChangedAt: T0 + 5 }
				};
				expect((await storage.imports.merge(stamped)).workshop).toBe(1);
				expect(await storage.getWorkshop('w-imported')).toMatchObject({
					title: 'Forum importé de Mopti',
					date: '2026-02-01',
					place: 'Mopti',
					detailsChangedAt: T0 + 5
				});
				// And a file with none never replaces stamped details.
				expect((await storage.imports.merge(unstamped)).workshop).toBe(0);
				expect((await storage.getWorkshop('w-imported'))?.detailsChangedAt).toBe(T0 + 5);
			});

			it('merge moves a ballot or a score on when the file’s is newer, keeps ours when it is older, and deletes nothing', async () => {
				const first = exportedWorkshop('w-imported', 'u-importer');
				await storage.imports.merge(first);
				// Here, after the export: a later score for another criterion, and a new member.
				await storage.scores.set({
					workshopId: 'w-imported',
					candidateId: 'c-1',
					userId: 'g-awa',
					scores: { feasibility: 5 },
					enteredBy: 'u-importer',
					at: T0 + 100
				});
				await addMember(storage, 'w-imported', 'g-here', { joinedAt: T0 + 100 });
				const newerBallot = ballot('w-imported', 'r-imported', 'u:g-awa', {
					positions: { 'p-1': { value: 'block', reason: 'Changé là-bas' } },
					updatedAt: T0 + 35
				});
				const olderBallot = ballot('w-imported', 'r-imported', 'u:g-bakary', {
					positions: { 'p-1': { value: 'agree' } },
					updatedAt: T0 + 31
				});
				const newerScore = { ...first.scores[0], score: 2, updatedAt: T0 + 45 };
				const olderScore = {
					...first.scores[0],
					criterion: 'feasibility',
					score: 1,
					updatedAt: T0 + 90
				};
				const counts = await storage.imports.merge({
					...first,
					organisations: [],
					members: [],
					users: [],
					placements: [],
					contacts: [],
					events: [],
					versions: [],
					ballots: [newerBallot, olderBallot],
					scores: [newerScore, olderScore]
				});
				expect(counts).toEqual({ ...NO_CHANGES, ballots: 1, scores: 1 });
				expect(await storage.votes.getBallot('w-imported', 'r-imported', 'u:g-awa')).toEqual(
					newerBallot
				);
				expect(await storage.votes.getBallot('w-imported', 'r-imported', 'u:g-bakary')).toEqual(
					first.ballots[1]
				);
				expectSameElements(await storage.scores.list('w-imported'), [
					newerScore,
					{ ...olderScore, score: 5, enteredBy: 'u-importer', updatedAt: T0 + 100 }
				]);
				// What the second file left out is all still here.
				expect((await storage.listMembers('w-imported')).map((m) => m.userId)).toEqual([
					'u-importer',
					'g-awa',
					'g-bakary',
					'g-here'
				]);
				expect(await storage.listOrganisations('w-imported')).toHaveLength(1);
				expect(await storage.placements.list('w-imported')).toEqual(first.placements);
				expect(await storage.contacts.list('w-imported')).toEqual(first.contacts);
				expect(await storage.history.listEvents('w-imported')).toHaveLength(1);
				expect(await storage.history.listVersions('w-imported')).toHaveLength(1);
			});

			it('merge moves a round on when the file’s is further along, and never back', async () => {
				const first = exportedWorkshop('w-imported', null);
				const closed: StoredRound = {
					...first.rounds[0],
					state: 'closed',
					revealedAt: null
				};
				await storage.imports.merge({ ...first, rounds: [closed], ballots: [] });
				expect((await storage.votes.getRound('w-imported', 'r-imported'))?.state).toBe('closed');
				const revealed = await storage.imports.merge({
					...first,
					ballots: [],
					organisations: [],
					members: []
				});
				expect(revealed.rounds).toBeGreaterThan(0);
				expect(await storage.votes.getRound('w-imported', 'r-imported')).toEqual(first.rounds[0]);
				const back = await storage.imports.merge({
					...first,
					rounds: [{ ...closed, state: 'open', closedAt: null }],
					ballots: []
				});
				expect(back.rounds).toBe(0);
				expect(await storage.votes.getRound('w-imported', 'r-imported')).toEqual(first.rounds[0]);
			});
		});

		describe('deleteWorkshop', () => {
			/** A workshop with a row in every table: links, members, votes, history, document… */
			async function populate(workshopId: string, tag: string): Promise<void> {
				await addUser(storage, `owner-${tag}`);
				await addWorkshop(storage, workshopId, {
					ownerId: `owner-${tag}`,
					links: linksFor(tag),
					creator: membership(workshopId, `owner-${tag}`, {
						role: 'facilitator',
						grantedBy: 'creator'
					})
				});
				const member = await addMember(storage, workshopId, `guest-${tag}`, {
					organisation: `Organisation ${tag}`
				});
				await storage.createSession(session(`session-${tag}`, `guest-${tag}`, T0, T0));
				await addMember(storage, workshopId, `offline-${tag}`, { grantedBy: 'added' });
				await storage.setOrganisationDelegate(workshopId, member.organisationId!, `guest-${tag}`);
				const ids = await storage.appendUpdates([
					{ doc: workshopId, update: new Uint8Array([1, 2]) },
					{ doc: workshopId, update: new Uint8Array([3]), owned: 'owned' }
				]);
				await storage.compactDocument(workshopId, new Uint8Array([9]), ids[0], 'owned');
				await storage.commandResults.save(commandResult({ key: `key-${tag}`, workshopId }));
				await storage.scores.set({
					workshopId,
					candidateId: 'c-1',
					userId: `guest-${tag}`,
					scores: { impact: 3 },
					enteredBy: `guest-${tag}`,
					at: T0
				});
				await storage.placements.set({
					workshopId,
					allyId: 'a-1',
					userId: `guest-${tag}`,
					placement: { influence: 1, interest: 1 },
					enteredBy: `guest-${tag}`,
					at: T0
				});
				await storage.contacts.set({
					workshopId,
					allyId: 'a-1',
					text: 'Tél.',
					updatedBy: `guest-${tag}`,
					updatedAt: T0
				});
				await storage.history.record({
					workshopId,
					kind: 'lock',
					userId: `owner-${tag}`,
					userName: 'Amina',
					reason: null,
					at: T0,
					charterVersion: 1,
					charter: {},
					state: new Uint8Array([1])
				});
				await storage.history.saveNamed({
					workshopId,
					name: 'Version',
					userId: `owner-${tag}`,
					userName: 'Amina',
					charterVersion: 1,
					charter: {},
					state: new Uint8Array([1]),
					createdAt: T0
				});
				await storage.votes.createRound(newRound(workshopId, `round-${tag}`));
				await storage.votes.castBallot(ballot(workshopId, `round-${tag}`, `u:guest-${tag}`));
			}

			it('leaves no row of any table mentioning the workshop, and another workshop intact', async () => {
				await populate('w-doomed-7f3a', 'doomed');
				await populate('w-kept-21c9', 'kept');
				const keptBefore = await rowsMentioning(storage, 'w-kept-21c9');
				expect(keptBefore.length).toBeGreaterThan(10);
				await storage.deleteWorkshop('w-doomed-7f3a');
				expect(await rowsMentioning(storage, 'w-doomed-7f3a')).toEqual([]);
				expect(await rowsMentioning(storage, 'w-kept-21c9')).toEqual(keptBefore);
				expect(await storage.getWorkshop('w-doomed-7f3a')).toBeNull();
				expect(await storage.findWorkshopByJoinCode('CODE-doomed')).toBeNull();
				expect(plainDocument(await storage.loadDocument('w-doomed-7f3a')).bytes).toBe(0);
				expect(await storage.listMembers('w-kept-21c9')).toHaveLength(3);
				expect(plainDocument(await storage.loadDocument('w-kept-21c9')).bytes).toBe(2);
				expect(await storage.votes.listBallots('w-kept-21c9', 'round-kept')).toHaveLength(1);
			});

			it('removes its members without a device who belonged to no other workshop, and no other user', async () => {
				await populate('w-doomed-7f3a', 'doomed');
				await addWorkshop(storage, 'w-other');
				await addMember(storage, 'w-doomed-7f3a', 'offline-both', { grantedBy: 'added' });
				await addMember(storage, 'w-other', 'offline-both', { grantedBy: 'added' });
				await storage.deleteWorkshop('w-doomed-7f3a');
				expect(await storage.getUser('offline-doomed')).toBeNull();
				expect(await storage.getUser('guest-doomed')).not.toBeNull();
				expect(await storage.getUser('owner-doomed')).not.toBeNull();
				expect(await storage.getUser('offline-both')).not.toBeNull();
				expect(await storage.getSession('session-doomed')).not.toBeNull();
			});
		});
	});

	describe.each(['one handle', 'two handles'] as const)('races through %s', (handles) => {
		let a: Storage;
		let b: Storage;
		let closeHandles: () => Promise<void>;

		beforeEach(async () => {
			({ a, b, close: closeHandles } = await openHandles(engine, handles));
			await addWorkshop(a, 'w-1');
		});
		afterEach(async () => {
			await closeHandles();
		});

		it('two writers opening a round at once: exactly one opens, and the workshop has one open round', async () => {
			const opened = await Promise.all([
				a.votes.createRound(newRound('w-1', 'r-a')),
				b.votes.createRound(newRound('w-1', 'r-b'))
			]);
			expect(opened.filter(Boolean)).toHaveLength(1);
			const rounds = await b.votes.listRounds('w-1');
			expect(rounds.map((round) => [round.id, round.state])).toEqual([
				[opened[0] ? 'r-a' : 'r-b', 'open']
			]);
		});

		it('ten ballots of one voter at once: one ballot stored, exactly one of those sent', async () => {
			await a.votes.createRound(newRound('w-1', 'r-1'));
			const sent = Array.from({ length: 10 }, (_, i) =>
				ballot('w-1', 'r-1', 'u:u-1', {
					voterName: `Nom ${i}`,
					positions: {
						'p-1': { value: (['agree', 'reservations', 'block'] as const)[i % 3], reason: `${i}` }
					},
					enteredBy: `u-${i}`,
					enteredByName: i % 2 ? `Proxy ${i}` : null,
					updatedAt: T0 + i
				})
			);
			const cast = await Promise.all(sent.map((one, i) => (i % 2 ? b : a).votes.castBallot(one)));
			expect(cast).toEqual(sent.map(() => true));
			const stored = await a.votes.listBallots('w-1', 'r-1');
			expect(stored).toHaveLength(1);
			// Whole, never a mixture of two writes; and both instances read the same one.
			expect(sent).toContainEqual(stored[0]);
			expect(await b.votes.getBallot('w-1', 'r-1', 'u:u-1')).toEqual(stored[0]);
		});

		it('ballots racing the close: every ballot accepted is kept, none refused is', async () => {
			await a.votes.createRound(newRound('w-1', 'r-1'));
			const voters = Array.from({ length: 10 }, (_, i) => `u:u-${i}`);
			const results = await Promise.all([
				...voters
					.slice(0, 5)
					.map((key, i) => (i % 2 ? b : a).votes.castBallot(ballot('w-1', 'r-1', key))),
				b.votes.moveRound('w-1', 'r-1', 'closed', T0 + 1),
				...voters
					.slice(5)
					.map((key, i) => (i % 2 ? a : b).votes.castBallot(ballot('w-1', 'r-1', key)))
			]);
			const closed = results.splice(5, 1)[0];
			expect(closed).toBe(true);
			const accepted = voters.filter((_, i) => results[i]);
			const stored = (await a.votes.listBallots('w-1', 'r-1')).map((one) => one.voterKey);
			expectSameElements(stored, accepted);
			expect((await a.votes.getRound('w-1', 'r-1'))?.state).toBe('closed');
		});

		it('two closes of one round at once: exactly one moves it', async () => {
			await a.votes.createRound(newRound('w-1', 'r-1'));
			const moved = await Promise.all([
				a.votes.moveRound('w-1', 'r-1', 'closed', T0 + 1),
				b.votes.moveRound('w-1', 'r-1', 'closed', T0 + 2)
			]);
			expect(moved.filter(Boolean)).toHaveLength(1);
			expect(await a.votes.getRound('w-1', 'r-1')).toMatchObject({
				state: 'closed',
				closedAt: moved[0] ? T0 + 1 : T0 + 2
			});
		});

		it('two workshops created at once with one join code: exactly one is', async () => {
			const created = await Promise.all(
				[a, b].map((handle, i) =>
					handle.createWorkshop(
						{ id: `w-race-${i}`, title: `Forum ${i}`, createdAt: T0 + i, ownerId: null },
						{
							links: {
								joinCode: 'CODE-RACE',
								inviteToken: `invite-race-${i}`,
								observerToken: `observer-race-${i}`
							}
						}
					)
				)
			);
			expect(created.filter(Boolean)).toHaveLength(1);
			const winner = created[0] ? 'w-race-0' : 'w-race-1';
			const loser = created[0] ? 'w-race-1' : 'w-race-0';
			expect(await b.findWorkshopByJoinCode('CODE-RACE')).toEqual({ workshopId: winner });
			expect(await a.getWorkshop(loser)).toBeNull();
			expect(await a.getWorkshopLinks(loser)).toBeNull();
		});

		it('two members naming a new organisation at once, “Mali Eau” and “MALI EAU”: one organisation', async () => {
			await addGuest(a, 'u-1');
			await addGuest(a, 'u-2');
			const [first, second] = await Promise.all([
				a.upsertMembership(membership('w-1', 'u-1', { organisation: 'Mali Eau' })),
				b.upsertMembership(membership('w-1', 'u-2', { organisation: 'MALI EAU' }))
			]);
			expect(first.organisationId).not.toBeNull();
			expect(second.organisationId).toBe(first.organisationId);
			const organisations = await a.listOrganisations('w-1');
			expect(organisations.map((o) => o.id)).toEqual([first.organisationId]);
		});

		it('one idempotency key saved twice at once: exactly one is stored, and it is what get returns', async () => {
			const saved = await Promise.all([
				a.commandResults.save(commandResult({ result: '"first"' })),
				b.commandResults.save(commandResult({ result: '"second"' }))
			]);
			expect(saved.filter(Boolean)).toHaveLength(1);
			expect((await b.commandResults.get('s-1', 'key-1'))?.result).toBe(
				saved[0] ? '"first"' : '"second"'
			);
		});

		it('appends to one document from both at once: every id distinct, and loadDocument returns every row', async () => {
			const batches = Array.from({ length: 10 }, (_, i) =>
				Array.from({ length: 3 }, (_, j) => ({
					doc: 'w-1',
					update: new Uint8Array([i, j]),
					owned: `${i}.${j}`
				}))
			);
			const ids = await Promise.all(batches.map((rows, i) => (i % 2 ? b : a).appendUpdates(rows)));
			for (const batch of ids) {
				expect(batch).toHaveLength(3);
				expect(batch[1]).toBeGreaterThan(batch[0]);
				expect(batch[2]).toBeGreaterThan(batch[1]);
			}
			const all = ids.flat();
			expect(new Set(all).size).toBe(30);
			const expected = ids.flatMap((batch, i) =>
				batch.map((id, j) => ({ id, data: Buffer.from([i, j]), owned: `${i}.${j}` }))
			);
			for (const handle of [a, b]) {
				const loaded = plainDocument(await handle.loadDocument('w-1'));
				expectSameElements(loaded.updates, expected);
				// In commit order: each batch's rows in the order given.
				for (const batch of ids) {
					const positions = batch.map((id) => loaded.updates.findIndex((row) => row.id === id));
					expect(positions).toEqual([...positions].sort((x, y) => x - y));
				}
				expect(loaded.bytes).toBe(60);
			}
		});
	});
});

describe('both engines', () => {
	/**
	 * One fixed script of calls (fixed ids, fixed times), its answers made comparable: random ids
	 * (organisations', events') named in the order they first appear, the engine's own row ids
	 * (events, versions, named versions, log rows) named by position, bytes as Buffers. Nothing is
	 * sorted: the order of every list is part of the contract.
	 */
	async function playScenario(storage: Storage): Promise<Record<string, unknown>> {
		const out: Record<string, unknown> = {};
		await addUser(storage, 'u-fac', { login: 'amina', displayName: 'Amina' });
		await addUser(storage, 'u-co', { login: 'moussa' });
		await addWorkshop(storage, 'w-main', {
			ownerId: 'u-fac',
			createdAt: T0,
			links: linksFor('main'),
			creator: membership('w-main', 'u-fac', {
				role: 'facilitator',
				name: 'Amina',
				organisation: 'Réseau Eau',
				grantedBy: 'creator'
			}),
			details: { date: '2026-05-20', place: 'Kayes', issue: 'Accès à l’eau' }
		});
		// Two created in the same millisecond, ids differing only in case: a tie the order must break.
		await addWorkshop(storage, 'w-B', { ownerId: 'u-fac', createdAt: T0 + 1000 });
		await addWorkshop(storage, 'w-a', { ownerId: 'u-fac', createdAt: T0 + 1000 });
		await addWorkshop(storage, 'w-old', { ownerId: 'u-co', createdAt: T0 - 1000, links: null });

		// Organisations named unevenly, with accents and capitals.
		const organisations = [
			'Éducation Pour Tous',
			'eau vive',
			'Zébu Éleveurs',
			'agriculture durable',
			'ÉCOLE DU FLEUVE',
			'école du fleuve',
			'Mali Eau',
			'MALI EAU',
			'Œuvre Sociale',
			'ong kayes',
			'ONG Kayes',
			'Ça Marche',
			'Bamako Femmes',
			'bamako-femmes'
		];
		const memberships: unknown[] = [];
		for (const [i, organisation] of organisations.entries()) {
			memberships.push(
				await addMember(storage, 'w-main', `g-${String(i).padStart(2, '0')}`, {
					name: `Membre ${i}`,
					organisation,
					grantedBy: i % 3 === 0 ? 'invite-link' : i % 3 === 1 ? 'join-code' : 'observer-link',
					role: i % 3 === 2 ? 'observer' : 'participant',
					joinedAt: T0 + 100 + (i % 5)
				})
			);
		}
		out.upserts = memberships;
		await storage.upsertMembership(
			membership('w-main', 'u-co', {
				role: 'facilitator',
				name: 'Moussa',
				grantedBy: 'co-facilitator',
				joinedAt: T0 + 200
			})
		);
		out.organisations = await storage.listOrganisations('w-main');
		out.organisationNames = (out.organisations as { name: string }[]).map((o) => o.name);
		const byName = new Map(
			(await storage.listOrganisations('w-main')).map((o) => [o.name, o.id] as const)
		);
		out.merge = await storage.mergeOrganisations(
			'w-main',
			byName.get('Réseau Eau')!,
			byName.get('eau vive')!
		);
		out.delegate = await storage.setOrganisationDelegate('w-main', byName.get('Mali Eau')!, 'g-07');
		out.updated = await storage.updateMembership('w-main', 'g-03', {
			role: 'observer',
			name: 'Membre 3 (renommé)',
			organisation: 'Zebu eleveurs'
		});
		out.deleted = await storage.deleteMembership('w-main', 'g-13');
		out.organisationsAfterMerge = await storage.listOrganisations('w-main');
		out.members = await storage.listMembers('w-main');
		await addMember(storage, 'w-a', 'g-00', { joinedAt: T0 + 1001 });
		await addMember(storage, 'w-B', 'g-00', { joinedAt: T0 + 1002, organisation: 'CARE' });
		await addMember(storage, 'w-old', 'g-00', { joinedAt: T0 + 1003 });
		out.memberships = await storage.listMemberships('g-00');
		out.workshops = await storage.listWorkshops(10);
		out.workshopsLimited = await storage.listWorkshops(2);
		out.ownedWorkshops = await storage.listWorkshops(10, 'u-fac');
		out.updateDetails = await storage.updateWorkshopDetails(
			'w-a',
			{ title: 'Forum A', date: null, place: 'Ségou', language: 'en', issue: 'Schools' },
			T0 + 1100
		);
		out.workshopA = await storage.getWorkshop('w-a');
		out.setLinks = await storage.setWorkshopLinks('w-old', linksFor('old'));
		out.replaced = await storage.replaceWorkshopLinks('w-main', linksFor('main-2'), [
			'observer-link'
		]);
		out.replacedTaken = await storage.replaceWorkshopLinks('w-main', linksFor('old'), []);
		out.links = await storage.getWorkshopLinks('w-main');
		out.found = [
			await storage.findWorkshopByJoinCode('CODE-main-2'),
			await storage.findWorkshopByLinkToken('invite-main-2'),
			await storage.findWorkshopByLinkToken('observer-old'),
			await storage.findWorkshopByJoinCode('CODE-main')
		];
		out.membersAfterRevocation = await storage.listMembers('w-main');

		// Votes: rounds opened in the same millisecond, ballots changed in the same millisecond.
		out.rounds = [
			await storage.votes.createRound(newRound('w-main', 'r-B', { openedAt: T0 + 300 })),
			await storage.votes.createRound(newRound('w-main', 'r-x', { openedAt: T0 + 300 })),
			await storage.votes.moveRound('w-main', 'r-B', 'closed', T0 + 301),
			await storage.votes.createRound(newRound('w-main', 'r-a', { openedAt: T0 + 300 }))
		];
		for (const [voterKey, updatedAt] of [
			['u:g-B', T0 + 310],
			['u:g-a', T0 + 310],
			['o:É', T0 + 305],
			['u:g-Z', T0 + 310],
			['n:émile', T0 + 310],
			['u:g-a', T0 + 320]
		] as const) {
			await storage.votes.castBallot(ballot('w-main', 'r-a', voterKey, { updatedAt }));
		}
		await storage.votes.moveRound('w-main', 'r-a', 'closed', T0 + 330);
		await storage.votes.overrideRound('w-main', 'r-a', {
			reason: 'Consensus en plénière',
			byId: 'u-fac',
			byName: 'Amina',
			at: T0 + 331
		});
		await storage.votes.moveRound('w-main', 'r-a', 'revealed', T0 + 332);
		out.roundList = await storage.votes.listRounds('w-main');
		out.ballots = await storage.votes.listBallots('w-main', 'r-a');

		// Private inputs, with ids whose order depends on case and accents.
		for (const candidateId of ['c-b', 'c-B', 'C-a', 'c-é', 'c-e']) {
			for (const userId of ['g-01', 'G-00', 'g-00']) {
				await storage.scores.set({
					workshopId: 'w-main',
					candidateId,
					userId,
					scores: { impact: 3, Coût: 2, coût: 4, faisabilité: 5 },
					enteredBy: userId,
					at: T0 + 400
				});
			}
		}
		out.scores = await storage.scores.list('w-main');
		out.scoresByUser = await storage.scores.listByUser('w-main', 'g-00');
		for (const allyId of ['a-b', 'A-c', 'a-é', 'a-a']) {
			for (const userId of ['g-01', 'G-00', 'g-00']) {
				await storage.placements.set({
					workshopId: 'w-main',
					allyId,
					userId,
					placement: { influence: 2, interest: 3 },
					enteredBy: userId,
					at: T0 + 410
				});
			}
		}
		out.placements = await storage.placements.list('w-main');
		out.placementsByUser = await storage.placements.listByUser('w-main', 'g-00');
		for (const allyId of ['a-b', 'A-c', 'a-é', 'a-a', 'a-blank']) {
			await storage.contacts.set({
				workshopId: 'w-main',
				allyId,
				text: allyId === 'a-blank' ? ' ' : `Contact ${allyId}`,
				updatedBy: 'u-fac',
				updatedAt: T0 + 420
			});
		}
		await storage.contacts.importLegacy(
			'w-main',
			new Map([
				['a-b', 'old'],
				['a-Z', 'Zorro']
			]),
			T0 + 430
		);
		out.contacts = await storage.contacts.list('w-main');

		// History.
		for (const [kind, at] of [
			['lock', T0 + 500],
			['unlock', T0 + 510],
			['lock', T0 + 520],
			['archive', T0 + 530]
		] as const) {
			await storage.history.record({
				workshopId: 'w-main',
				kind,
				userId: 'u-fac',
				userName: 'Amina',
				reason: kind === 'unlock' ? 'À revoir' : null,
				at,
				charterVersion: kind === 'lock' ? 1 : 0,
				charter: { at, clauses: ['Une', 'Deux'] },
				state: new Uint8Array([at % 256])
			});
		}
		out.events = await storage.history.listEvents('w-main');
		out.versions = await storage.history.listVersions('w-main');
		for (const [name, createdAt, uid] of [
			['Deuxième', T0 + 610, undefined],
			['Première', T0 + 600, 'uid-1'],
			['Même instant', T0 + 610, 'uid-2'],
			['Doublon', T0 + 620, 'uid-1']
		] as const) {
			await storage.history.saveNamed({
				workshopId: 'w-main',
				name,
				userId: 'u-fac',
				userName: 'Amina',
				charterVersion: 1,
				charter: {},
				state: new Uint8Array([1]),
				createdAt,
				...(uid ? { uid } : {})
			});
		}
		out.named = await storage.history.listNamed('w-main');

		// Idempotency keys.
		out.commands = [
			await storage.commandResults.save(
				commandResult({ workshopId: 'w-main', scope: 'round:r-a' })
			),
			await storage.commandResults.save(commandResult({ workshopId: 'w-main', result: '"again"' }))
		];
		await storage.commandResults.deleteScope('w-main', 'round:r-a');
		out.commandAfterScope = await storage.commandResults.get('s-1', 'key-1');

		// Imports: a new workshop, then the same file, then a newer one.
		const file = exportedWorkshop('w-imported', 'u-fac');
		out.importCounts = [
			await storage.imports.merge(file),
			await storage.imports.merge(file),
			await storage.imports.merge({
				...file,
				organisations: [
					...file.organisations,
					{ id: 'org-file-2', name: 'RESEAU EAU', createdAt: T0, delegateUserId: null },
					{ id: 'org-file-3', name: 'Nouvelle', createdAt: T0, delegateUserId: null }
				],
				ballots: [{ ...file.ballots[0], updatedAt: T0 + 99 }],
				scores: [{ ...file.scores[0], score: 1, updatedAt: T0 + 10 }]
			})
		];
		out.imported = {
			workshop: await storage.getWorkshop('w-imported'),
			members: await storage.listMembers('w-imported'),
			organisations: await storage.listOrganisations('w-imported'),
			rounds: await storage.votes.listRounds('w-imported'),
			ballots: await storage.votes.listBallots('w-imported', 'r-imported'),
			scores: await storage.scores.list('w-imported'),
			events: await storage.history.listEvents('w-imported')
		};

		// The document log.
		const ids = await storage.appendUpdates([
			{ doc: 'w-main', update: new Uint8Array([1]) },
			{ doc: 'w-main', update: new Uint8Array([2]), owned: 'o' },
			{ doc: 'w-main', update: new Uint8Array([3]) }
		]);
		await storage.compactDocument('w-main', new Uint8Array([9, 9]), ids[1], 'snap');
		await storage.appendUpdates([{ doc: 'w-main', update: new Uint8Array([4]) }]);
		out.document = plainDocument(await storage.loadDocument('w-main'));

		// Sessions.
		await storage.createSession(session('s-a', 'u-fac', T0, T0));
		await storage.createSession(session('s-b', 'u-fac', T0, T0 + 10_000));
		await storage.createSession(session('s-c', 'g-00', T0, T0));
		await storage.deleteExpiredSessions(T0 + 5000, T0 - 1, T0 + 1);
		out.sessions = await Promise.all(
			['s-a', 's-b', 's-c'].map(async (id) => (await storage.getSession(id)) !== null)
		);

		// Deleting a workshop.
		await storage.deleteWorkshop('w-B');
		out.afterDelete = {
			workshops: await storage.listWorkshops(10),
			memberships: await storage.listMemberships('g-00'),
			user: await storage.getUser('g-00')
		};
		out.writable = await storage.checkWritable();
		return comparable(out);
	}

	/** Random ids named by first appearance; engine row ids by position; bytes as Buffers. */
	function comparable(out: Record<string, unknown>): Record<string, unknown> {
		const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
		const names = new Map<string, string>();
		const rowIds = new Map<string, Map<number, string>>();
		const rowId = (kind: string, id: number) => {
			const ids = rowIds.get(kind) ?? new Map<number, string>();
			rowIds.set(kind, ids);
			if (!ids.has(id)) ids.set(id, `${kind}#${ids.size + 1}`);
			return ids.get(id);
		};
		const walk = (value: unknown): unknown => {
			if (value instanceof Uint8Array) return Buffer.from(value);
			if (Array.isArray(value)) return value.map((item) => walk(item));
			if (typeof value === 'string' && UUID.test(value)) {
				if (!names.has(value)) names.set(value, `random#${names.size + 1}`);
				return names.get(value);
			}
			if (value && typeof value === 'object') {
				return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
			}
			return value;
		};
		const events = out.events as { id: number }[];
		const versions = out.versions as { id: number; eventId: number }[];
		out.events = events.map((event) => ({ ...event, id: rowId('event', event.id) }));
		out.versions = versions.map((version) => ({
			...version,
			id: rowId('version', version.id),
			eventId: rowId('event', version.eventId)
		}));
		out.named = (out.named as { id: number }[]).map((named) => ({
			...named,
			id: rowId('named', named.id)
		}));
		const imported = out.imported as { events: { id: unknown }[] };
		imported.events = imported.events.map((event) => ({
			...event,
			id: rowId('event', event.id as number)
		}));
		const document = out.document as { updates: { id: unknown }[] };
		document.updates = document.updates.map((row) => ({
			...row,
			id: rowId('update', row.id as number)
		}));
		return walk(out) as Record<string, unknown>;
	}

	it('the same calls give the same answers, in the same order, on SQLite and PostgreSQL', async () => {
		const answers: Record<string, Record<string, unknown>> = {};
		for (const engine of ENGINES) {
			const { storage, close } = await openTestStorage(engine);
			try {
				answers[engine] = await playScenario(storage);
			} finally {
				await close();
			}
		}
		const [sqlite, postgres] = [answers.sqlite, answers.postgres];
		expect(Object.keys(sqlite).length).toBeGreaterThan(20);
		expect(Object.keys(postgres)).toEqual(Object.keys(sqlite));
		for (const key of Object.keys(sqlite)) expect.soft(postgres[key], key).toEqual(sqlite[key]);
	});
});
