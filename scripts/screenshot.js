// `node scripts/screenshot.js` (after `npm run build`): the README's screenshots of the BUILT app,
// regenerated so they stay current — docs/screenshot.png (the facilitator's laptop, 1366x768),
// docs/screenshot-phone.png (a participant's phone, 360x640) and docs/screenshot-projector.png
// (the projector's join screen, 1920x1080) — plus phone shots in test-results/ to check the layout.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';

const ALLIES = [
	['Association des femmes de Kayes', 'association'],
	['Mairie de Kayes', 'institution'],
	['Radio rurale de Kayes', 'organisation'],
	['Réseau des jeunes leaders', 'group'],
	['Aminata Diallo, sage-femme', 'individual']
];

const port = await freePort();
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'coalition-screenshot-'));
const server = await startServer(port, dataDir);
const args = ['--disable-background-networking', '--disable-component-update', '--no-first-run'];
if (process.getuid?.() === 0) args.push('--no-sandbox');
const browser = await chromium.launch({
	executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
	args
});
try {
	const base = `http://127.0.0.1:${port}`;
	const laptop = await browser.newContext({
		viewport: { width: 1366, height: 768 },
		locale: 'fr-FR'
	});
	const desktop = await laptop.newPage();
	// Only a signed-in facilitator creates workshops: sign up (SIGNUP defaults to open).
	await desktop.goto(`${base}/signup`);
	await desktop.getByLabel('Votre nom').fill('Aminata Coulibaly');
	await desktop.getByLabel('Identifiant').fill('animatrice.kayes');
	await desktop.getByLabel('Mot de passe').fill('forum-kayes-2026');
	await desktop.getByRole('button', { name: 'Créer le compte' }).click();
	await desktop.waitForURL(`${base}/`);
	await desktop.getByLabel("Titre de l'atelier").fill('Forum des organisations de Kayes');
	await desktop.getByRole('button', { name: "Créer l'atelier" }).click();
	await desktop.waitForURL(/\/w\//);
	for (const [name, type] of ALLIES) {
		await desktop.getByLabel("Nom de l'allié", { exact: true }).fill(name);
		await desktop.getByLabel('Type').first().selectOption(type);
		await desktop.getByRole('button', { name: "Ajouter l'allié" }).click();
		await desktop.getByRole('textbox', { name: `Nom de ${name}`, exact: true }).waitFor();
	}
	await waitForText(desktop.getByTestId('save-status'), 'Enregistré');
	fs.mkdirSync('docs', { recursive: true });
	await desktop.screenshot({ path: 'docs/screenshot.png' });
	report('docs/screenshot.png');

	// The projector: the facilitator's second screen, showing the join screen.
	const projector = await laptop.newPage();
	await projector.setViewportSize({ width: 1920, height: 1080 });
	await projector.goto(`${desktop.url()}/projector`);
	await desktop.getByRole('button', { name: 'L’écran pour rejoindre' }).click();
	await projector.getByTestId('join-screen').waitFor();
	await projector.screenshot({ path: 'docs/screenshot-projector.png' });
	report('docs/screenshot-projector.png');
	const code = (await projector.getByTestId('join-screen-code').textContent()).trim();
	await desktop
		.getByTestId('projector-control')
		.getByRole('button', { name: 'L’étape du groupe' })
		.click();

	const phone = await browser.newPage({
		viewport: { width: 360, height: 640 },
		deviceScaleFactor: 2,
		isMobile: true,
		hasTouch: true,
		locale: 'fr-FR'
	});
	fs.mkdirSync('test-results', { recursive: true });
	// A participant joins with the code on the projector, as in the room.
	await phone.goto(`${base}/join`);
	await phone.getByLabel('Code de l’atelier').fill(code);
	await phone.getByRole('button', { name: 'Continuer' }).click();
	await phone.getByLabel('Votre nom').fill('Moussa Diarra');
	await phone.getByLabel('Organisation que vous représentez').fill('Radio rurale de Kayes');
	await phone.getByRole('button', { name: 'Rejoindre' }).click();
	await waitForText(phone.getByTestId('save-status'), 'Enregistré');
	await phone.screenshot({ path: 'docs/screenshot-phone.png' });
	report('docs/screenshot-phone.png');
	await phone.screenshot({ path: 'test-results/phone-board-full.png', fullPage: true });
	// The status while the server is away, with edits waiting.
	server.kill('SIGTERM');
	await waitForText(phone.getByTestId('save-status'), 'Reconnexion');
	await phone.getByLabel("Nom de l'allié", { exact: true }).fill('Chefferie traditionnelle');
	await phone.getByRole('button', { name: "Ajouter l'allié" }).click();
	await waitForText(phone.getByTestId('save-status'), 'non enregistrée');
	await phone.evaluate(() => window.scrollTo(0, 0));
	await phone.screenshot({ path: 'test-results/phone-offline.png' });
	console.log('phone screenshots in test-results/phone-*.png');
} finally {
	await browser.close();
	server.kill('SIGTERM');
	fs.rmSync(dataDir, { recursive: true, force: true });
}

function report(file) {
	console.log(`${file}: ${Math.round(fs.statSync(file).size / 1024)} KB`);
}

async function waitForText(locator, text) {
	const deadline = Date.now() + 20_000;
	while (!(await locator.textContent())?.includes(text)) {
		if (Date.now() > deadline) throw new Error(`"${text}" never showed`);
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

function startServer(port, dataDir) {
	const child = spawn(process.execPath, ['build/coalition-server.js'], {
		env: {
			...process.env,
			PORT: String(port),
			HOST: '127.0.0.1',
			DATA_DIR: dataDir,
			LOG_LEVEL: 'info'
		},
		stdio: ['ignore', 'pipe', 'inherit']
	});
	return new Promise((resolve, reject) => {
		child.stdout.on('data', (chunk) => {
			if (String(chunk).includes('Coalition Board is listening')) resolve(child);
		});
		child.once('exit', (code) =>
			reject(new Error(`server exited with ${code}: run npm run build`))
		);
	});
}

function freePort() {
	return new Promise((resolve, reject) => {
		const probe = net.createServer();
		probe.listen(0, '127.0.0.1', () => {
			const { port } = probe.address();
			probe.close(() => resolve(port));
		});
		probe.on('error', reject);
	});
}
