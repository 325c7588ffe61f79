// `npm test`: the quality gates (Prettier, ESLint, svelte-check with no error or warning), then
// every test — unit, integration (real server, real SQLite) and end-to-end (Chromium).
// Fails at once, naming the fix, when Debian's chromium is missing (end-to-end tests never skip) or
// strace is (the slow-disk tests delay the server's fsyncs with it).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
if (!fs.existsSync(CHROMIUM)) {
	console.error(
		`Chromium is missing at ${CHROMIUM}: the end-to-end tests need it.\nInstall it with: apt-get install -y chromium`
	);
	process.exit(1);
}
if (spawnSync('strace', ['-V'], { stdio: 'ignore' }).status !== 0) {
	console.error(
		'strace is missing: the slow-disk tests need it.\nInstall it with: apt-get install -y strace'
	);
	process.exit(1);
}

const args = process.argv.slice(2);
const steps = [
	['npm', ['run', 'lint']],
	// After the build: svelte-check reads the messages Paraglide compiles during it.
	['npm', ['run', 'build']],
	['npm', ['run', 'check', '--', '--fail-on-warnings']],
	['npx', ['vitest', 'run', ...args]],
	['npx', ['playwright', 'test']]
];
for (const [command, commandArgs] of steps) {
	console.log(`\n$ ${command} ${commandArgs.join(' ')}`);
	const result = spawnSync(command, commandArgs, { stdio: 'inherit' });
	if (result.status !== 0) process.exit(result.status ?? 1);
}
