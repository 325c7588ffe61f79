import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import { freePort, tempDataDir, type ChildServer } from '../fixtures/server';
import { useChildServers } from '../fixtures/child-servers';
import { waitFor } from '../fixtures/clients';
import { memberCookie } from '../fixtures/members';
import {
	openRawClient,
	syncStep1,
	syncUpdate,
	yjsUrl,
	type RawClient
} from '../fixtures/raw-socket';
import { readMetrics } from '../fixtures/reliability';
import { connectCommands, type CommandClient } from '../../src/lib/realtime/commands';
import { ACK_PARAM, MessageType, SyncType } from '../../src/lib/shared/protocol';
import { addAlly } from '../../src/lib/shared/schema';

/** An SD card or a busy VPS: every fsync of the server takes this much longer. */
const FSYNC_DELAY_MS = Number(process.env.FSYNC_DELAY_MS ?? 50);
const SAMPLES = 200;
const WARMUP = 20;
/** Each sends as fast as the server acknowledges (IN_FLIGHT edits unacknowledged): full speed. */
const EDITORS = 2;
const IN_FLIGHT = 16;

const { start } = useChildServers();
const commandClients: CommandClient[] = [];
const rawClients: RawClient[] = [];
const editors: Editor[] = [];
afterEach(() => {
	for (const client of commandClients.splice(0)) client.destroy();
	for (const client of rawClients.splice(0)) client.ws.terminate();
	for (const editor of editors.splice(0)) editor.stop();
});

interface Editor {
	/** Edits the server acknowledged as committed. */
	readonly acked: number;
	/** Close codes the server sent. */
	readonly closes: number[];
	stop(): void;
}

/**
 * A thin client editing `room` as fast as the server acknowledges: each edit a new ally made in its
 * own Y.Doc, IN_FLIGHT unacknowledged at most. It ignores what others send, so that this process's
 * CPU goes to the measurements, not to replicas.
 */
async function startEditor(server: ChildServer, room: string): Promise<Editor> {
	const cookie = await memberCookie(server.dataDir, room);
	const ws = new WebSocket(yjsUrl(server.url, `${room}?${ACK_PARAM}=1`), { headers: { cookie } });
	const doc = new Y.Doc();
	let pending: Uint8Array | null = null;
	doc.on('update', (update: Uint8Array) => (pending = update));
	let sent = 0;
	let acked = 0;
	let stopped = false;
	const closes: number[] = [];
	const fill = () => {
		while (!stopped && ws.readyState === WebSocket.OPEN && sent - acked < IN_FLIGHT) {
			addAlly(doc, { name: `busy ${sent}`, type: 'group' });
			ws.send(syncUpdate(pending!));
			sent += 1;
		}
	};
	ws.on('message', (data: Buffer) => {
		if (data[0] !== MessageType.committed) return;
		const decoder = decoding.createDecoder(new Uint8Array(data));
		decoding.readVarUint(decoder);
		acked = decoding.readVarUint(decoder);
		fill();
	});
	ws.on('close', (code) => closes.push(code));
	ws.on('error', () => {});
	await new Promise((resolve) => ws.once('open', resolve));
	fill();
	const editor: Editor = {
		get acked() {
			return acked;
		},
		closes,
		stop() {
			stopped = true;
			ws.terminate();
		}
	};
	editors.push(editor);
	return editor;
}

/** Starts the busy room's editors; resolves once its commits are under way. */
async function editAtFullSpeed(server: ChildServer): Promise<Editor[]> {
	const busy = await Promise.all(
		Array.from({ length: EDITORS }, () => startEditor(server, 'busy-room'))
	);
	await waitFor(() => busy.every((editor) => editor.acked > 0), {
		what: 'the busy room to commit'
	});
	return busy;
}

const ackedBy = (busy: Editor[]) => busy.reduce((sum, editor) => sum + editor.acked, 0);

function p99(samples: number[]): number {
	const sorted = [...samples].sort((a, b) => a - b);
	return sorted[Math.ceil(sorted.length * 0.99) - 1];
}

const isSyncStep2 = (message: Uint8Array) =>
	message[0] === MessageType.sync && message[1] === SyncType.step2;

/** Sync step 1 → the server's step 2 on `/yjs`, once: milliseconds. */
function syncRoundTrip(client: RawClient): Promise<number> {
	return new Promise((resolve) => {
		const sent = performance.now();
		const onMessage = (data: Buffer, isBinary: boolean) => {
			if (!isBinary || !isSyncStep2(new Uint8Array(data))) return;
			client.ws.off('message', onMessage);
			resolve(performance.now() - sent);
		};
		client.ws.on('message', onMessage);
		client.ws.send(syncStep1());
	});
}

async function measure(times: number, once: () => Promise<number>): Promise<number[]> {
	const samples: number[] = [];
	for (let i = 0; i < times; i++) {
		samples.push(await once());
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
	return samples.slice(WARMUP);
}

describe(`a disk whose every fsync takes ${FSYNC_DELAY_MS} ms`, () => {
	// The target is 20 ms p99 on a quiet machine; here other test files share the two cores, so
	// the bound is what the change is about: nothing of the quiet room waits for a commit (one fsync,
	// 50 ms). Before the writer thread: 162-376 ms p99. The figures are printed for the closing note.
	it("delays only what waits for it: another room's sync round trip and a Socket.IO command stay under one fsync p99 while a room edits at full speed", async () => {
		const server = await start(
			{
				PORT: String(await freePort()),
				DATA_DIR: tempDataDir(),
				RATE_MESSAGES_PER_SECOND: '100000'
			},
			{ fsyncDelayMs: FSYNC_DELAY_MS || undefined }
		);
		const cookie = await memberCookie(server.dataDir, 'quiet-room');
		const quiet = await openRawClient(server.url, 'quiet-room', { headers: { cookie } });
		rawClients.push(quiet);
		const commands = connectCommands({
			origin: server.url,
			workshopId: 'quiet-room',
			extraHeaders: { cookie }
		});
		commandClients.push(commands);
		await new Promise((resolve, reject) => {
			commands.socket.once('connect', () => resolve(null));
			commands.socket.once('connect_error', reject);
		});

		const busy = await editAtFullSpeed(server);
		await readMetrics(server.url, { reset: true });
		const ackedBefore = ackedBy(busy);
		const [sync, command] = await Promise.all([
			measure(SAMPLES, () => syncRoundTrip(quiet)),
			measure(SAMPLES, async () => {
				const sent = performance.now();
				const reply = await commands.socket.timeout(5000).emitWithAck('time:sync');
				expect(reply.ok).toBe(true);
				return performance.now() - sent;
			})
		]);
		const metrics = await readMetrics(server.url);
		const ackedDuring = ackedBy(busy) - ackedBefore;

		console.info(
			`slow disk (fsync +${FSYNC_DELAY_MS} ms): quiet room sync p99 ${p99(sync).toFixed(2)} ms, ` +
				`time:sync p99 ${p99(command).toFixed(2)} ms; busy room: ${ackedDuring} edits acknowledged, ` +
				`commit p50/p99 ${metrics.commitMs?.p50}/${metrics.commitMs?.p99} ms, ` +
				`event loop delay p99/max ${metrics.eventLoopDelayP99Ms}/${metrics.eventLoopDelayMaxMs} ms`
		);
		// The disk really is slow, and the busy room kept committing throughout.
		expect(metrics.commitMs!.p50).toBeGreaterThanOrEqual(FSYNC_DELAY_MS);
		expect(ackedDuring).toBeGreaterThan(100);
		const bound = Math.max(FSYNC_DELAY_MS, 20);
		expect(p99(sync)).toBeLessThan(bound);
		expect(p99(command)).toBeLessThan(bound);
	}, 120_000);

	it("neither fails nor fails the room's commits when other tables are written while the room edits at full speed", async () => {
		const server = await start(
			{
				PORT: String(await freePort()),
				DATA_DIR: tempDataDir(),
				RATE_MESSAGES_PER_SECOND: '100000'
			},
			{ fsyncDelayMs: FSYNC_DELAY_MS || undefined }
		);
		const cookie = await memberCookie(server.dataDir, 'busy-room');
		const commands = connectCommands({
			origin: server.url,
			workshopId: 'busy-room',
			extraHeaders: { cookie }
		});
		commandClients.push(commands);
		await new Promise((resolve) => commands.socket.once('connect', () => resolve(null)));

		const busy = await editAtFullSpeed(server);
		// Each one changes the document (the writer thread) and stores its result (the main connection).
		const replies: unknown[] = [];
		for (let i = 0; i < 30; i++) {
			const payload = { wording: `Proposition ${i}`, rationale: '', key: `slow-disk-${i}-key` };
			replies.push(await commands.socket.timeout(10_000).emitWithAck('proposal:add', payload));
			await new Promise((resolve) => setTimeout(resolve, 20));
		}
		expect(replies.filter((reply) => !(reply as { ok: boolean }).ok)).toEqual([]);
		expect(busy.flatMap((editor) => editor.closes)).toEqual([]);
		expect(server.output()).not.toMatch(/SQLITE_BUSY|database is locked/);
	}, 120_000);
	it('writes the other tables (command results, sessions) without an fsync on the event loop', async () => {
		// A disk so slow that one fsync on the event loop would dwarf any stall the machine's load
		// makes (up to 240 ms seen with five engineers' test runs sharing the cores): the loop's worst delay over
		// five commands that each store their result tells.
		const slowMs = 1000;
		const server = await start(
			{ PORT: String(await freePort()), DATA_DIR: tempDataDir() },
			{ fsyncDelayMs: slowMs }
		);
		const cookie = await memberCookie(server.dataDir, 'quiet-room');
		const commands = connectCommands({
			origin: server.url,
			workshopId: 'quiet-room',
			extraHeaders: { cookie }
		});
		commandClients.push(commands);
		await new Promise((resolve) => commands.socket.once('connect', () => resolve(null)));
		await readMetrics(server.url, { reset: true });
		for (let i = 0; i < 5; i++) {
			const payload = { wording: `Proposition ${i}`, rationale: '', key: `main-write-${i}-key` };
			const reply = await commands.socket.timeout(10_000).emitWithAck('proposal:add', payload);
			expect(reply).toMatchObject({ ok: true });
		}
		const metrics = await readMetrics(server.url);
		console.info(
			`slow disk (fsync +${slowMs} ms): event loop delay max over 5 stored commands ` +
				`${metrics.eventLoopDelayMaxMs} ms`
		);
		expect(metrics.eventLoopDelayMaxMs).toBeLessThan(slowMs / 2);
	}, 120_000);
});
