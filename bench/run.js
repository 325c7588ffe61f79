// `npm run bench`: measures the Coalition Board server (on SQLite and on PostgreSQL) and two peers —
// the reference y-websocket server and Hocuspocus — under the same fixed offered load, at saturation
// and across a kill -9, and writes bench/results.json (schema in bench/README.md). Raw samples go to
// bench/raw/.
// Usage: node bench/run.js [--runs 3] [--cases 1x10,1x60,1x300,20x20] [--seconds 30] [--warmup 5]
//   [--servers coalition-board,coalition-board-postgres,y-websocket-server,hocuspocus]
//   [--kill-after 15] [--no-durability] [--profiles normal,slowdisk] [--fsync-delay-ms 20]
//   [--database-url postgres://postgres@127.0.0.1:5432/test] [--out bench/results.json] [--quick]
//   [--no-phone] (skips bench/phone.js, run at the end otherwise)
import { spawn, spawnSync, execFile, execSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { bundleModule } from './bundle.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const benchDir = path.join(root, 'bench');
const args = parseArgs(process.argv.slice(2));
const runs = Number(args.runs ?? (args.quick ? 1 : 3));
const seconds = Number(args.seconds ?? (args.quick ? 5 : 30));
const warmup = Number(args.warmup ?? (args.quick ? 1 : 5));
const cases = (args.cases ?? '1x10,1x60,1x300,20x20').split(',').map(parseCase);
// Hocuspocus stores a document 2 s after the last change or, under continuous edits, 10 s after the
// first unstored one: a kill 15 s into the storm lands mid-way through its second window.
const killAfter = Number(args['kill-after'] ?? 15);
const durability = !args['no-durability'];
const out = path.resolve(root, String(args.out ?? 'bench/results.json'));
// `slowdisk`: the same cases with every fsync of every server (ours and the peers: Hocuspocus
// stores to SQLite too) delayed by strace, as on an SD card or a busy VPS; rows `<case>-slowdisk`.
const profiles = String(args.profiles ?? 'normal,slowdisk').split(',');
const fsyncDelayMs = Number(args['fsync-delay-ms'] ?? 20);
// `coalition-board-postgres`: the database it stores in, a fresh schema of it per server start.
const databaseUrl = String(args['database-url'] ?? 'postgres://postgres@127.0.0.1:5432/test');
const liveSchemas = new Set(); // made and not dropped yet: an interrupted run drops them
let schemaCount = 0;
const hasTaskset = spawnSync('taskset', ['-V']).status === 0;
if (profiles.includes('slowdisk') && spawnSync('strace', ['-V']).status !== 0) {
	console.error(
		'the slowdisk profile needs strace (apt-get install -y strace), or pass --profiles normal'
	);
	process.exit(1);
}
const startedAt = Date.now();

// The load generator runs on CPU 1, every server on CPU 0.
if (hasTaskset) spawnSync('taskset', ['-a', '-cp', '1', String(process.pid)], { stdio: 'ignore' });

if (!fs.existsSync(path.join(root, 'build/coalition-server.js'))) {
	console.log('building the app first…');
	execSync('npm run build', { cwd: root, stdio: 'inherit' });
}
// Every run uses one snapshot of the build, so a rebuild during the benchmark changes nothing. It sits
// under the root node_modules so that the server resolves its packages from there, as in build/.
const snapshot = path.join(root, 'node_modules/.cache/coalition-bench', `build-${process.pid}`);
fs.cpSync(path.join(root, 'build'), snapshot, { recursive: true });
process.on('exit', () => fs.rmSync(snapshot, { recursive: true, force: true }));
process.on('SIGINT', () => dropLiveSchemas().finally(() => process.exit(130)));
const built = path.join(snapshot, 'coalition-server.js');
// The peers (and the yjs the clients use) live in bench/package.json, never in the root install.
if (!fs.existsSync(path.join(benchDir, 'node_modules/.package-lock.json'))) {
	console.log('installing the peer servers (bench/package.json)…');
	execSync('npm ci --prefix bench --no-audit --no-fund', { cwd: root, stdio: 'inherit' });
}
const { runLatencyCase, runSaturation, runDurabilityEdits, readEdits } = await import('./load.js');
// The tests' member seeding (storage + session modules, TypeScript), compiled for this run.
const { seedMember } = await bundleModule('tests/fixtures/members.ts', 'seed-members.js');

/** Our built server, default settings, on SQLite under its DATA_DIR or on a PostgreSQL schema. */
const coalitionBoard = (options, database) =>
	startServer({
		...options,
		script: built,
		env: {
			LOG_LEVEL: 'warn',
			...(options?.saturation ? { RATE_MESSAGES_PER_SECOND: '1000000' } : {})
		},
		healthPath: '/healthz',
		metrics: 'same-port',
		members: true,
		database
	});

const allServers = [
	{
		name: 'coalition-board',
		protocol: 'coalition-board',
		ack: 'server', // the `committed` message: the edit is in SQLite
		start: (options) => coalitionBoard(options, 'sqlite')
	},
	{
		name: 'coalition-board-postgres',
		protocol: 'coalition-board',
		ack: 'server', // the `committed` message: the edit's transaction is committed in PostgreSQL
		postgres: true,
		// Not under `slowdisk`: strace delays the fsyncs of the server's own process (and threads),
		// but on PostgreSQL the fsyncs that make a commit durable are the database's (its backends'
		// WAL flushes), in processes strace does not trace: the rows would be the normal disk's.
		profiles: ['normal'],
		start: (options) => coalitionBoard(options, 'postgres')
	},
	{
		name: 'y-websocket-server',
		protocol: 'y-websocket',
		ack: 'peer', // no acknowledgement: another client received it
		start: (options) =>
			startServer({
				...options,
				script: path.join(benchDir, 'peers/y-websocket-server.js'),
				healthPath: '/'
			})
	},
	{
		name: 'hocuspocus',
		protocol: 'hocuspocus',
		ack: 'server', // its sync status message (the provider's unsyncedChanges): applied in memory
		start: (options) =>
			startServer({
				...options,
				script: path.join(benchDir, 'peers/hocuspocus.js'),
				healthPath: '/'
			})
	}
];
const wanted = args.servers ? String(args.servers).split(',') : allServers.map((s) => s.name);
const unknown = wanted.filter((name) => !allServers.some((s) => s.name === name));
if (unknown.length > 0) {
	console.error(
		`unknown server ${unknown.join(', ')}: one of ${allServers.map((s) => s.name).join(', ')}`
	);
	process.exit(1);
}
const servers = allServers.filter((s) => wanted.includes(s.name));
if (servers.some((s) => s.postgres)) await checkDatabase();
const rows = [];
const raw = {};

try {
	for (const profile of profiles) {
		const slowFsyncMs = profile === 'slowdisk' ? fsyncDelayMs : 0;
		for (const server of servers) {
			if (server.profiles && !server.profiles.includes(profile)) {
				console.log(`${server.name}: no ${profile} profile (see its entry in bench/run.js)`);
				continue;
			}
			await runServer(server, profile, slowFsyncMs);
		}
	}
} finally {
	await dropLiveSchemas();
}

async function runServer(server, profile, slowFsyncMs) {
	for (const { rooms, clients } of cases) {
		const name = `${rooms}x${clients}${profile === 'normal' ? '' : `-${profile}`}`;
		const samples = [];
		for (let run = 0; run < runs; run++) {
			const instance = await server.start({ slowFsyncMs });
			try {
				const result = await runLatencyCase({
					protocol: server.protocol,
					url: instance.url,
					rooms,
					clientsPerRoom: clients,
					seconds,
					warmup,
					seed: 1000 + run,
					metricsUrl: instance.metricsUrl,
					cpuSeconds: instance.cpuSeconds,
					dbCpuSeconds: instance.dbCpuSeconds,
					cookieFor: instance.cookieFor
				});
				result.rss_mb = instance.peakRssMb();
				samples.push(result);
				console.log(
					`${server.name} ${name} run ${run + 1}/${runs}: p50 ${fmt(result.p50_ms)} ms, p99 ${fmt(result.p99_ms)} ms, server cpu ${fmt(result.cpu_s)} s${result.db_cpu_s === null ? '' : `, database cpu ${fmt(result.db_cpu_s)} s`}, generator cpu ${fmt(result.generator_cpu_s)} s, delivered ${fmt(result.delivered_ratio * 100)}%`
				);
			} finally {
				await instance.stop();
			}
		}
		let saturation = null;
		let kill = null;
		if (rooms === 1 && clients === 10) {
			const instance = await server.start({ saturation: true, slowFsyncMs });
			try {
				saturation = await runSaturation({
					protocol: server.protocol,
					url: instance.url,
					clients: 10,
					seconds: Math.min(seconds, 10),
					bound: server.ack === 'server' ? 'ack' : 'delivery',
					cookieFor: instance.cookieFor
				});
				console.log(`${server.name} saturation: ${Math.round(saturation.edits_per_s)} edits/s`);
			} finally {
				await instance.stop();
			}
			if (durability) {
				kill = await runKill(server, slowFsyncMs);
				console.log(
					`${server.name} kill -9 after ${killAfter} s: ${kill.acked_before_kill} acknowledged, ${kill.lost_after_kill} lost`
				);
			}
		}
		raw[`${server.name}/${name}`] = samples.map((s) => s.latencies);
		rows.push(summarise(server.name, name, rooms * clients, samples, saturation, kill));
	}
}

const results = {
	date: new Date().toISOString(),
	commit: gitCommit(),
	node: process.version,
	cpu: `${os.cpus()[0]?.model ?? 'unknown'} (${os.cpus().length} cores)`,
	command: `node bench/run.js ${process.argv.slice(2).join(' ')}`.trim(),
	// The reliability harness's fuzzer (npm test) records its worst event-loop delay; target 50 ms.
	...readFuzzLoopDelay(),
	duration_s: Math.round((Date.now() - startedAt) / 1000),
	method: {
		offered_load: 'every client makes 1 edit per second (seeded exponential arrivals)',
		seconds,
		warmup_seconds: warmup,
		runs,
		pinning: hasTaskset
			? 'every server on CPU 0, load generator on CPU 1 (taskset)'
			: 'none (taskset missing)',
		profiles: Object.fromEntries(
			profiles.map((profile) => [
				profile,
				profile === 'slowdisk'
					? `every fsync and fdatasync of every server process delayed by ${fsyncDelayMs} ms (strace --seccomp-bpf -f -e inject=fdatasync,fsync:delay_exit=${fsyncDelayMs * 1000})${servers.some((s) => s.postgres) ? "; not run for coalition-board-postgres, whose commits are synced by the database's processes, which strace does not trace" : ''}`
					: "the machine's own disk"
			])
		),
		postgres: servers.some((s) => s.postgres)
			? `coalition-board-postgres: the same build with DATABASE_URL=${redact(databaseUrl)} (PostgreSQL ${await databaseVersion()}, synchronous_commit=on) and a fresh DATABASE_SCHEMA per server start (kept across the kill -9 and restart), dropped on stop; the server's backends (application_name = the schema) pinned to CPU 0 like the server; db_cpu_s = their CPU time over the measured window; the database's shared processes (WAL writer, checkpointer…) are neither pinned nor counted, and rss_mb is the server's only`
			: 'not run',
		receivers:
			'thin protocol clients (y-websocket protocol for ours and the reference server, a thin Hocuspocus client for Hocuspocus): they record arrival times by a marker in the update bytes, without building a Y.Doc',
		saturation_bound:
			'32 edits in flight per client; ours: until its commit ack, hocuspocus: until its sync status, y-websocket-server: until every peer received it',
		durability: durability
			? `10 clients at the offered load, kill -9 after ${killAfter} s, restart on the same data (ours on PostgreSQL: the same schema); acknowledged = ours: commit ack, hocuspocus: sync status, y-websocket-server: another client received it`
			: 'not run'
	},
	rows
};
fs.mkdirSync(path.join(benchDir, 'raw'), { recursive: true });
fs.writeFileSync(path.join(benchDir, 'raw', `samples-${Date.now()}.json`), JSON.stringify(raw));
// The phone figures (bench/phone.js) are another run's: kept as they are.
const previous = fs.existsSync(out) ? JSON.parse(fs.readFileSync(out, 'utf8')) : {};
if (previous.phone) results.phone = previous.phone;
fs.writeFileSync(out, JSON.stringify(results, null, 2) + '\n');
printTable(rows);
console.log(`\n${results.duration_s} s`);
// Then what a participant's phone pays (`npm run bench:phone`), unless --no-phone.
if (!args['no-phone']) {
	const phone = spawnSync(process.execPath, [path.join(benchDir, 'phone.js'), '--out', out], {
		cwd: root,
		stdio: 'inherit'
	});
	if (phone.status !== 0) process.exitCode = 1;
}

/** 10 clients edit at the offered load; kill -9 mid-storm; restart on the same data; count losses. */
async function runKill(server, slowFsyncMs) {
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-kill-${server.name}-`));
	// On PostgreSQL the data is the schema: both servers use the same one; it goes at the end.
	const schema = server.postgres ? newSchema() : undefined;
	const room = `durability-${Date.now()}`;
	try {
		const first = await server.start({ dataDir, schema, slowFsyncMs });
		let acked;
		try {
			({ acked } = await runDurabilityEdits({
				protocol: server.protocol,
				url: first.url,
				room,
				clients: 10,
				seconds: killAfter,
				seed: 7,
				ackBy: server.ack,
				kill: () => first.kill(),
				cookieFor: first.cookieFor
			}));
		} finally {
			await first.kill(); // no-op when the run killed it
		}
		const second = await server.start({ dataDir, schema, slowFsyncMs });
		let present;
		try {
			present = await readEdits({
				protocol: server.protocol,
				url: second.url,
				room,
				cookieFor: second.cookieFor
			});
		} finally {
			await second.stop();
		}
		const lost = [...acked].filter((id) => !present.has(id)).length;
		return { acked_before_kill: acked.size, lost_after_kill: lost };
	} finally {
		fs.rmSync(dataDir, { recursive: true, force: true });
		if (schema) await dropSchema(schema);
	}
}

function summarise(server, caseName, clients, samples, saturation, kill) {
	const p99s = samples.map((s) => s.p99_ms);
	return {
		server,
		case: caseName,
		clients,
		offered_edits_per_s: clients,
		p50_ms: round(median(samples.map((s) => s.p50_ms))),
		p95_ms: round(median(samples.map((s) => s.p95_ms))),
		p99_ms: round(median(p99s)),
		p99_min_ms: round(Math.min(...p99s)),
		p99_max_ms: round(Math.max(...p99s)),
		edits_per_s: saturation ? Math.round(saturation.edits_per_s) : null,
		cpu_s: round(median(samples.map((s) => s.cpu_s))),
		db_cpu_s: round(median(samples.map((s) => s.db_cpu_s))),
		generator_cpu_s: round(median(samples.map((s) => s.generator_cpu_s))),
		rss_mb: round(median(samples.map((s) => s.rss_mb))),
		bytes_per_edit: round(median(samples.map((s) => s.bytes_per_edit))),
		max_loop_delay_ms: round(Math.max(...samples.map((s) => s.max_loop_delay_ms ?? 0))),
		delivered_ratio: round(median(samples.map((s) => s.delivered_ratio)), 4),
		commit_p50_ms: round(median(samples.map((s) => s.commit_p50_ms))),
		commit_p99_ms: round(median(samples.map((s) => s.commit_p99_ms))),
		held_p50_ms: round(median(samples.map((s) => s.held_p50_ms))),
		held_p99_ms: round(median(samples.map((s) => s.held_p99_ms))),
		acked_before_kill: kill?.acked_before_kill ?? null,
		lost_after_kill: kill?.lost_after_kill ?? null
	};
}

/**
 * Starts one server as its own process pinned to CPU 0, on a free loopback port, with DATA_DIR set to
 * `dataDir` (kept) or a fresh temp dir (removed by stop()). `metrics: 'same-port'` = the server's own
 * GET /metrics; otherwise the launcher's probe (bench/peers/metrics.js) on METRICS_PORT. With
 * `slowFsyncMs`, strace delays every fsync of the process and its threads by that much. With
 * `database: 'postgres'`, ours stores in the schema `schema` of --database-url (kept) or in a fresh
 * one (dropped by stop()); its backends are pinned to CPU 0 too and their CPU time is counted.
 */
/**
 * startServer, tried again on a new port when the server exits at start: freePort's port is free
 * when it answers, but with hundreds of client sockets open an outgoing connection can take it
 * before the server listens (EADDRINUSE ended a whole run once).
 */
async function startServer(options) {
	for (let attempt = 1; ; attempt++) {
		try {
			return await startServerOnce(options);
		} catch (error) {
			if (attempt === 3) throw error;
			console.log(`${error.message}; starting it again on another port`);
		}
	}
}

async function startServerOnce({
	script,
	env: extraEnv = {},
	healthPath,
	metrics,
	dataDir: keptDir,
	members = false,
	slowFsyncMs = 0,
	database,
	schema: keptSchema
}) {
	const port = await freePort();
	const metricsPort = metrics === 'same-port' ? port : await freePort();
	const dataDir = keptDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'bench-server-'));
	const schema = database === 'postgres' ? (keptSchema ?? newSchema()) : null;
	// What selects the storage engine, for the server and for the members seeded into its storage.
	// PGAPPNAME names the server's connections, so that its backends can be found.
	const databaseEnv = schema
		? { DATABASE_URL: databaseUrl, DATABASE_SCHEMA: schema, PGAPPNAME: schema }
		: {};
	const env = {
		...process.env,
		PORT: String(port),
		HOST: '127.0.0.1',
		DATA_DIR: dataDir,
		METRICS_PORT: String(metricsPort),
		...extraEnv
	};
	delete env.YPERSISTENCE; // the reference server keeps documents in memory by default
	// Only the PostgreSQL entry stores in PostgreSQL, whatever the caller's environment says.
	delete env.DATABASE_URL;
	delete env.DATABASE_SCHEMA;
	delete env.PGAPPNAME;
	Object.assign(env, databaseEnv);
	let commandLine = [process.execPath, script];
	if (slowFsyncMs > 0) {
		// --seccomp-bpf: only the traced calls stop the server, not its every syscall.
		const inject = `inject=fdatasync,fsync:delay_exit=${Math.round(slowFsyncMs * 1000)}`;
		commandLine = [
			'strace',
			'--seccomp-bpf',
			'-f',
			'-q',
			'-o',
			'/dev/null',
			'-e',
			'trace=fdatasync,fsync',
			'-e',
			inject,
			...commandLine
		];
	}
	if (hasTaskset) commandLine = ['taskset', '-c', '0', ...commandLine];
	const child = spawn(commandLine[0], commandLine.slice(1), {
		cwd: root,
		env,
		stdio: ['ignore', 'pipe', 'inherit']
	});
	let exited = false;
	const exit = new Promise((resolve) => child.once('exit', () => resolve((exited = true))));
	child.stdout.resume();
	const backends = schema ? watchBackends(schema) : null;
	exit.then(() => backends?.stop());
	const dropOwnSchema = async () => {
		if (schema && !keptSchema) await dropSchema(schema);
	};
	const deadline = Date.now() + 20_000;
	while (!(await healthy(port, healthPath))) {
		if (exited || Date.now() > deadline) {
			if (!exited) child.kill('SIGKILL');
			await exit;
			await dropOwnSchema();
			throw new Error(`${path.basename(script)} did not start`);
		}
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
	// taskset execs what it runs (same pid); strace forks the server and exits with it.
	const pid = slowFsyncMs > 0 ? tracedChild(child.pid) : child.pid;
	const signal = (name) => {
		try {
			process.kill(pid, name);
		} catch {
			// Already gone.
		}
	};
	const removeData = () => keptDir || fs.rmSync(dataDir, { recursive: true, force: true });
	// Ours admits members only: a real session per room, written through the storage module.
	const cookies = new Map();
	const cookieFor = members
		? (room) => {
				if (!cookies.has(room))
					cookies.set(
						room,
						seedMember({ dataDir, env: databaseEnv }, room).then((member) => member.cookie)
					);
				return cookies.get(room);
			}
		: undefined;
	return {
		cookieFor,
		url: `http://127.0.0.1:${port}`,
		metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`,
		cpuSeconds: () => cpuSeconds(pid),
		dbCpuSeconds: backends ? () => backends.cpuSeconds() : undefined,
		peakRssMb: () => peakRssMb(pid),
		/** kill -9, data kept. */
		async kill() {
			if (!exited) signal('SIGKILL');
			await exit;
		},
		async stop() {
			if (!exited) signal('SIGTERM');
			await exit;
			removeData();
			await dropOwnSchema();
		}
	};
}

/** A schema name for one server start (or one kill -9 and its restart), unique on the machine. */
function newSchema() {
	const schema = `bench_${process.pid}_${++schemaCount}`;
	liveSchemas.add(schema);
	return schema;
}

async function dropSchema(schema) {
	const client = new pg.Client({ connectionString: databaseUrl });
	await client.connect();
	try {
		await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
		liveSchemas.delete(schema);
	} finally {
		await client.end();
	}
}

/** What an interrupted or failed run left behind in the database. */
async function dropLiveSchemas() {
	for (const schema of [...liveSchemas]) {
		await dropSchema(schema).catch((error) =>
			console.error(`could not drop schema ${schema}: ${error.message}`)
		);
	}
}

async function checkDatabase() {
	try {
		await databaseVersion();
	} catch (error) {
		console.error(
			`coalition-board-postgres needs PostgreSQL at ${redact(databaseUrl)} (--database-url): ${error.message}; or leave it out of --servers`
		);
		process.exit(1);
	}
}

async function databaseVersion() {
	const client = new pg.Client({ connectionString: databaseUrl });
	await client.connect();
	try {
		return (await client.query('SHOW server_version')).rows[0].server_version;
	} finally {
		await client.end();
	}
}

function redact(url) {
	try {
		const parsed = new URL(url);
		if (parsed.password) parsed.password = '***';
		return parsed.toString();
	} catch {
		return '(not a URL)';
	}
}

/**
 * The PostgreSQL backends of one server (its connections carry application_name `appName`): every
 * 250 ms the new ones are pinned to CPU 0, beside the server, as SQLite's work is in the server's
 * own process; cpuSeconds() sums their CPU time (a backend that ended counts what it last had).
 */
function watchBackends(appName) {
	const cpu = new Map(); // pid -> CPU seconds when last read
	const client = new pg.Client({ connectionString: databaseUrl });
	client.on('error', () => {}); // the run goes on without the figure
	const connected = client.connect().catch(() => null);
	let stopped = false;
	let polling = Promise.resolve();
	const poll = async () => {
		const { rows } = await client.query(
			'SELECT pid FROM pg_stat_activity WHERE application_name = $1',
			[appName]
		);
		for (const { pid } of rows) {
			if (cpu.has(pid)) continue;
			cpu.set(pid, 0);
			if (hasTaskset) execFile('taskset', ['-cp', '0', String(pid)], () => {});
		}
		readAll();
	};
	const readAll = () => {
		for (const pid of cpu.keys()) {
			try {
				cpu.set(pid, cpuSeconds(pid));
			} catch {
				// Ended: keep what it had.
			}
		}
	};
	const timer = setInterval(() => {
		polling = connected.then(() => !stopped && poll()).catch(() => {});
	}, 250);
	return {
		cpuSeconds() {
			readAll();
			let total = 0;
			for (const seconds of cpu.values()) total += seconds;
			return total;
		},
		async stop() {
			if (stopped) return;
			stopped = true;
			clearInterval(timer);
			await polling;
			await connected;
			await client.end().catch(() => {});
		}
	};
}

/** The process strace started (its first child). */
function tracedChild(tracerPid) {
	const children = fs
		.readFileSync(`/proc/${tracerPid}/task/${tracerPid}/children`, 'utf8')
		.trim()
		.split(/\s+/);
	if (!children[0]) throw new Error('strace has no child process');
	return Number(children[0]);
}

async function healthy(port, healthPath) {
	try {
		return (await fetch(`http://127.0.0.1:${port}${healthPath}`)).ok;
	} catch {
		return false;
	}
}

function cpuSeconds(pid) {
	const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
	return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime in clock ticks
}

function peakRssMb(pid) {
	const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
	const match = status.match(/VmHWM:\s+(\d+) kB/);
	return match ? Number(match[1]) / 1024 : null;
}

function freePort() {
	return new Promise((resolve, reject) => {
		import('node:net').then(({ createServer }) => {
			const server = createServer();
			server.listen(0, '127.0.0.1', () => {
				const { port } = server.address();
				server.close(() => resolve(port));
			});
			server.on('error', reject);
		});
	});
}

function printTable(rows) {
	const reference = (row) =>
		rows.find((r) => r.server === 'y-websocket-server' && r.case === row.case);
	// Ours on PostgreSQL against ours on SQLite, same case, same run.
	const sqlite = (row) =>
		row.server === 'coalition-board-postgres'
			? rows.find((r) => r.server === 'coalition-board' && r.case === row.case)
			: undefined;
	const header = [
		'server',
		'case',
		'p50 ms',
		'p95 ms',
		'p99 ms (min–max)',
		'edits/s',
		'cpu s',
		'db cpu s',
		'rss MB',
		'B/edit',
		'loop ms',
		'acked/lost',
		'held p50/p99',
		'p99 ratio',
		'vs sqlite'
	];
	const lines = rows.map((row) => {
		const ref = reference(row);
		const lite = sqlite(row);
		return [
			row.server,
			row.case,
			row.p50_ms,
			row.p95_ms,
			`${row.p99_ms} (${row.p99_min_ms}–${row.p99_max_ms})`,
			row.edits_per_s ?? '',
			row.cpu_s,
			row.db_cpu_s ?? '',
			row.rss_mb,
			row.bytes_per_edit,
			row.max_loop_delay_ms,
			row.acked_before_kill === null ? '' : `${row.acked_before_kill}/${row.lost_after_kill}`,
			row.held_p99_ms === null ? '' : `${row.held_p50_ms}/${row.held_p99_ms}`,
			ref ? (row.p99_ms / ref.p99_ms).toFixed(2) : '–',
			lite ? (row.p99_ms / lite.p99_ms).toFixed(2) : ''
		].map(String);
	});
	const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
	const format = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
	console.log('\n' + format(header));
	for (const line of lines) console.log(format(line));
}

function parseArgs(list) {
	const out = {};
	for (let i = 0; i < list.length; i++) {
		const key = list[i].replace(/^--/, '');
		if (list[i + 1] && !list[i + 1].startsWith('--')) out[key] = list[++i];
		else out[key] = true;
	}
	return out;
}

function parseCase(text) {
	const [rooms, clients] = text.split('x').map(Number);
	return { rooms, clients };
}

function median(values) {
	const sorted = values.filter((v) => v !== null && v !== undefined).sort((a, b) => a - b);
	if (sorted.length === 0) return null;
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function fmt(value) {
	return value === null || value === undefined ? '–' : value.toFixed(2);
}

function round(value, digits = 2) {
	return value === null || value === undefined ? null : Number(value.toFixed(digits));
}

function gitCommit() {
	try {
		return execSync('git rev-parse HEAD', { cwd: root }).toString().trim();
	} catch {
		return null;
	}
}

/** bench/raw/fuzz-loop-delay.json, written by tests/reliability/fuzz.test.ts (null if it never ran). */
function readFuzzLoopDelay() {
	const file = path.join(root, 'bench/raw/fuzz-loop-delay.json');
	const record = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : null;
	return {
		fuzz_max_loop_delay_ms: record?.max_loop_delay_ms ?? null,
		fuzz_max_loop_delay_target_ms: 50,
		fuzz_run: record && {
			date: record.date,
			commit: record.commit,
			mode: record.mode,
			inputs: record.inputs,
			seed: record.seed,
			worst_during: record.max_loop_delay_input,
			per_input_p99_ms: record.per_input_loop_delay_p99_ms,
			load_average_1m: record.load_average_1m
		}
	};
}
