import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { memberCookie } from '../fixtures/members';
import { startTestServer } from '../fixtures/server';
import { connectBystanders, type Bystanders } from '../fixtures/bystanders';
import {
	awarenessMessage,
	closedWithin,
	openRawClient,
	syncStep1,
	syncUpdate,
	upgradeStatus
} from '../fixtures/raw-socket';
import type { RunningServer } from '../../server/app';
import { CloseCode } from '../../src/lib/shared/close-codes';
import { addAlly, readAllies } from '../../src/lib/shared/schema';

let server: RunningServer;
let bystanders: Bystanders | null = null;
let rooms = 0;

beforeAll(async () => {
	server = await startTestServer();
});
afterEach(() => {
	bystanders?.destroy();
	bystanders = null;
});
afterAll(async () => {
	await server.close();
});

/** Sends `frame` from a raw socket next to well-behaved clients; returns the close code it got. */
async function sendFromOffender(frame: Uint8Array | string): Promise<number> {
	const room = `malformed-${++rooms}`;
	bystanders = await connectBystanders(server, room);
	const offender = await openRawClient(server.url, room, {
		headers: { cookie: await memberCookie(server, room) }
	});
	offender.ws.send(frame);
	const { code } = await closedWithin(offender);
	return code;
}

/** Deterministic noise (xorshift32), so a failure can be replayed byte for byte. */
function noise(length: number, seed = 0x9e3779b9): Uint8Array {
	const bytes = new Uint8Array(length);
	let state = seed;
	for (let i = 0; i < length; i++) {
		state ^= state << 13;
		state ^= state >>> 17;
		state ^= state << 5;
		bytes[i] = state & 0xff;
	}
	return bytes;
}

function validDoc(): Y.Doc {
	const doc = new Y.Doc();
	addAlly(doc, { name: 'Réseau des radios communautaires', type: 'association' });
	return doc;
}

describe('frames that do not decode as the y-websocket protocol', () => {
	it('closes a socket that sends random bytes with 1002 and leaves everyone else connected', async () => {
		expect(await sendFromOffender(noise(96))).toBe(CloseCode.malformed);
		await bystanders!.expectStillWorking();
	});

	it('closes a socket that sends a sync message cut off before its sub-type with 1002', async () => {
		expect(await sendFromOffender(new Uint8Array([0]))).toBe(CloseCode.malformed);
		await bystanders!.expectStillWorking();
	});

	it('closes a socket that sends a varint cut off mid-number with 1002', async () => {
		expect(await sendFromOffender(new Uint8Array([0, 2, 0xff]))).toBe(CloseCode.malformed);
		await bystanders!.expectStillWorking();
	});

	it('closes a socket that sends an unknown message type with 1002', async () => {
		expect(await sendFromOffender(new Uint8Array([42, 0, 0]))).toBe(CloseCode.malformed);
		await bystanders!.expectStillWorking();
	});

	it('closes a socket whose sync update declares far more bytes than the frame holds with 1002', async () => {
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, 0);
		encoding.writeVarUint(encoder, 2);
		encoding.writeVarUint(encoder, 2 ** 31);
		encoding.writeUint8Array(encoder, new Uint8Array(16));
		expect(await sendFromOffender(encoding.toUint8Array(encoder))).toBe(CloseCode.malformed);
		await bystanders!.expectStillWorking();
	});

	it('closes a socket whose sync step 1 carries a truncated state vector with 1002', async () => {
		const stateVector = Y.encodeStateVector(validDoc());
		expect(await sendFromOffender(syncStep1(stateVector.slice(0, stateVector.length - 2)))).toBe(
			CloseCode.malformed
		);
		await bystanders!.expectStillWorking();
	});

	it('closes a socket whose presence update is not JSON with 1002', async () => {
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, 1); // one entry
		encoding.writeVarUint(encoder, 1234); // client id
		encoding.writeVarUint(encoder, 1); // clock
		encoding.writeVarString(encoder, '{"user": {"name": ');
		expect(await sendFromOffender(awarenessMessage(encoding.toUint8Array(encoder)))).toBe(
			CloseCode.malformed
		);
		await bystanders!.expectStillWorking();
	});

	it('closes a socket whose Yjs update fails to apply with 1002 and stores nothing from it', async () => {
		const update = Y.encodeStateAsUpdate(validDoc());
		const truncated = update.slice(0, update.length - 3);
		expect(await sendFromOffender(syncUpdate(truncated))).toBe(CloseCode.malformed);
		await bystanders!.expectStillWorking();
		const stored = await server.services.storage.loadDocument(`malformed-${rooms}`);
		const replay = new Y.Doc();
		for (const row of stored.updates) Y.applyUpdate(replay, row.data);
		const names = readAllies(replay).map((ally) => ally.name);
		expect(names).toHaveLength(1);
		expect(names[0]).toMatch(/^Still working/);
	});
});

describe('frames the server does not accept at all', () => {
	it('closes a socket that sends a text frame with 1003', async () => {
		expect(await sendFromOffender('{"type":"sync"}')).toBe(CloseCode.textFrame);
		await bystanders!.expectStillWorking();
	});

	it('closes a socket that sends a frame above MAX_MESSAGE_BYTES with 1009', async () => {
		const oversized = new Uint8Array(server.services.config.limits.maxMessageBytes + 1);
		expect(await sendFromOffender(oversized)).toBe(CloseCode.tooLarge);
		await bystanders!.expectStillWorking();
	});
});

describe('document names in the upgrade URL', () => {
	it('refuses names with characters outside [A-Za-z0-9_-] with HTTP 400', async () => {
		expect(await upgradeStatus(server.url, 'bad%20name')).toBe(400);
		expect(await upgradeStatus(server.url, 'caf%C3%A9')).toBe(400);
	});

	it('refuses a name longer than 64 characters with HTTP 400 and accepts one of exactly 64', async () => {
		expect(await upgradeStatus(server.url, 'a'.repeat(65))).toBe(400);
		const longest = await openRawClient(server.url, 'a'.repeat(64), {
			headers: { cookie: await memberCookie(server, 'a'.repeat(64)) }
		});
		longest.ws.close();
	});

	it('refuses an empty name and broken percent-encoding with HTTP 400', async () => {
		expect(await upgradeStatus(server.url, '')).toBe(400);
		expect(await upgradeStatus(server.url, 'room%E0%A4%A')).toBe(400);
	});
});
