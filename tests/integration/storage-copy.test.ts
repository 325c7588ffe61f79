/**
 * `npm run storage:copy`: a SQLite deployment moved to PostgreSQL. A workshop (its details' stamp
 * included) with members, a revealed vote, a locked charter (its event and version), a named
 * version, scores, placements, contacts, sessions and its Yjs log arrives whole, ids included; the
 * PostgreSQL server then serves it and goes on numbering after it; a second copy into the filled
 * schema is refused and changes nothing.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Services } from '../../server/services';
import { openStorage } from '../../server/storage/open';
import type { Storage } from '../../src/lib/server/ports/storage';
import { getAllyText, readAllies } from '../../src/lib/shared/schema';
import { useChildServers } from '../fixtures/child-servers';
import { waitFor, waitForSynced } from '../fixtures/clients';
import { freePort, tempDataDir } from '../fixtures/server';
import { allRows } from '../fixtures/storage-rows';
import { dropSchema, TEST_DATABASE_URL, testSchema } from '../fixtures/storages';
import {
	addParticipant,
	closeServices,
	editAsClient,
	lockCharter,
	openServices,
	seedRevealedRound,
	seedWorkshop
} from '../fixtures/workshops';

const run = promisify(execFile);
const T0 = Date.UTC(2026, 11, 3, 9, 0);
const schema = testSchema();
let dataDir = '';
let workshopId = '';
let sqlite: Storage;
let postgres: Storage;
const servers = useChildServers();

function copy(): Promise<{ code: number; stdout: string; stderr: string }> {
	return run(process.execPath, ['scripts/copy-storage.js'], {
		env: {
			...process.env,
			DATA_DIR: dataDir,
			DATABASE_URL: TEST_DATABASE_URL,
			DATABASE_SCHEMA: schema,
			LOG_LEVEL: 'silent'
		}
	}).then(
		({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
		(error: { code: number; stdout: string; stderr: string }) => error
	);
}

/** A forum as the server writes one, on SQLite. */
async function seedForum(services: Services): Promise<void> {
	const { storage } = services;
	const seeded = await seedWorkshop(services);
	workshopId = seeded.workshopId;
	// Details corrected once: their stamp (details_changed_at) moves with the row.
	await storage.updateWorkshopDetails(
		workshopId,
		{ title: 'Forum de Kayes', date: '2026-12-05', place: 'Kayes', language: 'fr', issue: '' },
		T0 + 5
	);
	const awa = await addParticipant(services, workshopId, 'Awa', 'CARE Mali');
	const moussa = await addParticipant(services, workshopId, 'Moussa', 'Mairie de Kayes');
	await editAsClient(services, workshopId, (doc) => {
		const ally = new Y.Map<unknown>();
		ally.set('name', new Y.Text('Radio rurale de Kayes'));
		ally.set('type', 'media');
		ally.set('createdAt', T0);
		doc.getMap('allies').set('ally-radio', ally);
	});
	await seedRevealedRound(services, workshopId, [awa, moussa]);
	await lockCharter(services, workshopId, seeded.facilitator);
	await storage.history.saveNamed({
		workshopId,
		name: 'Après le vote',
		userId: seeded.facilitator.userId,
		userName: seeded.facilitator.name,
		charterVersion: 1,
		charter: { version: 1 },
		state: await services.registry.readDocument(workshopId, (doc) => Y.encodeStateAsUpdate(doc)),
		createdAt: T0 + 5
	});
	await storage.scores.set({
		workshopId,
		candidateId: 'c1',
		userId: awa.userId,
		scores: { reputation: 4, leadership: 2 },
		enteredBy: awa.userId,
		at: T0 + 6
	});
	await storage.placements.set({
		workshopId,
		allyId: 'ally-radio',
		userId: moussa.userId,
		placement: { influence: 5, interest: 3 },
		enteredBy: seeded.facilitator.userId,
		at: T0 + 7
	});
	await storage.contacts.set({
		workshopId,
		allyId: 'ally-radio',
		text: 'Directeur : 76 00 00 00',
		updatedBy: seeded.facilitator.userId,
		updatedAt: T0 + 8
	});
	await storage.createSession({
		id: 'session-awa',
		userId: seeded.facilitator.userId,
		secretHash: new Uint8Array([1, 2, 3]),
		createdAt: T0,
		lastVerifiedAt: T0 + 9
	});
	await storage.commandResults.save({
		sessionId: 'session-awa',
		key: 'key-00000001',
		workshopId,
		event: 'charter:lock',
		payloadHash: 'ab',
		result: '{"ok":true}',
		scope: null,
		createdAt: T0 + 10
	});
	await services.registry.flush();
}

/** Everything the API reads of the workshop, for comparing the two engines. */
async function readEverything(storage: Storage) {
	const workshop = await storage.getWorkshop(workshopId);
	const rounds = await storage.votes.listRounds(workshopId);
	const document = await storage.loadDocument(workshopId);
	return {
		workshop,
		links: await storage.getWorkshopLinks(workshopId),
		owner: await storage.getUser(workshop!.ownerId!),
		members: await storage.listMembers(workshopId),
		organisations: await storage.listOrganisations(workshopId),
		rounds,
		ballots: await Promise.all(rounds.map((r) => storage.votes.listBallots(workshopId, r.id))),
		scores: await storage.scores.list(workshopId),
		placements: await storage.placements.list(workshopId),
		contacts: await storage.contacts.list(workshopId),
		events: await storage.history.listEvents(workshopId),
		versions: (await storage.history.listVersions(workshopId)).map((v) => ({
			...v,
			state: Buffer.from(v.state)
		})),
		named: (await storage.history.listNamed(workshopId)).map((v) => ({
			...v,
			state: Buffer.from(v.state)
		})),
		session: await storage
			.getSession('session-awa')
			.then((s) => s && { ...s, secretHash: [...s.secretHash] }),
		command: await storage.commandResults.get('session-awa', 'key-00000001'),
		document: {
			snapshot: document.snapshot && Buffer.from(document.snapshot),
			snapshotOwned: document.snapshotOwned,
			updates: document.updates.map((u) => ({ ...u, data: Buffer.from(u.data) })),
			bytes: document.bytes
		}
	};
}

beforeAll(async () => {
	const services = openServices();
	dataDir = services.config.dataDir;
	await seedForum(services);
	await closeServices(services);
}, 60_000);

afterAll(async () => {
	await sqlite?.close();
	await postgres?.close();
	await dropSchema(schema);
});

describe('moving SQLite to PostgreSQL', () => {
	it('copies every row of every table, and the API reads the same workshop from both', async () => {
		const result = await copy();
		expect(result.stderr).toBe('');
		expect(result.code).toBe(0);
		expect(result.stdout).toMatch(/^Copied \d+ rows from /);

		sqlite = openStorage({ database: null, dataDir, busyTimeoutMs: 5000 });
		postgres = openStorage({
			database: { url: TEST_DATABASE_URL, schema },
			dataDir: '',
			busyTimeoutMs: 5000
		});
		await Promise.all([sqlite.ready(), postgres.ready()]);
		const [from, to] = await Promise.all([readEverything(sqlite), readEverything(postgres)]);
		expect(from.workshop?.detailsChangedAt).toBe(T0 + 5);
		expect(from.rounds).toHaveLength(1);
		expect(from.ballots[0]).toHaveLength(2);
		expect(from.events.map((e) => e.kind)).toEqual(['lock']);
		expect(from.versions).toHaveLength(1);
		expect(from.contacts).toHaveLength(1);
		expect(from.document.updates.length + (from.document.snapshot ? 1 : 0)).toBeGreaterThan(0);
		expect(to).toEqual(from);

		// Row for row: every table holds as many rows on both (migrations' own table aside).
		const [fromRows, toRows] = await Promise.all([allRows(sqlite), allRows(postgres)]);
		const counts = (rows: Record<string, unknown[]>) =>
			Object.fromEntries(
				Object.entries(rows)
					.filter(([table]) => table !== 'schema_migrations')
					.map(([table, list]) => [table, list.length])
			);
		expect(counts(toRows)).toEqual(counts(fromRows));
		for (const [table, n] of Object.entries(counts(fromRows)))
			expect(result.stdout).toContain(`  ${table}: ${n}\n`);
	});

	it('goes on numbering after the copied ids: a new log row and a new event come after them', async () => {
		const before = await postgres.loadDocument(workshopId);
		const [id] = await postgres.appendUpdates([
			{ doc: workshopId, update: Y.encodeStateAsUpdate(new Y.Doc()) }
		]);
		expect(id).toBeGreaterThan(Math.max(0, ...before.updates.map((u) => u.id)));
		const events = await postgres.history.listEvents(workshopId);
		const recorded = await postgres.history.record({
			workshopId,
			kind: 'unlock',
			userId: events[0].userId,
			userName: events[0].userName,
			reason: 'corriger une virgule',
			at: T0 + 20,
			charterVersion: 1,
			charter: {},
			state: new Uint8Array()
		});
		expect(recorded.eventId).toBeGreaterThan(events[0].id);
	});

	it('refuses a second copy into the filled schema, writing nothing', async () => {
		const before = await allRows(postgres);
		const result = await copy();
		expect(result.code).toBe(1);
		expect(result.stderr).toMatch(/^Nothing was copied: the PostgreSQL schema already holds data/);
		expect(await allRows(postgres)).toEqual(before);
	});

	it('serves the moved board from a server on PostgreSQL', async () => {
		const server = await servers.start({
			PORT: String(await freePort()),
			DATA_DIR: tempDataDir(),
			DATABASE_URL: TEST_DATABASE_URL,
			DATABASE_SCHEMA: schema
		});
		const client = servers.connect(server, workshopId);
		await waitForSynced(client);
		await waitFor(() => readAllies(client.doc).some((ally) => ally.id === 'ally-radio'), {
			what: 'the copied ally on the PostgreSQL server'
		});
		expect(getAllyText(client.doc, 'ally-radio', 'name')?.toString()).toBe('Radio rurale de Kayes');
	});
});
