/**
 * The soak: many connections in a few rooms with a steady trickle of edits and presence, against
 * the built server in a child process started with a GC hook (tests/fixtures/gc-on-signal.cjs).
 * No connection may close or fail, the server logs no warning, every room converges, and the
 * server's RSS after a forced GC at the end stays within 10% of its RSS after a GC at the end of
 * the warm-up: every connection open, the rooms holding their documents, and the trickle running
 * long enough for V8 to size its heap under this load (3 s quick; 30 s long, where RSS was
 * measured climbing ~10 MiB over the first 20 s and then ~0.5 MiB per 10 s).
 */
import { memberCookie } from '../fixtures/members';
import { afterEach, describe, expect, it } from 'vitest';
import {
	freePort,
	spawnServer,
	tempDataDir,
	type ChildServer,
	dataDirOf
} from '../fixtures/server';
import { connectClient, sleep, waitFor, waitForSaved, waitForSynced } from '../fixtures/clients';
import { seededRandom } from '../fixtures/storm';
import {
	allowManyProviders,
	byMode,
	contentOf,
	forceGc,
	GC_ENV,
	readMetrics,
	serverWarnings
} from '../fixtures/reliability';
import type { BoardConnection } from '../../src/lib/realtime/board-connection';
import {
	addAlly,
	ALLY_TYPES,
	readAllies,
	removeAlly,
	renameAlly
} from '../../src/lib/shared/schema';

allowManyProviders();

const CONNECTIONS = byMode(200, 500);
const ROOMS = byMode(4, 20);
const WARMUP_MS = byMode(3000, 30_000);
const SOAK_MS = byMode(10_000, 60_000);
/** Edits per second across all rooms, and as many presence updates. */
const RATE = byMode(20, 50);
/** Allies a room holds at most: past it the trickle removes one for each it adds. */
const MAX_ALLIES = 30;
const MiB = 1024 * 1024;

const children: ChildServer[] = [];
const clients: BoardConnection[] = [];

afterEach(() => {
	for (const client of clients.splice(0)) client.destroy();
	for (const child of children.splice(0)) child.process.kill('SIGKILL');
});

/** Every 1000 / RATE ms, one random client edits its room and another moves its pointer. */
function startTrickle(random: () => number): { stop(): void; edits: number } {
	const pick = () => clients[Math.floor(random() * clients.length)];
	const state = { edits: 0, stop: () => clearInterval(timer) };
	const timer = setInterval(() => {
		const editor = pick();
		const allies = readAllies(editor.doc);
		if (allies.length >= MAX_ALLIES) removeAlly(editor.doc, allies[0].id);
		if (allies.length > 0 && random() < 0.4) {
			renameAlly(
				editor.doc,
				allies[Math.floor(random() * allies.length)].id,
				`Renamed ${state.edits}`
			);
		} else {
			const type = ALLY_TYPES[state.edits % ALLY_TYPES.length];
			addAlly(editor.doc, { name: `Ally ${state.edits}`, type });
		}
		state.edits += 1;
		const pointer = { x: Math.floor(random() * 1000), y: state.edits };
		pick().provider.awareness.setLocalStateField('pointer', pointer);
	}, 1000 / RATE);
	return state;
}

describe('a soak', () => {
	it(
		`serves ${CONNECTIONS} connections in ${ROOMS} rooms with edits and presence for ${SOAK_MS / 1000} s ` +
			'without an error, and its memory comes back',
		async () => {
			const env = { PORT: String(await freePort()), DATA_DIR: tempDataDir(), ...GC_ENV };
			const server = await spawnServer(env);
			children.push(server);
			const incidents: string[] = [];
			// One member per room, seeded before anyone edits (the seeding writes to the same database).
			const cookies: string[] = [];
			for (let room = 0; room < ROOMS; room++)
				cookies.push(await memberCookie(dataDirOf(server.url), `soak-${room}`));
			for (let i = 0; i < CONNECTIONS; i++) {
				const client = connectClient(server.url, `soak-${i % ROOMS}`, {
					cookie: cookies[i % ROOMS]
				});
				const closed = (event: CloseEvent | null) =>
					incidents.push(`client ${i} closed: ${event?.code}`);
				client.provider.on('connection-close', closed);
				client.provider.on('connection-error', () => incidents.push(`client ${i} failed`));
				clients.push(client);
			}
			await Promise.all(clients.map((client) => waitForSynced(client, 60_000)));
			expect(incidents).toEqual([]);

			const trickle = startTrickle(seededRandom(7));
			await sleep(WARMUP_MS);
			const warm = {
				...(await forceGc(server)),
				...(await readMetrics(server.url, { reset: true }))
			};
			// Memory after a GC every 10 s: the trend, not just the two ends.
			const trend = [warm.rssBytes];
			let eventLoopDelayMaxMs = 0;
			for (let left = SOAK_MS; left > 0; left -= 10_000) {
				await sleep(Math.min(left, 10_000));
				// Read before the forced GC, which blocks the event loop by design.
				eventLoopDelayMaxMs = Math.max(
					eventLoopDelayMaxMs,
					(await readMetrics(server.url)).eventLoopDelayMaxMs
				);
				if (left > 10_000) {
					await forceGc(server);
					trend.push((await readMetrics(server.url, { reset: true })).rssBytes);
				}
			}
			trickle.stop();
			await Promise.all(clients.map((client) => waitForSaved(client, 30_000)));
			const rooms = Array.from({ length: ROOMS }, (_, room) =>
				clients.filter((_, i) => i % ROOMS === room)
			);
			const converged = (members: BoardConnection[]) =>
				members.every((client) => contentOf(client.doc) === contentOf(members[0].doc));
			// Asserted below, with a diff, if it never happens.
			await waitFor(() => rooms.every(converged), {
				what: 'every room to converge',
				timeout: 30_000
			}).catch(() => {});
			const end = { ...(await forceGc(server)), ...(await readMetrics(server.url)) };
			trend.push(end.rssBytes);
			const mib = (bytes: number) => (bytes / MiB).toFixed(1);

			console.info(
				`soak: ${CONNECTIONS} connections in ${ROOMS} rooms, ${trickle.edits} edits and as many ` +
					`presence updates in ${(WARMUP_MS + SOAK_MS) / 1000} s; server RSS after GC ` +
					`${trend.map(mib).join(' → ')} MiB from the warm-up to the end ` +
					`(${(((end.rssBytes - warm.rssBytes) / warm.rssBytes) * 100).toFixed(1)}%), ` +
					`JS heap ${mib(warm.heapUsed)} → ${mib(end.heapUsed)} MiB (of ${mib(warm.heapTotal)} → ` +
					`${mib(end.heapTotal)}), external ${mib(warm.external)} → ${mib(end.external)} MiB; ` +
					`worst event-loop delay ${eventLoopDelayMaxMs.toFixed(1)} ms; ${end.yjsConnections} connections open`
			);
			expect(incidents).toEqual([]);
			expect(serverWarnings(server.output())).toEqual([]);
			expect(end.yjsConnections).toBe(CONNECTIONS);
			for (const members of rooms) {
				for (const client of members) expect(contentOf(client.doc)).toBe(contentOf(members[0].doc));
			}
			expect(trickle.edits).toBeGreaterThan(((WARMUP_MS + SOAK_MS) / 1000) * RATE * 0.5);
			expect(end.rssBytes).toBeLessThanOrEqual(warm.rssBytes * 1.1);
		},
		byMode(120_000, 600_000)
	);
});
