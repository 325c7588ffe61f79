/**
 * Order does not depend on the database's locale. The machine's `test` database sorts by byte
 * (C.UTF-8), which would hide a PostgreSQL list ordered by the locale; here the same lists are
 * read from a database made with a French ICU collation (case and accents folded, as a
 * French-speaking operator's server would likely be set up) and must come back in SQLite's order.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStorage } from '../../server/storage/open';
import type { Storage } from '../../src/lib/server/ports/storage';
import { openTestStorage, TEST_DATABASE_URL } from '../fixtures/storages';

const T0 = Date.UTC(2026, 11, 3, 9, 0);
const database = `coalition_fr_${process.pid}`;
const IDS = ['b-ally', 'B-ally', 'a-ally', 'é-ally', 'e-ally', 'Z-ally', 'z-ally'];

async function admin(sql: string): Promise<void> {
	const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
	await client.connect();
	try {
		await client.query(sql);
	} finally {
		await client.end();
	}
}

let french: Storage;
let sqlite: { storage: Storage; close(): Promise<void> };

beforeAll(async () => {
	await admin(`DROP DATABASE IF EXISTS ${database}`);
	await admin(
		`CREATE DATABASE ${database} TEMPLATE template0 ENCODING 'UTF8'
		LOCALE_PROVIDER icu ICU_LOCALE 'fr' LOCALE 'C.UTF-8'`
	);
	const url = new URL(TEST_DATABASE_URL);
	url.pathname = `/${database}`;
	french = openStorage({
		database: { url: url.href, schema: 'public' },
		dataDir: '',
		busyTimeoutMs: 5000
	});
	sqlite = await openTestStorage('sqlite');
	await french.ready();
	for (const storage of [french, sqlite.storage]) {
		await storage.createWorkshop({ id: 'w', title: 'Forum', createdAt: T0, ownerId: null });
		for (const [index, allyId] of IDS.entries()) {
			await storage.contacts.set({
				workshopId: 'w',
				allyId,
				text: `contact ${index}`,
				updatedBy: 'u',
				updatedAt: T0
			});
			await storage.placements.set({
				workshopId: 'w',
				allyId,
				userId: 'u',
				placement: { influence: 3, interest: 3 },
				enteredBy: 'u',
				at: T0
			});
		}
		for (const name of ['Zébu', 'eau', 'Éducation', 'agriculture', 'Élevage']) {
			await storage.createUser({ id: `u-${name}`, login: name, passwordHash: '', createdAt: T0 });
			await storage.upsertMembership({
				workshopId: 'w',
				userId: `u-${name}`,
				role: 'participant',
				name,
				organisation: name,
				grantedBy: 'join-code',
				joinedAt: T0
			});
		}
	}
}, 30_000);

afterAll(async () => {
	await french?.close();
	await sqlite?.close();
	await admin(`DROP DATABASE IF EXISTS ${database}`);
});

describe('a PostgreSQL database with a French collation', () => {
	it('lists contacts and placements in byte order, as SQLite does', async () => {
		const byteOrder = [...IDS].sort((a, b) => (Buffer.from(a) < Buffer.from(b) ? -1 : 1));
		expect((await sqlite.storage.contacts.list('w')).map((c) => c.allyId)).toEqual(byteOrder);
		expect((await french.contacts.list('w')).map((c) => c.allyId)).toEqual(byteOrder);
		expect((await french.placements.list('w')).map((p) => p.allyId)).toEqual(byteOrder);
	});

	it('lists organisations by folded name, the same on both engines', async () => {
		const names = (organisations: { name: string }[]) => organisations.map((o) => o.name);
		const expected = ['agriculture', 'eau', 'Éducation', 'Élevage', 'Zébu'];
		expect(names(await sqlite.storage.listOrganisations('w'))).toEqual(expected);
		expect(names(await french.listOrganisations('w'))).toEqual(expected);
	});
});
