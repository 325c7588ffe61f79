// `node scripts/screenshot.js` (after `npm run build`): screenshots of the BUILT app during a small
// realistic forum, regenerated so they stay current. For each step of the path (Option 1's
// candidates, then Option 2's six), the facilitator's laptop (1366x768), a participant's phone
// (360x640) and the projector (1920x1080): docs/screens/<step>-{laptop,phone,projector}.jpg. The
// README's first images too: docs/screenshot.png (the laptop at step 1), docs/screenshot-phone.png
// (the phone at step 1) and docs/screenshot-projector.png (the projector's join screen). Plus
// phone shots in test-results/ to check the layout. Exits 1 naming what it was doing on failure.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { freePort, loadSeeding, startServer, stopServer } from './screenshot-server.js';

/** Every step of both options, in the path's order, with its title (tests/e2e/room.ts). */
const STEPS = [
	['candidates', 'Option 1 : Rejoindre une coalition déjà existante'],
	['identify', 'Étape 1 : Identifier les alliés'],
	['study', 'Étape 2 : Étudier les alliés pour mieux les connaître'],
	['objective', "L'objectif commun"],
	['mobilise', "Étape 3 : Intéresser les alliés à l'objectif"],
	['tasks', 'Étape 4 : Définir les responsabilités et rôles de chaque allié — qui fera quoi ?'],
	['maintain', 'Étape 5 : Gérer et entretenir les alliances']
];
const SCREENS = 'docs/screens';
const EXT = 'jpg'; // JPEG at quality 70: 2.1 MB for the 21 screens, against 2.9 MB in PNG

/** What the participant does from their phone at a step, before the three screens are taken. */
const DOING = {
	identify: async (phone) => {
		await phone.getByLabel("Nom de l'allié", { exact: true }).fill('Groupement des maraîchères');
		await phone.getByRole('button', { name: "Ajouter l'allié" }).click();
		await phone.getByRole('textbox', { name: 'Nom de Groupement des maraîchères' }).waitFor();
	},
	objective: async (phone) => {
		const wording = 'Des classes passerelles pour les filles qui ont quitté l’école';
		await phone.getByLabel("Formulation de l'objectif").fill(wording);
		await phone.getByRole('button', { name: 'Proposer', exact: true }).click();
		await phone.getByTestId('proposal').filter({ hasText: wording }).waitFor();
	},
	tasks: async (phone) => {
		await phone
			.getByLabel('Nouvelle tâche', { exact: true })
			.fill('Visiter les écoles de Légal Ségou');
		await phone.getByRole('button', { name: 'Ajouter la tâche' }).click();
		await phone.getByTestId('task-card').nth(8).waitFor();
	},
	maintain: async (phone) => {
		await phone
			.getByLabel('Nouveau principe', { exact: true })
			.fill('Rendre compte à chaque réunion');
		await phone.getByRole('button', { name: 'Ajouter le principe' }).click();
		await phone.getByTestId('principle').nth(3).waitFor();
	}
};

let doing = 'checking the build';
const started = Date.now();
if (!fs.existsSync('build/coalition-server.js')) fail('build/coalition-server.js is missing');
doing = 'compiling the forum seeding (tests/e2e/realistic-board.ts)';
const seedRealisticForum = await loadSeeding().catch(fail);
doing = 'starting the server';
const port = await freePort();
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'coalition-screenshot-'));
const server = await startServer(port, dataDir).catch((error) => {
	fs.rmSync(dataDir, { recursive: true, force: true });
	return fail(error);
});
const args = ['--disable-background-networking', '--disable-component-update', '--no-first-run'];
if (process.getuid?.() === 0) args.push('--no-sandbox');
let browser = null;
try {
	doing = 'starting Chromium';
	browser = await chromium.launch({
		executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
		args
	});
	await runForum(browser, `http://127.0.0.1:${port}`, server);
	const files = fs.readdirSync(SCREENS).map((file) => path.join(SCREENS, file));
	const total = files.reduce((sum, file) => sum + fs.statSync(file).size, 0);
	console.log(`${files.length} files in ${SCREENS}/, ${Math.round(total / 1024)} KB in all`);
	console.log(`done in ${Math.round((Date.now() - started) / 1000)} s`);
} catch (error) {
	console.error(`screenshot.js failed while ${doing}:\n${error.stack ?? error}`);
	process.exitCode = 1;
} finally {
	await browser?.close();
	await stopServer(server);
	fs.rmSync(dataDir, { recursive: true, force: true });
}

async function runForum(browser, base, server) {
	doing = 'creating the workshop on the laptop';
	const laptop = await person(browser, { viewport: { width: 1366, height: 768 } });
	// Only a signed-in facilitator creates workshops: sign up (SIGNUP defaults to open).
	await laptop.goto(`${base}/signup`);
	await laptop.getByLabel('Votre nom').fill('Aminata Coulibaly');
	await laptop.getByLabel('Identifiant').fill('animatrice.kayes');
	await laptop.getByLabel('Mot de passe').fill('forum-kayes-2026');
	await laptop.getByRole('button', { name: 'Créer le compte' }).click();
	await laptop.waitForURL(`${base}/`);
	await laptop.getByLabel("Titre de l'atelier").fill('Forum des organisations de Kayes');
	await laptop.getByRole('button', { name: "Créer l'atelier" }).click();
	await laptop.waitForURL(/\/w\/[^/]+$/);
	const board = laptop.url();
	const cookies = await laptop.context().cookies();
	const session = cookies.find((cookie) => cookie.name === 'session');

	doing = 'seeding the forum (allies, scores, the map, proposals, a round, tasks, principles)';
	await seedRealisticForum({ url: base, dataDir }, board.split('/').pop(), {
		cookie: `session=${session.value}`
	});

	// The projector: the facilitator's second screen (same account), showing the join screen.
	doing = 'showing the join screen on the projector';
	const projector = await person(browser, { viewport: { width: 1920, height: 1080 } });
	await projector.context().addCookies(cookies);
	await projector.goto(`${board}/projector`);
	await laptop.getByRole('button', { name: 'L’écran pour rejoindre' }).click();
	await projector.getByTestId('join-screen').waitFor();
	await shoot(projector, 'docs/screenshot-projector.png');
	const code = (await projector.getByTestId('join-screen-code').textContent()).trim();
	await laptop
		.getByTestId('projector-control')
		.getByRole('button', { name: 'L’étape du groupe' })
		.click();

	// A participant joins with the code on the projector, as in the room.
	doing = 'joining from the phone with the code';
	const phone = await person(browser, {
		viewport: { width: 360, height: 640 },
		deviceScaleFactor: 2,
		isMobile: true,
		hasTouch: true
	});
	await phone.goto(`${base}/join`);
	await phone.getByLabel('Code de l’atelier').fill(code);
	await phone.getByRole('button', { name: 'Continuer' }).click();
	await phone.getByLabel('Votre nom').fill('Moussa Diarra');
	await phone.getByLabel('Organisation que vous représentez').fill('Radio rurale de Kayes');
	await phone.getByRole('button', { name: 'Rejoindre' }).click();
	await waitForText(phone.getByTestId('save-status'), 'Enregistré');

	fs.rmSync(SCREENS, { recursive: true, force: true });
	fs.mkdirSync(SCREENS, { recursive: true });
	for (const [step, title] of STEPS) {
		doing = `bringing everyone to ${step}`;
		await laptop.goto(`${board}?step=${step}`);
		const bring = laptop.getByRole('button', { name: 'Amener tout le monde à cette étape' });
		await bring.click();
		await bring.waitFor({ state: 'hidden' });
		for (const page of [laptop, phone, projector])
			await waitForText(page.locator('#step-title'), title);
		doing = `acting from the phone at ${step}`;
		await DOING[step]?.(phone);
		await waitForText(phone.getByTestId('save-status'), 'Enregistré');
		await projector.waitForTimeout(300); // the pager's transition
		doing = `taking the screens of ${step}`;
		const screens = { laptop, phone, projector };
		for (const [who, page] of Object.entries(screens))
			await shoot(page, `${SCREENS}/${step}-${who}.${EXT}`);
		await phone.screenshot({ path: `test-results/phone-${step}-full.png`, fullPage: true });
		if (step !== 'identify') continue;
		await shoot(laptop, 'docs/screenshot.png');
		await shoot(phone, 'docs/screenshot-phone.png');
	}

	// The status while the server is away, with a change waiting.
	doing = 'stopping the server for the offline phone';
	server.kill('SIGTERM');
	await waitForText(phone.getByTestId('save-status'), 'Reconnexion');
	await phone.getByLabel('Nouveau principe', { exact: true }).fill('Se relayer pour animer');
	await phone.getByRole('button', { name: 'Ajouter le principe' }).click();
	await waitForText(phone.getByTestId('save-status'), 'non enregistrée');
	await shoot(phone, 'test-results/phone-offline.png');
	console.log('phone screenshots to check the layout in test-results/phone-*.png');
}

/** A person with their own device: a browser context in French. */
async function person(browser, options) {
	const context = await browser.newContext({ locale: 'fr-FR', ...options });
	context.setDefaultTimeout(15_000);
	return context.newPage();
}

/** The first screen, one pixel per CSS pixel (a phone's 360x640, not its 720x1280). */
async function shoot(page, file) {
	await page.evaluate(() => window.scrollTo(0, 0));
	fs.mkdirSync(path.dirname(file), { recursive: true });
	const jpeg = file.endsWith('.jpg');
	await page.screenshot({ path: file, scale: 'css', ...(jpeg && { type: 'jpeg', quality: 70 }) });
	console.log(`${file}: ${Math.round(fs.statSync(file).size / 1024)} KB`);
}

async function waitForText(locator, text) {
	const deadline = Date.now() + 20_000;
	while (!(await locator.textContent())?.includes(text)) {
		if (Date.now() > deadline) throw new Error(`"${text}" never showed`);
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

function fail(error) {
	const hint = doing === 'checking the build' ? ': run npm run build first' : '';
	console.error(`screenshot.js failed while ${doing}${hint}:\n${error.stack ?? error}`);
	process.exit(1);
}
