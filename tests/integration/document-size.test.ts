import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { memberCookie } from '../fixtures/members';
import { startTestServer, tempDataDir } from '../fixtures/server';
import { connectBystanders, type Bystanders } from '../fixtures/bystanders';
import {
	connectClient,
	useMemberClients,
	waitFor,
	waitForSaved,
	waitForSynced
} from '../fixtures/clients';
import type { RunningServer } from '../../server/app';
import { CloseCode } from '../../src/lib/shared/close-codes';
import { addAlly, getAllies, readAllies } from '../../src/lib/shared/schema';

const MAX_DOCUMENT_BYTES = 20_000;

let server: RunningServer | null = null;
let bystanders: Bystanders | null = null;
const client = useMemberClients(() => server!);

afterEach(async () => {
	bystanders?.destroy();
	bystanders = null;
	await server?.close();
	server = null;
});

/** A ~4 KB ally, written through the Y API by a client that ignores the app's name limit. */
function addLargeAlly(doc: Y.Doc, index: number): string {
	const name = `Large ally ${index} `.padEnd(4000, 'x');
	doc.transact(() => {
		const ally = new Y.Map<unknown>();
		ally.set('name', new Y.Text(name));
		ally.set('type', 'organisation');
		ally.set('createdAt', index);
		getAllies(doc).set(`large-${index}`, ally);
	});
	return name;
}

describe('the per-document size cap', () => {
	it('closes the writer with 4413 once MAX_DOCUMENT_BYTES is reached and keeps what was stored', async () => {
		server = await startTestServer({ MAX_DOCUMENT_BYTES: String(MAX_DOCUMENT_BYTES) });
		bystanders = await connectBystanders(server, 'full-board');
		const writer = client('full-board');
		await waitForSynced(writer);
		let closedWith: number | null = null;
		writer.provider.on('connection-close', (event: { code: number } | null) => {
			closedWith ??= event?.code ?? null;
		});
		const saved: string[] = [];
		for (let index = 1; index <= 20 && closedWith === null; index++) {
			const name = addLargeAlly(writer.doc, index);
			await waitFor(() => writer.saves.unsaved === 0 || closedWith !== null, {
				what: 'saved or closed'
			});
			if (closedWith === null) saved.push(name);
		}
		expect(closedWith).toBe(CloseCode.documentFull);
		// 4 KB allies against a 20 KB cap: a handful fit, the one that would pass it is refused.
		expect(saved.length).toBeGreaterThanOrEqual(3);
		expect(saved.length).toBeLessThan(5);
		// 4413 is final for y-websocket: the writer does not come back to try again.
		expect(writer.provider.shouldConnect).toBe(false);

		const late = client('full-board');
		await waitForSynced(late);
		expect(readAllies(late.doc).map((ally) => ally.name)).toEqual(saved);
		const stored = await server.services.storage.loadDocument('full-board');
		const replay = new Y.Doc();
		if (stored.snapshot) Y.applyUpdate(replay, stored.snapshot);
		for (const row of stored.updates) Y.applyUpdate(replay, row.data);
		expect(readAllies(replay).map((ally) => ally.name)).toEqual(saved);
		expect(stored.bytes).toBeLessThanOrEqual(MAX_DOCUMENT_BYTES);

		// The readers in the full room keep their connection and everything that was stored.
		expect(readAllies(bystanders.second.doc).map((ally) => ally.name)).toEqual(saved);
		await bystanders.expectStillWorking({ sameRoomWrites: false });
	});

	it('still lets readers join a document that is exactly at its cap, and refuses the next write', async () => {
		const dataDir = tempDataDir();
		const first = await startTestServer({ DATA_DIR: dataDir });
		const writer = connectClient(first.url, 'at-cap', { cookie: memberCookie(first, 'at-cap') });
		await waitForSynced(writer);
		for (let i = 1; i <= 12; i++)
			addAlly(writer.doc, { name: `Ally ${i} `.padEnd(150, '-'), type: 'group' });
		await waitForSaved(writer);
		const { bytes } = await first.services.storage.loadDocument('at-cap');
		writer.destroy();
		await first.close();
		expect(bytes).toBeGreaterThan(1024);

		server = await startTestServer({ DATA_DIR: dataDir, MAX_DOCUMENT_BYTES: String(bytes) });
		const watcher = client('at-cap');
		const reader = client('at-cap');
		let readerCloses = 0;
		reader.provider.on('connection-close', () => (readerCloses += 1));
		await Promise.all([waitForSynced(watcher), waitForSynced(reader)]);
		expect(readAllies(reader.doc)).toHaveLength(12);
		// The reader's sync step 2 carries nothing new and must not count against the cap. Presence
		// set now is handled after that step 2: once the watcher sees it, the step 2 was accepted.
		reader.provider.awareness.setLocalStateField('focus', 'Reader');
		await waitFor(
			() =>
				(watcher.provider.awareness.getStates().get(reader.doc.clientID) as { focus?: string })
					?.focus === 'Reader',
			{ what: 'the reader presence on the watcher' }
		);
		expect(readerCloses).toBe(0);

		const closed = new Promise<number>((resolve) =>
			reader.provider.on('closed', (event: { code: number }) => resolve(event.code))
		);
		addAlly(reader.doc, { name: 'One too many', type: 'individual' });
		expect(await closed).toBe(CloseCode.documentFull);
	});
});
