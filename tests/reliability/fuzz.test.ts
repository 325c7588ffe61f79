/**
 * The fuzzer: malformed input on every way into the built server, in a child process. Realtime
 * connections have no sessions yet (the accounts work has not reached /yjs or Socket.IO: every
 * upgrade with an allowed Origin is accepted), so "before and after authentication" means here:
 * before the WebSocket handshake completes (bad upgrade requests, bad paths, bad headers, bytes
 * that are not HTTP) and after the socket is open (bad WebSocket framing, y-websocket frames,
 * engine.io/Socket.IO packets before and after joining the namespace, the polling transport).
 *
 * Every input must be refused (an HTTP error, a close) or ignored (the socket still answers)
 * within HANG_MS; the process never exits; bystanders in the fuzzed room, in another room and on
 * Socket.IO keep working; the server's worst event-loop delay stays under HANG_MS and is
 * recorded for the benchmark results (bench/raw/fuzz-loop-delay.json, target 50 ms).
 * `FUZZ_SEED=<n>` replays the same inputs.
 */
import os from 'node:os';
import { memberCookie } from '../fixtures/members';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import {
	freePort,
	spawnServer,
	tempDataDir,
	type ChildServer,
	dataDirOf
} from '../fixtures/server';
import { connectBystanders, type Bystanders } from '../fixtures/bystanders';
import { connectClient, waitForSynced } from '../fixtures/clients';
import { seededRandom } from '../fixtures/storm';
import { mutate, socketIoPackets, validYjsMessages, yjsFrames } from '../fixtures/fuzz-inputs';
import { Fuzzer } from '../fixtures/fuzzer';
import * as Y from 'yjs';
import {
	OWNED_ROOTS,
	forgedUpdate,
	ownedState,
	watchOwnedRoots,
	type ForgeryKind
} from '../fixtures/owned-roots';
import { syncStep2, syncUpdate } from '../fixtures/raw-socket';
import {
	byMode,
	contentOf,
	countLogMessages,
	readMetrics,
	recordFuzzLoopDelay,
	serverWarnings
} from '../fixtures/reliability';
import { loadConfig } from '../../server/config';
import type { ClientToServerEvents, ServerToClientEvents } from '../../src/lib/shared/events';

// Quick mode (in `npm test`) replays one fixed seed so CI is deterministic; the long mode draws a
// new one each run. Seed 1517018295 once failed in the long mode (a bystander's Yjs threw "Unexpected
// case" after a mutated sync message); replayed since (long mode, before and after the server-owned
// roots change) it passed: the failure depends on timing, not only on the inputs.
const SEED = process.env.FUZZ_SEED
	? Number(process.env.FUZZ_SEED)
	: byMode(20261126, Math.floor(Math.random() * 2 ** 31));
/** Random mutations of valid y-websocket messages. */
const MUTATIONS = byMode(2000, 20_000);
/** Random mutations of valid updates that write a server-owned root. */
const OWNED_MUTATIONS = byMode(600, 6000);
/** How many times the other generators run (each run draws new random inputs). */
const ROUNDS = byMode(2, 10);
const HANG_MS = 1000;
const ROOM = 'fuzz';
const TIMEOUT = byMode(120_000, 900_000);

let env: Record<string, string>;
let server: ChildServer;
let fuzzer: Fuzzer;
let bystanders: Bystanders;
let commands: Socket<ServerToClientEvents, ClientToServerEvents>;
const random = seededRandom(SEED);

beforeAll(async () => {
	env = { PORT: String(await freePort()), DATA_DIR: tempDataDir() };
	server = await spawnServer(env);
	fuzzer = new Fuzzer(server, {
		room: ROOM,
		seed: SEED,
		random,
		hangMs: HANG_MS,
		patienceMs: 5000
	});
	bystanders = await connectBystanders(server, ROOM);
	commands = io(server.url, {
		transports: ['websocket'],
		reconnection: false,
		query: { workshop: ROOM },
		extraHeaders: { cookie: await memberCookie(dataDirOf(server.url), ROOM) }
	});
	await new Promise<void>((resolve, reject) => {
		commands.once('connect', resolve);
		commands.once('connect_error', reject);
	});
	// The worst delay is measured from here: startup (loading the app) is not the fuzzer's.
	await readMetrics(server.url, { reset: true });
	console.info(`fuzz seed ${SEED} (replay: FUZZ_SEED=${SEED})`);
}, 60_000);

afterAll(() => {
	bystanders?.destroy();
	commands?.disconnect();
	server?.process.kill('SIGKILL');
});

/** The process is alive, nobody else was disconnected, and every kind of client is still served. */
async function expectUnaffected(): Promise<void> {
	expect(server.process.exitCode).toBe(null);
	expect(server.process.signalCode).toBe(null);
	await bystanders.expectStillWorking();
	expect(commands.connected).toBe(true);
	const answer = await commands.timeout(5000).emitWithAck('time:sync');
	expect(answer.ok).toBe(true);
}

describe(`the fuzzer (seed ${SEED})`, () => {
	it(
		'refuses malformed upgrade requests and bad WebSocket framing before and right after the handshake',
		async () => {
			const problems: string[] = [];
			for (let round = 0; round < ROUNDS; round++) {
				problems.push(...(await fuzzer.handshakes()), ...(await fuzzer.framing()));
			}
			console.info(`fuzz handshakes: ${JSON.stringify(fuzzer.statuses)}`);
			expect(problems, `seed ${SEED}`).toEqual([]);
			await expectUnaffected();
		},
		TIMEOUT
	);

	it(
		'closes only the offending /yjs socket for random bytes, bad varints, huge lengths, text, bad awareness and the #687 payload',
		async () => {
			const problems: string[] = [];
			// The server's default cap (MAX_MESSAGE_BYTES), which the child server runs with.
			const { maxMessageBytes } = loadConfig({}).limits;
			for (let round = 0; round < ROUNDS; round++) {
				problems.push(...(await fuzzer.yjs(yjsFrames(random, maxMessageBytes))));
			}
			expect(problems, `seed ${SEED}`).toEqual([]);
			await expectUnaffected();
		},
		TIMEOUT
	);

	it(
		'closes only the offending /yjs socket, or ignores the frame, for random mutations of valid sync messages',
		async () => {
			const valid = validYjsMessages();
			const any = () => valid[Math.floor(random() * valid.length)];
			const cases = Array.from({ length: MUTATIONS }, () => mutate(random, any(), any()));
			const problems = await fuzzer.yjs(cases);
			expect(problems, `seed ${SEED}`).toEqual([]);
			await expectUnaffected();
		},
		TIMEOUT
	);

	it(
		'never lets a bystander or a new reader see a forged owned root, for random mutations of updates that write each one',
		async () => {
			// What the server wrote into the owned roots; nothing the fuzzer sends may change it.
			const expected = ownedState(bystanders.first.doc);
			const seen = watchOwnedRoots(bystanders.first.doc, expected);
			const base = Y.encodeStateAsUpdate(bystanders.first.doc);
			const kinds: ForgeryKind[] = ['set', 'delete', 'list'];
			const forged = OWNED_ROOTS.flatMap((root) =>
				kinds.flatMap((kind) => {
					const update = forgedUpdate(base, root, kind, `fuzz ${root} ${kind}`);
					return [syncUpdate(update), syncStep2(update)];
				})
			);
			const any = () => forged[Math.floor(random() * forged.length)];
			const cases = Array.from({ length: OWNED_MUTATIONS }, () => {
				const mutation = mutate(random, any(), any());
				return { ...mutation, kind: `owned roots: ${mutation.kind}` };
			});
			const problems = await fuzzer.yjs(cases);
			expect(problems, `seed ${SEED}`).toEqual([]);
			await expectUnaffected();
			console.info(
				`fuzz: ${cases.length} mutations aimed at owned roots (seed ${SEED}); forged values seen: ${seen.length}`
			);
			expect(seen, `seed ${SEED}: a bystander held a forged owned root`).toEqual([]);
			expect(ownedState(bystanders.first.doc)).toEqual(expected);
			const reader = connectClient(server.url, ROOM, {
				cookie: memberCookie(dataDirOf(server.url), ROOM)
			});
			try {
				await waitForSynced(reader);
				expect(ownedState(reader.doc)).toEqual(expected);
			} finally {
				reader.destroy();
			}
		},
		TIMEOUT
	);

	it(
		'survives Socket.IO garbage before and after joining the namespace, over WebSocket and polling',
		async () => {
			const problems: string[] = [];
			for (let round = 0; round < ROUNDS; round++) {
				problems.push(...(await fuzzer.socketIo(socketIoPackets(random, false), false)));
				problems.push(...(await fuzzer.socketIo(socketIoPackets(random, true), true)));
				problems.push(...(await fuzzer.polling()));
			}
			expect(problems, `seed ${SEED}`).toEqual([]);
			await expectUnaffected();
		},
		TIMEOUT
	);

	it(
		'never blocked the event loop for 1 s, never exited, and restarts cleanly with the fuzzed rooms intact',
		async () => {
			const { stalled, slowest } = fuzzer;
			// Since the last input's reading (the bystanders' checks), next to the worst of every input's.
			const { eventLoopDelayMaxMs } = await readMetrics(server.url);
			if (eventLoopDelayMaxMs > stalled.ms) {
				Object.assign(stalled, { ms: eventLoopDelayMaxMs, kind: 'the bystanders’ checks' });
			}
			const round = (ms: number) => Math.round(ms * 10) / 10;
			const warnings = countLogMessages(serverWarnings(server.output()));
			console.info(
				`fuzz: ${fuzzer.sent} inputs (seed ${SEED}); worst event-loop delay ${round(stalled.ms)} ms during ` +
					`${stalled.kind} (target 50 ms, limit ${HANG_MS} ms); slowest input ${round(slowest.ms)} ms: ` +
					`${slowest.kind}; warnings: ${JSON.stringify(warnings)}`
			);
			// A single worst reading can be the machine's doing (other processes on two cores): the
			// percentiles over inputs and the load average put it in context.
			const delays = [...fuzzer.loopDelays].sort((a, b) => a - b);
			const percentile = (p: number) =>
				round(delays[Math.min(delays.length - 1, Math.floor(delays.length * p))] ?? 0);
			recordFuzzLoopDelay({
				max_loop_delay_ms: round(stalled.ms),
				max_loop_delay_input: stalled.kind,
				per_input_loop_delay_p50_ms: percentile(0.5),
				per_input_loop_delay_p99_ms: percentile(0.99),
				load_average_1m: round(os.loadavg()[0]),
				slowest_input_ms: round(slowest.ms),
				slowest_input: slowest.kind,
				inputs: fuzzer.sent,
				seed: SEED
			});
			expect(fuzzer.sent).toBeGreaterThan(MUTATIONS);
			expect(stalled.ms).toBeLessThan(HANG_MS);
			expect(server.process.exitCode).toBe(null);

			// What the fuzzed room holds in memory is what a restarted server loads from disk.
			const before = contentOf(bystanders.first.doc);
			bystanders.destroy();
			server.process.kill('SIGTERM');
			expect(await server.exited).toEqual({ code: 0, signal: null });
			server = await spawnServer(env);
			const reader = connectClient(server.url, ROOM, {
				cookie: memberCookie(dataDirOf(server.url), ROOM)
			});
			const fresh = connectClient(server.url, `fuzz-fresh-${fuzzer.freshRooms}`, {
				cookie: memberCookie(dataDirOf(server.url), `fuzz-fresh-${fuzzer.freshRooms}`)
			});
			try {
				await Promise.all([waitForSynced(reader), waitForSynced(fresh)]);
				expect(contentOf(reader.doc)).toBe(before);
			} finally {
				reader.destroy();
				fresh.destroy();
			}
		},
		TIMEOUT
	);
});
