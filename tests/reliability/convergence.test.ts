/**
 * Randomized convergence in the style of Yjs's own tests, through the real server and database:
 * a seeded generator picks the clients, their edits (add, rename, retype and remove allies, type
 * into one shared Y.Text), disconnects and reconnects, and one kill -9 and restart of the server.
 * At the end every client and a fresh one hold the same content and state vector.
 *
 * A seed replays the same sequence of operations (`CONVERGENCE_SEED=<n>`); the network's timing
 * is real, so the interleavings it produces can differ between runs.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { freePort, tempDataDir, type ChildServer } from '../fixtures/server';
import { useChildServers } from '../fixtures/child-servers';
import { sleep, waitFor, waitForSaved, waitForSynced } from '../fixtures/clients';
import { seededRandom } from '../fixtures/storm';
import { byMode, contentOf, stateVectorOf } from '../fixtures/reliability';
import type { BoardConnection } from '../../src/lib/realtime/board-connection';
import {
	addAlly,
	ALLY_TYPES,
	getAllies,
	readAllies,
	removeAlly,
	renameAlly,
	setAllyType
} from '../../src/lib/shared/schema';

const STEPS = byMode(250, 500);
const SEEDS = process.env.CONVERGENCE_SEED
	? [Number(process.env.CONVERGENCE_SEED)]
	: Array.from({ length: byMode(6, 40) }, () => Math.floor(Math.random() * 2 ** 31));

const { start, connect } = useChildServers();

const WORDS = [
	'Réseau',
	'Union',
	'des',
	'femmes',
	'radios',
	'Kayes',
	'jeunes',
	'paysans',
	'ONG',
	'🌍',
	''
];

/** One random operation by one random client; returns what it did, for the failure message. */
function randomOperation(
	random: () => number,
	client: BoardConnection,
	step: number,
	sharedId: string
): string {
	const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
	const word = () => `${pick(WORDS)} ${pick(WORDS)}`.trim();
	// Candidates in an order that does not depend on the random ids: createdAt is the step.
	const others = readAllies(client.doc).filter((ally) => ally.id !== sharedId);
	const shared = getAllies(client.doc).get(sharedId)?.get('name') as Y.Text | undefined;
	const roll = random();
	if (roll < 0.2 || (others.length === 0 && roll < 0.5)) {
		addAlly(client.doc, { name: word(), type: pick(ALLY_TYPES) }, step);
		return 'add';
	}
	if (roll < 0.32 && others.length > 0) {
		renameAlly(client.doc, pick(others).id, word());
		return 'rename';
	}
	if (roll < 0.4 && others.length > 0) {
		setAllyType(client.doc, pick(others).id, pick(ALLY_TYPES));
		return 'retype';
	}
	if (roll < 0.48 && others.length > 0) {
		removeAlly(client.doc, pick(others).id);
		return 'remove';
	}
	if (roll < 0.7 && shared) {
		shared.insert(Math.floor(random() * (shared.length + 1)), pick(WORDS) || 'x');
		return 'type';
	}
	if (roll < 0.85 && shared && shared.length > 0) {
		const at = Math.floor(random() * shared.length);
		shared.delete(at, 1 + Math.floor(random() * Math.min(5, shared.length - at)));
		return 'erase';
	}
	if (client.provider.shouldConnect) {
		client.provider.disconnect();
		return 'disconnect';
	}
	client.provider.connect();
	return 'connect';
}

async function runSeed(seed: number): Promise<string> {
	const random = seededRandom(seed);
	const env = { PORT: String(await freePort()), DATA_DIR: tempDataDir() };
	const room = `convergence-${seed}`;
	let server = await start(env);
	const count = 3 + Math.floor(random() * 3);
	const peers = Array.from({ length: count }, () => connect(server, room));
	await Promise.all(peers.map((client) => waitForSynced(client)));
	const sharedId = addAlly(peers[0].doc, { name: 'Coalition', type: 'association' }, 0);
	await waitFor(() => peers.every((client) => getAllies(client.doc).has(sharedId)), {
		what: 'the shared ally on every client'
	});

	const killAt = 10 + Math.floor(random() * (STEPS - 20));
	let restarted: Promise<ChildServer> | null = null;
	const done: Record<string, number> = {};
	for (let step = 1; step <= STEPS; step++) {
		if (step === killAt) {
			server.process.kill('SIGKILL');
			// The clients keep editing while it is down and reconnect by themselves.
			restarted = server.exited.then(() => start(env));
		}
		const operation = randomOperation(random, peers[Math.floor(random() * count)], step, sharedId);
		done[operation] = (done[operation] ?? 0) + 1;
		// Mostly back-to-back edits, sometimes a pause long enough for messages to cross.
		if (random() < 0.25) await sleep(Math.floor(random() * 60));
		else await new Promise((resolve) => setImmediate(resolve));
	}
	server = await restarted!;

	for (const client of peers) if (!client.provider.shouldConnect) client.provider.connect();
	await Promise.all(peers.map((client) => waitForSaved(client, 30_000)));
	const fresh = connect(server, room);
	await waitForSynced(fresh);
	const everyone = [...peers, fresh];
	await waitFor(() => everyone.every((client) => contentOf(client.doc) === contentOf(fresh.doc)), {
		what: 'every client to converge',
		timeout: 30_000
	}).catch(() => {});
	for (const client of everyone) {
		expect(contentOf(client.doc)).toBe(contentOf(fresh.doc));
		expect(stateVectorOf(client.doc)).toEqual(stateVectorOf(fresh.doc));
	}
	return (
		`${count} clients, ${STEPS} steps, kill -9 at step ${killAt}: ${JSON.stringify(done)}; ` +
		`${readAllies(fresh.doc).length} allies at the end`
	);
}

describe('randomized edits, disconnects and a server restart', () => {
	for (const seed of SEEDS) {
		it(
			`leave every client and a fresh one with identical content and state vectors (seed ${seed})`,
			async () => {
				try {
					console.info(`convergence seed ${seed}: ${await runSeed(seed)}`);
				} catch (error) {
					if (error instanceof Error) {
						error.message = `seed ${seed} (replay: CONVERGENCE_SEED=${seed}): ${error.message}`;
					}
					throw error;
				}
			},
			byMode(60_000, 120_000)
		);
	}
});
