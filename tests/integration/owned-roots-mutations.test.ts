/**
 * Property: however a client mangles a valid update that writes a server-owned root (with an
 * honest edit to a shared root in the same update) — truncated at every byte, its delete set
 * corrupted, bytes flipped, garbage appended; as a sync update or a sync step 2; by one client or
 * two at once — a bystander never holds a forged value after any transaction it applies, the
 * stored document has none, the server's own copy is unchanged, and honest clients converge.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { seedMember } from '../fixtures/members';
import { startTestServer } from '../fixtures/server';
import { connectClient, waitFor, waitForSaved, waitForSynced } from '../fixtures/clients';
import { rawClient, syncStep1, syncStep2, syncUpdate, isSyncStep2 } from '../fixtures/raw-socket';
import {
	OWNED_ROOTS,
	deleteSetStart,
	forgedUpdate,
	ownedState,
	seedOwnedRoots,
	serverOwnedCopy,
	storedDocument,
	watchOwnedRoots,
	type ForgeryKind
} from '../fixtures/owned-roots';
import type { RunningServer } from '../../server/app';
import type { BoardConnection } from '../../src/lib/realtime/board-connection';
import { addAlly, readAllies } from '../../src/lib/shared/schema';

let server: RunningServer;
beforeAll(async () => {
	server = await startTestServer({ RATE_MESSAGES_PER_SECOND: '100000' });
});
afterAll(() => server.close());

/** Every mutation of `update` the property covers, named for the failure message. */
function mutations(update: Uint8Array, seed: number): { name: string; bytes: Uint8Array }[] {
	let state = seed;
	const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
	const cases: { name: string; bytes: Uint8Array }[] = [];
	for (let end = 1; end < update.length; end++)
		cases.push({ name: `truncated at ${end}`, bytes: update.slice(0, end) });
	const ds = deleteSetStart(update);
	const structs = update.slice(0, ds);
	const corruptDeleteSets: number[][] = [
		[0x05],
		[0x01],
		[0x01, 0x80],
		[0x02, 0x01, 0x01, 0x00, 0x01, 0x07],
		[0x01, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01, 0x00, 0xff, 0xff, 0xff, 0x7f],
		[...update.slice(ds), 0x03],
		update.slice(ds, ds + Math.max(1, Math.floor((update.length - ds) / 2))).length
			? [...update.slice(ds, ds + 1)]
			: [0x09]
	].map((tail) => [...tail]);
	for (const [index, tail] of corruptDeleteSets.entries()) {
		cases.push({
			name: `delete set corrupted (${index})`,
			bytes: new Uint8Array([...structs, ...tail])
		});
	}
	for (let position = 0; position < update.length; position += 5) {
		const flipped = update.slice();
		flipped[position] ^= 1 + Math.floor(random() * 255);
		cases.push({ name: `byte ${position} flipped`, bytes: flipped });
	}
	for (const length of [1, 3, 17]) {
		const garbage = Array.from({ length }, () => Math.floor(random() * 256));
		cases.push({
			name: `${length} bytes of garbage appended`,
			bytes: new Uint8Array([...update, ...garbage])
		});
	}
	cases.push({ name: 'sent twice in one message', bytes: new Uint8Array([...update, ...update]) });
	return cases;
}

/** Sends one frame on a new socket and waits until the server closed it or answered after it. */
async function sendOnce(room: Room, frame: Uint8Array): Promise<void> {
	const forger = rawClient(server.url, room.room, { headers: { cookie: room.cookie } });
	await forger.opened;
	forger.ws.send(frame);
	forger.ws.send(syncStep1(Y.encodeStateVector(room.bystander.doc)));
	await Promise.race([
		forger.closed,
		waitFor(() => forger.received.some(isSyncStep2) || !forger.isOpen, {
			what: 'the server to answer the forger'
		})
	]);
	forger.ws.terminate();
}

interface Room {
	room: string;
	bystander: BoardConnection;
	honest: BoardConnection;
	seen: string[];
	expected: ReturnType<typeof ownedState>;
	ownedCopy: Record<string, Record<string, string>>;
	cookie: string;
}

async function openRoom(room: string): Promise<Room> {
	const expected = await seedOwnedRoots(server, room);
	const ownedCopy = await serverOwnedCopy(server, room);
	const bystander = connectClient(server.url, room, {
		cookie: (await seedMember(server, room, { role: 'observer' })).cookie
	});
	const honest = connectClient(server.url, room, {
		cookie: (await seedMember(server, room, { role: 'participant' })).cookie
	});
	await Promise.all([waitForSynced(bystander), waitForSynced(honest)]);
	const seen = watchOwnedRoots(bystander.doc, expected);
	const cookie = (await seedMember(server, room, { role: 'participant' })).cookie;
	return { room, bystander, honest, seen, expected, ownedCopy, cookie };
}

async function expectHeld(room: Room, cases: number): Promise<void> {
	await waitForSaved(room.honest);
	await waitFor(
		() => readAllies(room.bystander.doc).length === readAllies(room.honest.doc).length,
		{
			what: 'the honest clients to converge'
		}
	);
	expect(cases).toBeGreaterThan(0);
	expect(room.seen, 'a bystander held a forged value').toEqual([]);
	expect(ownedState(room.bystander.doc)).toEqual(room.expected);
	expect(ownedState(await storedDocument(server, room.room))).toEqual(room.expected);
	expect(await serverOwnedCopy(server, room.room)).toEqual(room.ownedCopy);
	expect(Y.encodeStateVector(room.bystander.doc)).toEqual(Y.encodeStateVector(room.honest.doc));
	// The server's document converges with the honest clients, and what a later joiner is sent
	// (the state as the server encodes it) holds no forged owned value either. (It may hold fewer
	// values: some byte flips make Yjs integrate structs whose re-encoding no longer decodes whole,
	// a separate defect noted in the closing note of issue #11.)
	const live = await server.services.registry.open(room.room);
	const names = (doc: Y.Doc) =>
		readAllies(doc)
			.map((ally) => ally.name)
			.sort();
	expect(names(live.doc)).toEqual(names(room.honest.doc));
	const joiner = new Y.Doc();
	Y.applyUpdate(joiner, Y.encodeStateAsUpdate(live.doc));
	for (const [root, { map, listItems }] of Object.entries(ownedState(joiner))) {
		expect(listItems, root).toBe(0);
		expect(room.expected[root].map, root).toMatchObject(map as object);
	}
	room.bystander.destroy();
	room.honest.destroy();
}

const KINDS: ForgeryKind[] = ['set', 'delete', 'list'];

describe('mutated updates that write a server-owned root', () => {
	for (const root of OWNED_ROOTS) {
		it(`never leave a forged ${root} anywhere, from one client, as a sync update or a sync step 2`, async () => {
			const room = await openRoom(`mutations-${root}`);
			let count = 0;
			for (const [kindIndex, kind] of KINDS.entries()) {
				const base = Y.encodeStateAsUpdate(room.bystander.doc);
				const update = forgedUpdate(base, root, kind, `${root} ${kind}`);
				for (const [index, mutation] of mutations(
					update,
					kindIndex * 1000 + root.length
				).entries()) {
					const frame = index % 2 === 0 ? syncUpdate(mutation.bytes) : syncStep2(mutation.bytes);
					await sendOnce(room, frame);
					count++;
				}
				// Honest work goes on between the forgeries.
				addAlly(room.honest.doc, { name: `honnête ${root} ${kind}`, type: 'group' });
			}
			await expectHeld(room, count);
		});
	}

	it('never leave a forged value when two clients send mutated forgeries at the same moment', async () => {
		const room = await openRoom('mutations-two-at-once');
		let count = 0;
		for (const [rootIndex, root] of OWNED_ROOTS.entries()) {
			const base = Y.encodeStateAsUpdate(room.bystander.doc);
			const first = mutations(forgedUpdate(base, root, 'set', `a ${root}`), rootIndex);
			const second = mutations(
				forgedUpdate(
					base,
					OWNED_ROOTS[(rootIndex + 1) % OWNED_ROOTS.length],
					'delete',
					`b ${root}`
				),
				rootIndex + 50
			);
			for (let index = 0; index < Math.min(first.length, second.length); index += 3) {
				await Promise.all([
					sendOnce(room, syncUpdate(first[index].bytes)),
					sendOnce(room, syncStep2(second[index].bytes))
				]);
				count += 2;
			}
		}
		await expectHeld(room, count);
	});
});
