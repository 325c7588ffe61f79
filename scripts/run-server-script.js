// The operator's commands written in TypeScript under server/ (Node 20 cannot run TypeScript):
// compiles one next to the built server, then runs it in this process.
import { build } from 'esbuild';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** `name`: server/<name>.ts, compiled to build/<name>.js. */
export async function runServerScript(name) {
	const outfile = `build/${name}.js`;
	await build({
		entryPoints: [`server/${name}.ts`],
		outfile,
		bundle: true,
		platform: 'node',
		target: 'node20',
		format: 'esm',
		packages: 'external',
		logLevel: 'warning'
	});
	await import(pathToFileURL(path.resolve(outfile)).href);
}
