// The load generator: thin y-websocket protocol clients. Each sender builds its edits in a small
// Y.Doc of its own (a new key in a map, so every edit is independent of everyone else's); receivers
// never build a Y.Doc: they find the edit's marker (`~e<id>~`) in the bytes of the update.
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';

const SYNC = 0;
const STEP1 = 0;
const STEP2 = 1;
const UPDATE = 2;
const COMMITTED = 100;
const MARKER = /~e(\d+)~/g;

/** Fixed offered load: every client makes 1 edit per second with seeded random arrivals. */
export async function runLatencyCase({ url, rooms, clientsPerRoom, seconds, warmup, seed, metricsUrl, cpuSeconds }) {
	const random = mulberry32(seed);
	const clients = [];
	for (let r = 0; r < rooms; r++) {
		for (let c = 0; c < clientsPerRoom; c++) clients.push(new ThinClient(url, `bench-${seed}-${r}`, r));
	}
	await Promise.all(clients.map((client) => client.ready));
	const edits = new Map(); // id -> { sentAt, room, pending }
	let nextId = 1;
	let measuring = false;
	const latencies = [];
	let bytes = 0;
	let measuredEdits = 0;
	for (const client of clients) {
		client.onEdit = (id, at) => {
			const edit = edits.get(id);
			if (!edit) return;
			edit.pending -= 1;
			if (edit.pending === 0) {
				edits.delete(id);
				if (edit.measured) latencies.push(at - edit.sentAt);
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
	await Promise.all(
		clients.map(async (client) => {
			let at = performance.now() + exponential(random) * 1000;
			while (at < end) {
				await sleepUntil(at);
				if (!measuring && performance.now() >= measureFrom) {
					measuring = true;
					cpuAtStart = cpuSeconds?.() ?? 0;
				}
				const id = nextId++;
				const peers = clientsPerRoom - 1;
				edits.set(id, { sentAt: performance.now(), pending: peers, measured: measuring });
				if (measuring) measuredEdits += 1;
				bytes += client.edit(id, measuring);
				at += exponential(random) * 1000;
			}
		})
	);
	await sleep(1000); // let the last edits arrive
	const cpu_s = (cpuSeconds?.() ?? 0) - cpuAtStart;
	const metrics = await fetchMetrics(metricsUrl, false);
	for (const client of clients) client.close();
	latencies.sort((a, b) => a - b);
	return {
		latencies,
		cpu_s,
		p50_ms: percentile(latencies, 50),
		p95_ms: percentile(latencies, 95),
		p99_ms: percentile(latencies, 99),
		bytes_per_edit: measuredEdits ? bytes / measuredEdits : null,
		delivered_ratio: measuredEdits ? latencies.length / measuredEdits : null,
		max_loop_delay_ms: metrics?.eventLoopDelayMaxMs ?? null
	};
}

/** Saturation: 10 clients in one room send as fast as commits allow; count edits delivered to all peers. */
export async function runSaturation({ url, clients: count, seconds }) {
	const room = `saturation-${Date.now()}`;
	const clients = Array.from({ length: count }, () => new ThinClient(url, room, 0, true));
	await Promise.all(clients.map((client) => client.ready));
	const pending = new Map();
	let delivered = 0;
	let counting = false;
	for (const client of clients) {
		client.onEdit = (id) => {
			const left = (pending.get(id) ?? 0) - 1;
			if (left === 0) {
				pending.delete(id);
				if (counting) delivered += 1;
			} else pending.set(id, left);
		};
	}
	let nextId = 1;
	const window = 32; // edits in flight per client, bounded by the server's commit acknowledgements
	let stop = false;
	const senders = clients.map(async (client) => {
		while (!stop) {
			while (client.inFlight < window && !stop) {
				const id = nextId++;
				pending.set(id, count - 1);
				client.edit(id, true);
			}
			await client.drained();
		}
	});
	await sleep(1000);
	counting = true;
	const started = performance.now();
	await sleep(seconds * 1000);
	const elapsed = (performance.now() - started) / 1000;
	counting = false;
	stop = true;
	for (const client of clients) client.close();
	await Promise.allSettled(senders);
	return { edits_per_s: delivered / elapsed };
}

class ThinClient {
	constructor(url, room, roomIndex, withAcks = false) {
		this.doc = new Y.Doc();
		this.map = this.doc.getMap('bench');
		this.inFlight = 0;
		this.sent = 0;
		this.onEdit = () => {};
		this.onBytes = () => {};
		this.waiters = [];
		const wsUrl = `${url.replace(/^http/, 'ws')}/yjs/${room}${withAcks ? '?ack=1' : ''}`;
		this.ws = new WebSocket(wsUrl);
		this.ws.binaryType = 'nodebuffer';
		this.ready = new Promise((resolve, reject) => {
			this.ws.once('error', reject);
			this.ws.on('message', (data) => {
				const at = performance.now();
				this.onBytes(data.length);
				const decoder = decoding.createDecoder(new Uint8Array(data));
				const type = decoding.readVarUint(decoder);
				if (type === COMMITTED) {
					const count = decoding.readVarUint(decoder);
					this.inFlight = this.sent - count;
					for (const wake of this.waiters.splice(0)) wake();
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
				const text = data.toString('latin1');
				for (const match of text.matchAll(MARKER)) this.onEdit(Number(match[1]), at);
			});
			this.ws.once('open', () => this.#send(frame(STEP1, Y.encodeStateVector(this.doc))));
		});
	}

	/** Sends one edit; returns the bytes put on the wire. */
	edit(id) {
		let update = null;
		const capture = (u) => (update = u);
		this.doc.on('update', capture);
		this.map.set(`k${id}`, `~e${id}~`);
		this.doc.off('update', capture);
		const message = frame(UPDATE, update);
		this.inFlight += 1;
		this.#send(message);
		return message.length;
	}

	drained() {
		return new Promise((resolve) => this.waiters.push(resolve));
	}

	#send(message) {
		this.sent += message[0] === SYNC ? 1 : 0;
		if (this.ws.readyState === WebSocket.OPEN) this.ws.send(message);
	}

	close() {
		for (const wake of this.waiters.splice(0)) wake();
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

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const sleepUntil = (at) => sleep(Math.max(0, at - performance.now()));
