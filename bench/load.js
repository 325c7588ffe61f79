// The load generator: thin protocol clients. Each sender builds its edits in a small Y.Doc of its own
// (a new key in a map, so every edit is independent of everyone else's); receivers never build a
// Y.Doc: they find the edit's marker (`~e<id>~`) in the bytes of the update.
// Protocols: 'coalition-board' (y-websocket protocol on /yjs/<room>, `?ack=1` for commit acks),
// 'y-websocket' (the reference server: /<room>, no acks) and 'hocuspocus' (./hocuspocus-client.js).
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import { scanMarkers, markerFor } from './markers.js';
import { HocuspocusThinClient } from './hocuspocus-client.js';

// The peers run from bench/node_modules: the clients must use that same yjs (one instance).
if (!import.meta.resolve('yjs').startsWith(new URL('./node_modules/', import.meta.url).href)) {
	throw new Error(
		'bench/node_modules is missing: run `npm ci --prefix bench` (npm run bench does it)'
	);
}

const SYNC = 0;
const STEP1 = 0;
const STEP2 = 1;
const UPDATE = 2;
const COMMITTED = 100;

/**
 * A thin client of `protocol` in `room`; `acks` asks our server for commit acknowledgements;
 * `cookie` is the session of a member of the room (our server refuses anyone else).
 */
export function connect(protocol, url, room, { acks = false, cookie = null } = {}) {
	if (protocol === 'hocuspocus') return new HocuspocusThinClient(url, room);
	if (protocol === 'y-websocket') return new ThinClient(`${toWs(url)}/${room}`);
	return new ThinClient(`${toWs(url)}/yjs/${room}${acks ? '?ack=1' : ''}`, cookie);
}

/** The session cookie for `room` (seeded before any client of it connects), or null. */
async function cookieOf(cookieFor, room) {
	return cookieFor ? cookieFor(room) : null;
}

/** Fixed offered load: every client makes 1 edit per second with seeded random arrivals. */
export async function runLatencyCase({
	protocol,
	url,
	rooms,
	clientsPerRoom,
	seconds,
	warmup,
	seed,
	metricsUrl,
	cpuSeconds,
	dbCpuSeconds,
	cookieFor
}) {
	const random = mulberry32(seed);
	const clients = [];
	for (let r = 0; r < rooms; r++) {
		const room = `bench-${seed}-${r}`;
		const cookie = await cookieOf(cookieFor, room);
		for (let c = 0; c < clientsPerRoom; c++) clients.push(connect(protocol, url, room, { cookie }));
	}
	await Promise.all(clients.map((client) => client.ready));
	const edits = new Map(); // id -> { sentAt, sender, pending, measured }
	let nextId = 1;
	let measuring = false;
	const latencies = [];
	let bytes = 0;
	let measuredEdits = 0;
	let measuredPending = 0;
	for (const client of clients) {
		client.onEdit = (id, at) => {
			const edit = edits.get(id);
			if (!edit || edit.sender === client) return; // the peers echo edits to their sender too
			edit.pending -= 1;
			if (edit.pending === 0) {
				edits.delete(id);
				if (edit.measured) {
					latencies.push(at - edit.sentAt);
					measuredPending -= 1;
				}
			}
		};
		client.onBytes = (n) => {
			if (measuring) bytes += n;
		};
	}
	await fetchMetrics(metricsUrl, true);
	const end = performance.now() + (warmup + seconds) * 1000;
	const measureFrom = performance.now() + warmup * 1000;
	let cpuAtStart = 0;
	let dbCpuAtStart = 0;
	let generatorAtStart = null;
	await Promise.all(
		clients.map(async (client) => {
			let at = performance.now() + exponential(random) * 1000;
			while (at < end) {
				await sleepUntil(at);
				if (!measuring && performance.now() >= measureFrom) {
					measuring = true;
					cpuAtStart = cpuSeconds?.() ?? 0;
					dbCpuAtStart = dbCpuSeconds?.() ?? 0;
					generatorAtStart = process.cpuUsage();
				}
				const id = nextId++;
				edits.set(id, {
					sentAt: performance.now(),
					sender: client,
					pending: clientsPerRoom - 1,
					measured: measuring
				});
				if (measuring) {
					measuredEdits += 1;
					measuredPending += 1;
				}
				bytes += client.edit(id);
				at += exponential(random) * 1000;
			}
		})
	);
	// Let the last edits arrive: done when every measured edit reached all its peers, or after 5 s
	// (what is still missing then counts against delivered_ratio, not in the latencies).
	const drainUntil = performance.now() + 5000;
	while (measuredPending > 0 && performance.now() < drainUntil) await sleep(20);
	const cpu_s = (cpuSeconds?.() ?? 0) - cpuAtStart;
	// Ours on PostgreSQL: the CPU its database backends spent over the same window.
	const db_cpu_s = dbCpuSeconds ? dbCpuSeconds() - dbCpuAtStart : null;
	const generator = process.cpuUsage(generatorAtStart ?? undefined);
	const metrics = await fetchMetrics(metricsUrl, false);
	for (const client of clients) client.close();
	latencies.sort((a, b) => a - b);
	return {
		latencies,
		cpu_s,
		db_cpu_s,
		generator_cpu_s: (generator.user + generator.system) / 1e6,
		p50_ms: percentile(latencies, 50),
		p95_ms: percentile(latencies, 95),
		p99_ms: percentile(latencies, 99),
		bytes_per_edit: measuredEdits ? bytes / measuredEdits : null,
		delivered_ratio: measuredEdits ? latencies.length / measuredEdits : null,
		max_loop_delay_ms: metrics?.eventLoopDelayMaxMs ?? null,
		// Ours only (GET /metrics): what committing before relaying cost inside the server.
		commit_p50_ms: metrics?.commitMs?.p50 ?? null,
		commit_p99_ms: metrics?.commitMs?.p99 ?? null,
		held_p50_ms: metrics?.heldMs?.p50 ?? null,
		held_p99_ms: metrics?.heldMs?.p99 ?? null
	};
}

/**
 * Saturation: 10 clients in one room send as fast as the server takes them, each with at most 32
 * edits in flight; counts edits delivered to all peers per second. `bound` says what ends an edit's
 * flight: 'ack' the server's acknowledgement (our commit ack, Hocuspocus's sync status), 'delivery'
 * its arrival at every other client (the reference server has no acknowledgement).
 */
export async function runSaturation({ protocol, url, clients: count, seconds, bound, cookieFor }) {
	const room = `saturation-${Date.now()}`;
	const cookie = await cookieOf(cookieFor, room);
	const clients = Array.from({ length: count }, () =>
		connect(protocol, url, room, { acks: bound === 'ack', cookie })
	);
	await Promise.all(clients.map((client) => client.ready));
	const pending = new Map(); // id -> { sender, left }
	const inFlight = new Map(clients.map((client) => [client, 0]));
	const waiters = new Map(clients.map((client) => [client, null]));
	const land = (client) => {
		inFlight.set(client, inFlight.get(client) - 1);
		const wake = waiters.get(client);
		if (wake) {
			waiters.set(client, null);
			wake();
		}
	};
	let delivered = 0;
	let counting = false;
	for (const client of clients) {
		client.onEdit = (id) => {
			const edit = pending.get(id);
			if (!edit || edit.sender === client) return;
			edit.left -= 1;
			if (edit.left === 0) {
				pending.delete(id);
				if (counting) delivered += 1;
				if (bound === 'delivery') land(edit.sender);
			}
		};
		if (bound === 'ack') client.onAck = () => land(client);
	}
	let nextId = 1;
	const window = 32;
	let stop = false;
	const senders = clients.map(async (client) => {
		while (!stop) {
			while (inFlight.get(client) < window && !stop) {
				const id = nextId++;
				pending.set(id, { sender: client, left: count - 1 });
				inFlight.set(client, inFlight.get(client) + 1);
				client.edit(id);
			}
			await new Promise((resolve) => waiters.set(client, resolve));
		}
	});
	await sleep(1000);
	counting = true;
	const started = performance.now();
	await sleep(seconds * 1000);
	const elapsed = (performance.now() - started) / 1000;
	counting = false;
	stop = true;
	for (const client of clients) {
		client.close();
		waiters.get(client)?.();
	}
	await Promise.allSettled(senders);
	return { edits_per_s: delivered / elapsed };
}

/**
 * Durability: `count` clients in one room edit at the offered load (1 edit/s each, seeded) for
 * `seconds`, then `kill()` (the caller's kill -9) lands while they are still editing. Returns the ids
 * acknowledged before the kill: `ackBy` 'server' = the server's own acknowledgement (our commit ack,
 * Hocuspocus's sync status), 'peer' = another client received it (the reference server has no ack).
 */
export async function runDurabilityEdits({
	protocol,
	url,
	room,
	clients: count,
	seconds,
	seed,
	ackBy,
	kill,
	cookieFor
}) {
	const random = mulberry32(seed);
	const cookie = await cookieOf(cookieFor, room);
	const clients = Array.from({ length: count }, () =>
		connect(protocol, url, room, { acks: ackBy === 'server', cookie })
	);
	await Promise.all(clients.map((client) => client.ready));
	const acked = new Set();
	const senderOf = new Map();
	for (const client of clients) {
		if (ackBy === 'server') client.onAck = (id) => acked.add(id);
		else client.onEdit = (id) => senderOf.has(id) && senderOf.get(id) !== client && acked.add(id);
	}
	let nextId = 1;
	let stopped = false;
	const start = performance.now();
	const senders = clients.map(async (client) => {
		let at = start + exponential(random) * 1000;
		while (!stopped) {
			await sleepUntil(at);
			if (stopped) break;
			const id = nextId++;
			senderOf.set(id, client);
			client.edit(id);
			at += exponential(random) * 1000;
		}
	});
	await sleepUntil(start + seconds * 1000);
	await kill();
	stopped = true;
	await sleep(200); // acknowledgements the server sent before it died are still read
	for (const client of clients) client.close();
	await Promise.allSettled(senders);
	return { sent: nextId - 1, acked };
}

/** Connects to `room` and returns the ids of the edits its document holds. */
export async function readEdits({ protocol, url, room, cookieFor }) {
	const client = connect(protocol, url, room, { cookie: await cookieOf(cookieFor, room) });
	const present = new Set();
	client.onEdit = (id) => present.add(id);
	await client.ready;
	client.close();
	return present;
}

class ThinClient {
	constructor(wsUrl, cookie = null) {
		this.doc = new Y.Doc();
		this.map = this.doc.getMap('bench');
		this.onEdit = () => {};
		this.onBytes = () => {};
		this.onAck = () => {};
		this.syncSent = 0; // sync messages sent: our server's `committed` count is over these
		this.awaitingCommit = []; // [syncSent after the edit, edit id]
		this.commitHead = 0;
		this.ws = new WebSocket(wsUrl, cookie ? { headers: { cookie } } : {});
		this.ws.binaryType = 'nodebuffer';
		this.ws.on('error', () => {}); // a killed server resets the socket; `ready` reports failures
		this.ready = new Promise((resolve, reject) => {
			this.ws.once('error', reject);
			this.ws.once('close', () => reject(new Error('closed before sync')));
			this.ws.on('message', (data) => {
				const at = performance.now();
				this.onBytes(data.length);
				const decoder = decoding.createDecoder(data);
				const type = decoding.readVarUint(decoder);
				if (type === COMMITTED) {
					const count = decoding.readVarUint(decoder);
					while (
						this.commitHead < this.awaitingCommit.length &&
						this.awaitingCommit[this.commitHead][0] <= count
					) {
						this.onAck(this.awaitingCommit[this.commitHead++][1]);
					}
					if (this.commitHead > 1024) {
						this.awaitingCommit = this.awaitingCommit.slice(this.commitHead);
						this.commitHead = 0;
					}
					return;
				}
				if (type !== SYNC) return;
				const sub = decoding.readVarUint(decoder);
				if (sub === STEP1) {
					// Answer the server's state vector with an empty step 2: we hold nothing yet.
					this.#send(frame(STEP2, Y.encodeStateAsUpdate(new Y.Doc())));
					return;
				}
				if (sub === STEP2) resolve();
				scanMarkers(data, (id) => this.onEdit(id, at));
			});
			this.ws.once('open', () => this.#send(frame(STEP1, Y.encodeStateVector(this.doc))));
		});
	}

	/** Sends one edit; returns the bytes put on the wire. */
	edit(id) {
		let update = null;
		const capture = (u) => (update = u);
		this.doc.on('update', capture);
		this.map.set(`k${id}`, markerFor(id));
		this.doc.off('update', capture);
		const message = frame(UPDATE, update);
		this.#send(message);
		this.awaitingCommit.push([this.syncSent, id]);
		return message.length;
	}

	#send(message) {
		this.syncSent += message[0] === SYNC ? 1 : 0;
		if (this.ws.readyState === WebSocket.OPEN) this.ws.send(message);
	}

	close() {
		this.ws.terminate();
	}
}

function frame(sub, payload) {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, SYNC);
	encoding.writeVarUint(encoder, sub);
	encoding.writeVarUint8Array(encoder, payload);
	return encoding.toUint8Array(encoder);
}

async function fetchMetrics(url, reset) {
	if (!url) return null;
	try {
		const response = await fetch(`${url}${reset ? '?reset=1' : ''}`);
		return response.ok ? await response.json() : null;
	} catch {
		return null;
	}
}

function percentile(sorted, p) {
	if (sorted.length === 0) return null;
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function exponential(random) {
	return -Math.log(1 - random());
}

function mulberry32(seed) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const toWs = (url) => url.replace(/^http/, 'ws');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const sleepUntil = (at) => sleep(Math.max(0, at - performance.now()));
