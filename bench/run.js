// `npm run bench`: measures the Coalition Board server under a fixed offered load and at saturation,
// and writes bench/results.json (schema in bench/README.md). Raw samples go to bench/raw/.
// Usage: node bench/run.js [--runs 3] [--cases 1x10,1x60] [--seconds 30] [--warmup 5] [--quick]
import { spawn, spawnSync, execSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runLatencyCase, runSaturation } from './load.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = parseArgs(process.argv.slice(2));
const runs = Number(args.runs ?? (args.quick ? 1 : 3));
const seconds = Number(args.seconds ?? (args.quick ? 5 : 30));
const warmup = Number(args.warmup ?? (args.quick ? 1 : 5));
const cases = (args.cases ?? '1x10,1x60').split(',').map(parseCase);
const hasTaskset = spawnSync('taskset', ['-V']).status === 0;

// The load generator runs on CPU 1, every server on CPU 0.
if (hasTaskset) spawnSync('taskset', ['-cp', '1', String(process.pid)], { stdio: 'ignore' });

const built = path.join(root, 'build/coalition-server.js');
if (!fs.existsSync(built)) {
	console.log('building the app first…');
	execSync('npm run build', { cwd: root, stdio: 'inherit' });
}

const servers = [{ name: 'coalition-board', start: startCoalitionBoard }];
const rows = [];
const raw = {};

for (const server of servers) {
	for (const { rooms, clients } of cases) {
		const name = `${rooms}x${clients}`;
		const samples = [];
		for (let run = 0; run < runs; run++) {
			const instance = await server.start();
			try {
				const result = await runLatencyCase({
					url: instance.url,
					rooms,
					clientsPerRoom: clients,
					seconds,
					warmup,
					seed: 1000 + run,
					metricsUrl: instance.metricsUrl,
					cpuSeconds: instance.cpuSeconds
				});
				result.rss_mb = instance.peakRssMb();
				samples.push(result);
				console.log(`${server.name} ${name} run ${run + 1}/${runs}: p99 ${result.p99_ms.toFixed(2)} ms`);
			} finally {
				await instance.stop();
			}
		}
		let saturation = null;
		if (rooms === 1 && clients === 10) {
			const instance = await server.start({ saturation: true });
			try {
				saturation = await runSaturation({ url: instance.url, clients: 10, seconds: Math.min(seconds, 10) });
				console.log(`${server.name} saturation: ${Math.round(saturation.edits_per_s)} edits/s`);
			} finally {
				await instance.stop();
			}
		}
		raw[`${server.name}/${name}`] = samples.map((s) => s.latencies);
		rows.push(summarise(server.name, name, rooms * clients, samples, saturation));
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
	method: {
		offered_load: 'every client makes 1 edit per second (seeded exponential arrivals)',
		seconds,
		warmup_seconds: warmup,
		runs,
		pinning: hasTaskset ? 'server on CPU 0, load generator on CPU 1 (taskset)' : 'none (taskset missing)',
		receivers: 'thin y-websocket protocol clients: they record arrival times by a marker in the update bytes, without building a Y.Doc'
	},
	rows
};
fs.mkdirSync(path.join(root, 'bench/raw'), { recursive: true });
fs.writeFileSync(path.join(root, 'bench/raw', `samples-${Date.now()}.json`), JSON.stringify(raw));
fs.writeFileSync(path.join(root, 'bench/results.json'), JSON.stringify(results, null, 2) + '\n');
printTable(rows);

function summarise(server, caseName, clients, samples, saturation) {
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
		rss_mb: round(median(samples.map((s) => s.rss_mb))),
		bytes_per_edit: round(median(samples.map((s) => s.bytes_per_edit))),
		max_loop_delay_ms: round(Math.max(...samples.map((s) => s.max_loop_delay_ms ?? 0))),
		delivered_ratio: round(median(samples.map((s) => s.delivered_ratio)), 4),
		acked_before_kill: null,
		lost_after_kill: null
	};
}

async function startCoalitionBoard({ saturation = false } = {}) {
	const port = await freePort();
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'coalition-bench-'));
	const env = { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
	// Saturation measures capacity, not the per-connection abuse limit (200 messages/s by default).
	if (saturation) env.RATE_MESSAGES_PER_SECOND = '1000000';
	const command = hasTaskset ? 'taskset' : process.execPath;
	const commandArgs = hasTaskset ? ['-c', '0', process.execPath, built] : [built];
	const child = spawn(command, commandArgs, { env, stdio: ['ignore', 'pipe', 'inherit'] });
	let exited = false;
	child.once('exit', () => (exited = true));
	child.stdout.resume();
	const deadline = Date.now() + 20_000;
	while (!(await healthy(port))) {
		if (exited || Date.now() > deadline) throw new Error('the server did not start');
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
	const pid = child.pid;
	return {
		url: `http://127.0.0.1:${port}`,
		metricsUrl: `http://127.0.0.1:${port}/metrics`,
		cpuSeconds: () => cpuSeconds(pid),
		peakRssMb: () => peakRssMb(pid),
		async stop() {
			const exited = new Promise((resolve) => child.once('exit', resolve));
			child.kill('SIGTERM');
			await exited;
			fs.rmSync(dataDir, { recursive: true, force: true });
		}
	};
}

async function healthy(port) {
	try {
		return (await fetch(`http://127.0.0.1:${port}/healthz`)).ok;
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
	const reference = (row) => rows.find((r) => r.server === 'y-websocket-server' && r.case === row.case);
	const header = ['server', 'case', 'p50 ms', 'p95 ms', 'p99 ms (min–max)', 'edits/s', 'cpu s', 'rss MB', 'B/edit', 'loop ms', 'p99 ratio'];
	const lines = rows.map((row) => {
		const ref = reference(row);
		return [
			row.server,
			row.case,
			row.p50_ms,
			row.p95_ms,
			`${row.p99_ms} (${row.p99_min_ms}–${row.p99_max_ms})`,
			row.edits_per_s ?? '',
			row.cpu_s,
			row.rss_mb,
			row.bytes_per_edit,
			row.max_loop_delay_ms,
			ref ? (row.p99_ms / ref.p99_ms).toFixed(2) : '–'
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
