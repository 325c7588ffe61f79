/**
 * The operator's command line for a venue laptop: `npm run workshop:export -- <id> [file]` writes a
 * facilitator's export; `npm run workshop:import -- <file>` creates the workshop on another
 * DATA_DIR, says "nothing new" the second time, refuses a tampered file, and refuses to run while
 * a server is running on that DATA_DIR's port.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, spawnServer, tempDataDir, type ChildServer } from '../fixtures/server';
import {
	addParticipant,
	closeServices,
	editAsClient,
	lockCharter,
	openServices,
	seedRevealedRound,
	seedWorkshop
} from '../fixtures/workshops';
import { createServices } from '../../server/services';
import { loadConfig } from '../../server/config';
import { addAlly, readAllies } from '../../src/lib/shared/schema';
import { readCharter } from '../../src/lib/shared/charter';

const children: ChildServer[] = [];
afterAll(async () => {
	for (const child of children) {
		child.process.kill('SIGTERM');
		await child.exited;
	}
});

function run(
	script: 'workshop:export' | 'workshop:import',
	args: string[],
	env: Record<string, string>
) {
	return new Promise<{ code: number | null; output: string }>((resolve) => {
		const child = spawn('npm', ['run', '--silent', script, '--', ...args], {
			env: { ...process.env, ...env },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		let output = '';
		child.stdout.on('data', (chunk) => (output += chunk));
		child.stderr.on('data', (chunk) => (output += chunk));
		child.on('exit', (code) => resolve({ code, output }));
	});
}

describe('the workshop command line', () => {
	it('exports from one DATA_DIR and imports into another, once, refusing a tampered file and a running server', async () => {
		const source = openServices();
		const laptop = source.config.dataDir;
		const { workshopId, facilitator } = await seedWorkshop(source, 'Forum de Kayes');
		const awa = await addParticipant(source, workshopId, 'Awa', 'CARE Mali');
		await editAsClient(source, workshopId, (doc) =>
			addAlly(doc, { name: 'CARE Mali', type: 'organisation' })
		);
		await seedRevealedRound(source, workshopId, [awa]);
		await lockCharter(source, workshopId, facilitator);
		await closeServices(source);

		const file = path.join(tempDataDir(), 'forum.json');
		const port = String(await freePort());
		const exported = await run('workshop:export', [workshopId, file], {
			DATA_DIR: laptop,
			PORT: port
		});
		expect(exported.code, exported.output).toBe(0);
		expect(exported.output).toContain(`Exported "Forum de Kayes" to ${file}`);
		expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toMatchObject({
			audience: 'facilitator',
			data: { workshop: { id: workshopId } }
		});
		expect(
			(await run('workshop:export', ['no-such-workshop'], { DATA_DIR: laptop, PORT: port })).code
		).toBe(1);

		const central = tempDataDir();
		const first = await run('workshop:import', [file], { DATA_DIR: central, PORT: port });
		expect(first.code, first.output).toBe(0);
		expect(first.output).toContain(`Created workshop ${workshopId}`);
		const again = await run('workshop:import', [file], { DATA_DIR: central, PORT: port });
		expect(again.code, again.output).toBe(0);
		expect(again.output).toContain('nothing new (already imported)');

		const tampered = path.join(tempDataDir(), 'tampered.json');
		fs.writeFileSync(
			tampered,
			fs.readFileSync(file, 'utf8').replace('Forum de Kayes', 'Forum de Bamako')
		);
		const refused = await run('workshop:import', [tampered], { DATA_DIR: central, PORT: port });
		expect(refused.code).toBe(1);
		expect(refused.output).toContain('Refused (checksum): nothing was changed.');

		const services = createServices(loadConfig({ DATA_DIR: central, LOG_LEVEL: 'silent' }));
		try {
			expect((await services.storage.getWorkshop(workshopId))?.title).toBe('Forum de Kayes');
			expect(
				await services.registry.readDocument(workshopId, (doc) =>
					readAllies(doc).map((ally) => ally.name)
				)
			).toEqual(['CARE Mali']);
			expect(
				await services.registry.readDocument(workshopId, (doc) => readCharter(doc)?.status)
			).toBe('locked');
		} finally {
			await closeServices(services);
		}

		children.push(await spawnServer({ PORT: port, DATA_DIR: central }));
		const running = await run('workshop:import', [file], { DATA_DIR: central, PORT: port });
		expect(running.code).toBe(1);
		expect(running.output).toContain(`The server is running on port ${port}`);
	});
});
