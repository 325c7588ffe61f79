// `node scripts/screenshot.js`: the README screenshot (docs/screenshot.png, 1280x800) of the BUILT
// app with a few allies, plus phone-sized shots (360x640) in test-results/ to check the layout.
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
	const desktop = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'fr-FR' });
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
	console.log(`docs/screenshot.png: ${Math.round(fs.statSync('docs/screenshot.png').size / 1024)} KB`);

	const phone = await browser.newPage({
		viewport: { width: 360, height: 640 },
		deviceScaleFactor: 2,
		isMobile: true,
		hasTouch: true,
		locale: 'fr-FR'
	});
	fs.mkdirSync('test-results', { recursive: true });
	await phone.goto(`${base}/signin`);
	await phone.screenshot({ path: 'test-results/phone-signin.png', fullPage: true });
	await phone.goto(desktop.url());
	await waitForText(phone.getByTestId('save-status'), 'Enregistré');
	await phone.screenshot({ path: 'test-results/phone-board.png' });
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

async function waitForText(locator, text) {
	const deadline = Date.now() + 20_000;
	while (!(await locator.textContent())?.includes(text)) {
		if (Date.now() > deadline) throw new Error(`"${text}" never showed`);
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

function startServer(port, dataDir) {
	const child = spawn(process.execPath, ['build/coalition-server.js'], {
		env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info' },
		stdio: ['ignore', 'pipe', 'inherit']
	});
	return new Promise((resolve, reject) => {
		child.stdout.on('data', (chunk) => {
			if (String(chunk).includes('Coalition Board is listening')) resolve(child);
		});
		child.once('exit', (code) => reject(new Error(`server exited with ${code}: run npm run build`)));
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
