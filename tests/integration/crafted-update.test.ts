import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { memberCookie } from '../fixtures/members';
import { startTestServer } from '../fixtures/server';
import { connectBystanders, type Bystanders } from '../fixtures/bystanders';
import { connectClient, sleep, waitFor, waitForSynced } from '../fixtures/clients';
import {
	expectAnswered,
	openRawClient,
	syncStep2,
	syncUpdate,
	type RawClient
} from '../fixtures/raw-socket';
import type { RunningServer } from '../../server/app';
import { CloseCode } from '../../src/lib/shared/close-codes';
import { readAllies } from '../../src/lib/shared/schema';

/**
 * The 27-byte run-length payload from Yjs issue #687 (open): it hangs `Y.mergeUpdatesV2`,
 * `decodeUpdateV2`, `encodeStateVectorFromUpdateV2` and friends for more than 10 s. The server
 * must only ever hand client bytes to the V1 `Y.applyUpdate`, which rejects or ignores it in < 1 ms.
 */
const ISSUE_687 = new Uint8Array(
	Buffer.from('00010000000001000100010200001602000001fdffffffff7f0000', 'hex')
);

let server: RunningServer;
let bystanders: Bystanders | null = null;
const offenders: RawClient[] = [];

beforeAll(async () => {
	server = await startTestServer();
});
afterEach(() => {
	bystanders?.destroy();
	bystanders = null;
	for (const offender of offenders.splice(0)) offender.ws.terminate();
});
afterAll(async () => {
	await server.close();
});

/** Sends `frame` and returns the longest event-loop stall (ms) seen while the server handled it. */
async function sendAndMeasureStall(
	room: string,
	frame: Uint8Array
): Promise<{ offender: RawClient; stallMs: number }> {
	const offender = await openRawClient(server.url, room, {
		headers: { cookie: await memberCookie(server, room) }
	});
	offenders.push(offender);
	const histogram = monitorEventLoopDelay({ resolution: 10 });
	histogram.enable();
	try {
		offender.ws.send(frame);
		// Either the server closed the socket (1002) or it ignored the garbage and still answers.
		await Promise.race([offender.closed, expectAnswered(offender).catch(() => offender.closed)]);
	} finally {
		histogram.disable();
	}
	return { offender, stallMs: histogram.max / 1e6 };
}

describe('the Yjs #687 run-length payload', () => {
	it('really hangs Y.mergeUpdatesV2 (checked in a worker thread that is then terminated)', async () => {
		expect(ISSUE_687).toHaveLength(27);
		const worker = new Worker(
			`const Y = require('yjs');
			const { parentPort, workerData } = require('node:worker_threads');
			parentPort.postMessage('started');
			Y.mergeUpdatesV2([Y.encodeStateAsUpdateV2(new Y.Doc()), new Uint8Array(workerData)]);
			parentPort.postMessage('returned');`,
			{ eval: true, workerData: ISSUE_687 }
		);
		const messages: string[] = [];
		worker.on('message', (message: string) => messages.push(message));
		try {
			await waitFor(() => messages.includes('started'), { what: 'the worker to start' });
			await sleep(1000);
			expect(messages).toEqual(['started']);
		} finally {
			await worker.terminate();
		}
	});

	for (const [kind, encode] of [
		['sync update', syncUpdate],
		['sync step 2', syncStep2]
	] as const) {
		it(`is handled as a ${kind} without stalling the event loop or the room`, async () => {
			const room = `crafted-${kind.replace(/ /g, '-')}`;
			bystanders = await connectBystanders(server, room);
			const started = performance.now();
			const { offender, stallMs } = await sendAndMeasureStall(room, encode(ISSUE_687));
			expect(performance.now() - started).toBeLessThan(1000);
			expect(stallMs).toBeLessThan(1000);
			// Refused as malformed, or applied as the no-op it is in V1: never anything in between.
			if (!offender.isOpen) expect((await offender.closed).code).toBe(CloseCode.malformed);
			await bystanders.expectStillWorking();
			const late = connectClient(server.url, room, { cookie: memberCookie(server, room) });
			try {
				await waitForSynced(late);
				expect(readAllies(late.doc).map((ally) => ally.name)).toEqual(
					readAllies(bystanders.first.doc).map((ally) => ally.name)
				);
			} finally {
				late.destroy();
			}
		});
	}
});
