/**
 * The operator's command line for a venue laptop (same DATA_DIR as the server):
 * `npm run workshop:export -- <workshop id> [file]` writes the workshop's complete JSON file (a
 * facilitator's export: votes, scores and contacts included) and prints its name;
 * `npm run workshop:import -- <file>` creates the workshop, or merges it into the one of the same
 * id, exactly as the import page does. An import while the server runs would write the document
 * behind the server's back, so it is refused then: import in the app, or stop the server first.
 */
import fs from 'node:fs';
import { loadConfigOrExit, type Config } from './config';
import { createServices } from './services';
import { createLogger } from './log';
import { buildWorkshopFile, exportFileName } from '../src/lib/server/export-json';
import { ImportError, IMPORT_MAX_BYTES, parseWorkshopFile } from '../src/lib/server/import-json';
import { importWorkshop } from '../src/lib/server/import-merge';
import { isValidDocName } from '../src/lib/shared/protocol';

const [command, target, output] = process.argv.slice(2);
if ((command !== 'export' && command !== 'import') || !target) {
	console.error(
		'Usage: npm run workshop:export -- <workshop id> [file]\n       npm run workshop:import -- <file>'
	);
	process.exit(2);
}

const config = loadConfigOrExit();

if (command === 'import' && (await serverAnswers(config))) {
	console.error(
		`The server is running on port ${config.port}: import the file in the app (Importer un atelier), or stop the server first. Nothing was changed.`
	);
	process.exit(1);
}

const services = createServices(
	{ ...config, busyTimeoutMs: Math.max(config.busyTimeoutMs, 5000) },
	{ log: createLogger('warn') }
);
try {
	if (command === 'export') await exportWorkshop(target, output);
	else await importFile(target);
} finally {
	await services.registry.close();
	await services.storage.close();
}

async function exportWorkshop(workshopId: string, file?: string): Promise<void> {
	const workshop = isValidDocName(workshopId)
		? await services.storage.getWorkshop(workshopId)
		: null;
	if (!workshop) {
		console.error(`No workshop has the id "${workshopId}".`);
		process.exitCode = 1;
		return;
	}
	const data = await buildWorkshopFile(services, workshop.id, 'facilitator');
	const name = file ?? exportFileName(workshop, 'json');
	fs.writeFileSync(name, JSON.stringify(data));
	console.log(`Exported "${workshop.title}" to ${name}`);
}

async function importFile(file: string): Promise<void> {
	let text: string;
	try {
		if (fs.statSync(file).size > IMPORT_MAX_BYTES)
			throw new ImportError('too_large', `over ${IMPORT_MAX_BYTES} bytes`);
		text = fs.readFileSync(file, 'utf8');
	} catch (error) {
		console.error(
			error instanceof ImportError
				? `Refused (${error.message}): nothing was changed.`
				: `Cannot read ${file}.`
		);
		process.exitCode = 1;
		return;
	}
	try {
		const outcome = await importWorkshop(services, parseWorkshopFile(text), null);
		const added = Object.entries(outcome.counts).filter(([, count]) => count > 0);
		console.log(
			`${outcome.created ? 'Created' : 'Merged into'} workshop ${outcome.workshopId}: ` +
				(added.length === 0 && !outcome.documentChanged
					? 'nothing new (already imported).'
					: `${added.map(([kind, count]) => `${kind} ${count}`).join(', ') || 'no new rows'}; board ${outcome.documentChanged ? 'updated' : 'unchanged'}.`)
		);
	} catch (error) {
		if (!(error instanceof ImportError)) throw error;
		console.error(`Refused (${error.message}): nothing was changed.`);
		process.exitCode = 1;
	}
}

async function serverAnswers(config: Config): Promise<boolean> {
	try {
		const response = await fetch(`http://127.0.0.1:${config.port}/healthz`, {
			signal: AbortSignal.timeout(1000)
		});
		return response.status > 0;
	} catch {
		return false;
	}
}
