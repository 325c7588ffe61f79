// `npm run test:long`: the reliability harness in its long mode (RELIABILITY_LONG=1) — 500
// connections for 60 s in the soak, more crashes, seeds, mutations and clients — after a build,
// since the harness runs the built server. Extra arguments go to Vitest (e.g. a file name).
import { spawnSync } from 'node:child_process';

const steps = [
	['npm', ['run', 'build']],
	['npx', ['vitest', 'run', '--project', 'reliability', ...process.argv.slice(2)]]
];
for (const [command, commandArgs] of steps) {
	console.log(`\n$ ${command} ${commandArgs.join(' ')}`);
	const result = spawnSync(command, commandArgs, {
		stdio: 'inherit',
		env: { ...process.env, RELIABILITY_LONG: '1' }
	});
	if (result.status !== 0) process.exit(result.status ?? 1);
}
