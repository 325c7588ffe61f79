/**
 * Several instances on one PostgreSQL schema and one Redis (REDIS_URL): what already holds across
 * them. Socket.IO's events reach a workshop's sockets on every instance, closing a member's
 * sockets on one closes them on the others, a presence check sees members connected elsewhere,
 * sign-in limits count once for the whole deployment, and a Redis restarted mid-forum loses no
 * event. In-process servers, real PostgreSQL and real Redis (the machine's, and one of our own to
 * restart).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../server/app';
import { loadConfig } from '../../server/config';
import { createLogger } from '../../server/log';
import { connectCommands, withKey, type CommandClient } from '../../src/lib/realtime/commands';
import { removeMember } from '../../src/lib/server/members';
import { signIn } from '../../src/lib/server/users';
import { newId } from '../../src/lib/shared/ids';
import { waitFor } from '../fixtures/clients';
import { seedMember } from '../fixtures/members';
import { freePort, tempDataDir } from '../fixtures/server';
import { dropSchema, TEST_DATABASE_URL, testSchema } from '../fixtures/storages';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const schema = testSchema();
const running: RunningServer[] = [];
const clients: CommandClient[] = [];

afterEach(async () => {
	for (const client of clients.splice(0)) client.destroy();
	for (const server of running.splice(0)) await server.close();
});
afterAll(() => dropSchema(schema));

/** One instance of the deployment: the shared schema, `redisUrl` (the machine's by default). */
async function instance(redisUrl = REDIS_URL): Promise<RunningServer> {
	const config = loadConfig({
		PORT: '0',
		HOST: '127.0.0.1',
		DATA_DIR: tempDataDir(),
		LOG_LEVEL: 'silent',
		DATABASE_URL: TEST_DATABASE_URL,
		DATABASE_SCHEMA: schema,
		REDIS_URL: redisUrl
	});
	const server = await startServer(config, { log: createLogger('silent') });
	running.push(server);
	return server;
}

/** A member seeded into the shared schema, with a command socket on `server`, recording events. */
async function member(server: RunningServer, room: string, role: 'facilitator' | 'participant') {
	const seeded = await seedMember(server, room, { role });
	const client = connectCommands({
		origin: server.url,
		workshopId: room,
		extraHeaders: { cookie: seeded.cookie }
	});
	clients.push(client);
	const events: string[] = [];
	client.socket.onAny((event: string) => events.push(event));
	const disconnected = new Promise<string>((resolve) =>
		client.socket.once('disconnect', (reason) => resolve(reason))
	);
	await new Promise((resolve, reject) => {
		client.socket.once('connect', () => resolve(null));
		client.socket.once('connect_error', reject);
	});
	return { ...seeded, client, events, disconnected };
}

describe('Socket.IO across instances', () => {
	it("delivers a command's event to the workshop's sockets on the other instance", async () => {
		const [a, b] = [await instance(), await instance()];
		const room = `room-${newId().slice(0, 8)}`;
		const facilitator = await member(a, room, 'facilitator');
		const participant = await member(b, room, 'participant');

		expect(
			await facilitator.client.send('workshop:archive', withKey({ reason: 'fin du forum' }))
		).toMatchObject({ ok: true });
		await waitFor(() => participant.events.includes('workshop:archived'), {
			what: 'the archive notice on the other instance'
		});
	});

	it("closes a removed member's command socket on the other instance", async () => {
		const [a, b] = [await instance(), await instance()];
		const room = `room-${newId().slice(0, 8)}`;
		await member(a, room, 'facilitator');
		const participant = await member(b, room, 'participant');

		expect(await removeMember(a.services, room, participant.userId)).toBe(true);
		expect(await participant.disconnected).toBe('io server disconnect');
		expect(participant.events).toContain('access:ended');
	});

	it('sees a member connected to another instance as present', async () => {
		const [a, b] = [await instance(), await instance()];
		const room = `room-${newId().slice(0, 8)}`;
		const participant = await member(b, room, 'participant');
		expect(await a.services.live.isConnected(room, participant.userId)).toBe(true);
		participant.client.destroy();
		await waitFor(async () => !(await a.services.live.isConnected(room, participant.userId)), {
			what: 'the member gone from every instance'
		});
	});
});

describe('limits across instances', () => {
	it('counts wrong passwords for one account once for the whole deployment', async () => {
		const [a, b] = [await instance(), await instance()];
		const login = `nobody-${newId().slice(0, 8)}`;
		// Five wrong passwords spread over both instances: the account's limit (5 per 15 min).
		for (const [index, server] of [a, b, a, b, a].entries()) {
			const result = await signIn(server.services, {
				login,
				password: `wrong-${index}`,
				address: `198.51.100.${index}`
			});
			expect(result).toEqual({ problem: 'invalid' });
		}
		for (const server of [a, b]) {
			const result = await signIn(server.services, {
				login,
				password: 'another',
				address: '198.51.100.99'
			});
			expect(result).toMatchObject({ problem: 'rate-limited' });
		}
	});
});

/** A Redis of our own, on a free port, to stop and start again. */
async function startRedis(port: number): Promise<ChildProcess> {
	const child = spawn(
		'redis-server',
		['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
		{ stdio: 'ignore' }
	);
	await waitFor(
		async () => {
			const socket = connect(port, '127.0.0.1');
			return new Promise<boolean>((resolve) => {
				socket.once('connect', () => (socket.destroy(), resolve(true)));
				socket.once('error', () => resolve(false));
			});
		},
		{ what: 'redis-server listening' }
	);
	return child;
}

describe('when Redis goes away', () => {
	let redisPort = 0;
	let redis: ChildProcess | null = null;
	beforeAll(async () => {
		redisPort = await freePort();
		redis = await startRedis(redisPort);
	});
	afterAll(() => {
		redis?.kill('SIGKILL');
	});

	it('keeps each instance working, says so on /healthz, and delivers what was sent meanwhile once it is back', async () => {
		const url = `redis://127.0.0.1:${redisPort}`;
		const [a, b] = [await instance(url), await instance(url)];
		const room = `room-${newId().slice(0, 8)}`;
		const facilitator = await member(a, room, 'facilitator');
		const participant = await member(b, room, 'participant');
		const health = async (server: RunningServer) => {
			const response = await fetch(`${server.url}/healthz`);
			return { status: response.status, body: await response.json() };
		};
		expect(await health(a)).toEqual({
			status: 200,
			body: { ok: true, storage: 'postgres', redis: 'ok' }
		});
		// The forum has been running: the other instance has read from the stream already.
		expect(
			await facilitator.client.send('workshop:archive', withKey({ reason: null }))
		).toMatchObject({ ok: true });
		await waitFor(() => participant.events.includes('workshop:archived'), {
			what: 'the archive notice on the other instance'
		});

		const exited = new Promise((resolve) => redis!.once('exit', resolve));
		redis!.kill('SIGKILL');
		await exited;
		await waitFor(async () => (await health(a)).body.redis === 'unreachable', {
			what: '/healthz noticing Redis gone'
		});
		// Still serving its own clients: 200, and a command answered at once.
		expect((await health(a)).status).toBe(200);
		const unarchived = await facilitator.client.send(
			'workshop:unarchive',
			withKey({ reason: 'pendant la coupure' })
		);
		expect(unarchived).toMatchObject({ ok: true });
		// The limits count in memory meanwhile: a sixth wrong password is still refused.
		const login = `nobody-${newId().slice(0, 8)}`;
		for (let attempt = 0; attempt < 5; attempt++)
			await signIn(a.services, { login, password: 'x', address: '203.0.113.1' });
		expect(
			await signIn(a.services, { login, password: 'x', address: '203.0.113.1' })
		).toMatchObject({ problem: 'rate-limited' });

		redis = await startRedis(redisPort);
		// The notice sent while Redis was away arrives once it is back (the adapter's queue).
		await waitFor(
			() => participant.events.filter((event) => event === 'workshop:archived').length === 2,
			{ what: 'the unarchive notice sent during the outage', timeout: 15_000 }
		);
		await waitFor(async () => (await health(b)).body.redis === 'ok', {
			what: '/healthz seeing Redis back'
		});
	});
});
