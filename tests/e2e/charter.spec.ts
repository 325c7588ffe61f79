/**
 * The charter holds what was agreed, on four screens: the facilitator's laptop, two phones of
 * different organisations and the projector. The default flow — an anonymous round where each
 * participant votes — then each organisation endorses (one from its delegate's phone with a
 * reservation, one recorded by the facilitator in the room); the facilitator sees what the charter
 * will say and what is missing, locks version 1, then locks version 2 once who does what exists.
 * Version 1 stays readable in the history.
 */
import AxeBuilder from '@axe-core/playwright';
import WebSocket from 'ws';
import * as Y from 'yjs';
import type { Locator, Page } from '@playwright/test';
import { connectBoard } from '../../src/lib/realtime/board-connection';
import { getAllies } from '../../src/lib/shared/schema';
import { seedMember } from '../fixtures/members';
import {
	admitParticipant,
	createWorkshop,
	expect,
	openAsSameAccount,
	test,
	type AppServer
} from './fixtures';
import { expectProjectorReadable, PROJECTOR } from './projector';
import { expectNoSideScroll, expectNoVerticalScroll, LAPTOP, PHONE } from './room';

const FINAL = 'Qu’en 2030 toutes les filles de Kayes entrent au collège et y restent';
const VOTE_RESERVATION = 'Prévoir des classes passerelles';
const CARE_RESERVATION = 'Associer les chefs de village au suivi';
const CONSENT = "Consentement (d'accord, réserves, blocage)";

/** WCAG 2.0/2.1 A and AA, as tests/e2e/accessibility.spec.ts checks the other screens. */
async function expectAccessible(page: Page): Promise<void> {
	const results = await new AxeBuilder({ page })
		.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
		.analyze();
	expect(results.violations.map((violation) => `${violation.id}: ${violation.help}`)).toEqual([]);
}

function roundOf(page: Page): Locator {
	return page.locator('[data-testid^="round-"]').filter({ has: page.getByTestId('round-results') });
}

async function vote(page: Page, choice: string, reservation?: string): Promise<void> {
	await page.locator('label.consent', { hasText: choice }).click();
	if (reservation) await page.getByLabel('Vos réserves (facultatif)').fill(reservation);
	await page.getByRole('button', { name: 'Voter', exact: true }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Vote enregistré' })).toBeVisible();
}

/** Step 4 written as the board's view does, through a real `/yjs` client (a facilitator's). */
async function addTask(app: AppServer, workshopId: string, title: string, ally: string) {
	const { cookie } = await seedMember(app.dataDir, workshopId);
	class WithCookie extends WebSocket {
		constructor(address: string | URL, protocols?: string | string[]) {
			super(address, protocols ?? [], { headers: { cookie } });
		}
	}
	const board = connectBoard({
		origin: app.url,
		workshopId,
		WebSocketImpl: WithCookie as unknown as typeof globalThis.WebSocket
	});
	try {
		await expect.poll(() => board.provider.synced).toBe(true);
		const [allyId] = [...getAllies(board.doc)].find(
			([, entry]) => String(entry.get('name')) === ally
		)!;
		board.doc.transact(() => {
			const task = new Y.Map<unknown>();
			task.set('title', new Y.Text(title));
			task.set('description', new Y.Text());
			task.set('deadline', '2027-03-01');
			task.set('status', 'todo');
			const roles = new Y.Map<unknown>();
			roles.set(allyId, 'lead');
			task.set('roles', roles);
			task.set('createdAt', Date.now());
			board.doc.getMap('tasks').set('task-prefet', task);
		});
		await expect.poll(() => board.saves.unsaved).toBe(0);
	} finally {
		board.destroy();
	}
}

test('the charter names the endorsing organisations, their reservations and who does what; it is locked again as the forum progresses', async ({
	app,
	openPerson
}) => {
	test.setTimeout(120_000);
	const awa = await openPerson(LAPTOP);
	const fatou = await openPerson(PHONE);
	const moussa = await openPerson(PHONE);
	const projector = await openPerson(PROJECTOR);
	const path = await createWorkshop(awa, 'Forum de Kayes');
	const workshopId = path.split('/').pop()!;
	await admitParticipant(fatou, path, 'Fatou', 'CARE Mali');
	await admitParticipant(moussa, path, 'Moussa', 'Radio rurale');
	const panel = awa.getByTestId('facilitator-panel');

	await test.step('an anonymous consent round on the final wording; a reservation voiced', async () => {
		await awa.goto(`${path}?step=objective`);
		for (const page of [fatou, moussa]) await page.goto(`${path}?step=objective`);
		await openAsSameAccount(projector, awa, `${path}/projector`);
		await awa.getByLabel("Formulation de l'objectif").fill('Scolariser les filles');
		await awa.getByRole('button', { name: 'Proposer', exact: true }).click();
		await awa.getByRole('checkbox', { name: 'Sélectionner « Scolariser les filles »' }).check();
		const merge = awa.locator('details.merge');
		await merge.locator('summary').click();
		await merge.getByLabel("Formulation de l'objectif").fill(FINAL);
		await merge.getByRole('button', { name: 'Fusionner en formulation finale' }).click();
		await awa.getByRole('checkbox', { name: `Sélectionner « ${FINAL} »` }).check();
		await awa.getByLabel(CONSENT).check();
		await expect(awa.getByRole('radio', { name: 'Anonyme' })).toBeChecked();
		await awa.getByRole('button', { name: 'Ouvrir le vote' }).click();
		// Before consensus, nothing to endorse and nothing to lock: the preview says why.
		await expect(fatou.getByTestId('endorsements')).toContainText(
			"L'approbation s'ouvre quand le groupe a atteint le consensus"
		);
		await expect(panel.getByTestId('charter-gaps')).toContainText(
			'Aucun vote révélé sur la formulation finale.'
		);
		await expect(panel.getByRole('button', { name: /Verrouiller la charte/ })).toBeDisabled();

		await vote(fatou, "J'ai des réserves", VOTE_RESERVATION);
		await vote(moussa, "D'accord");
		await awa.getByRole('button', { name: 'Clore le vote' }).click();
		await awa.getByRole('button', { name: 'Révéler les résultats' }).click();
		for (const page of [awa, fatou, moussa])
			await expect(roundOf(page).getByTestId('verdict')).toHaveText('Consensus atteint');
	});

	await test.step('the facilitator sees what is missing: no organisation endorsed, no task yet', async () => {
		const gaps = panel.getByTestId('charter-gaps');
		await expect(gaps).toContainText('Pas encore approuvé par : CARE Mali, Radio rurale');
		await expect(gaps).toContainText('Qui fera quoi : aucune tâche (étape 4).');
		await panel.getByText('Voir ce que dira la version 1').click();
		const preview = panel.getByTestId('charter-preview');
		await expect(preview.locator('blockquote')).toHaveText(FINAL);
		// The anonymous round names nobody; its reservation is there, unattributed.
		await expect(preview.getByTestId('charter-endorsements')).toContainText(
			"Aucune organisation ne l'avait approuvé à ce verrouillage."
		);
		await expect(preview.getByTestId('charter-objective')).toContainText(VOTE_RESERVATION);
		await expect(preview).not.toContainText('Fatou');
		await panel.screenshot({ path: 'test-results/laptop-charter-preview.png' });
		await expectAccessible(awa);
	});

	await test.step('CARE Mali’s delegate endorses from her phone; the facilitator records Radio rurale’s', async () => {
		const mine = fatou.getByTestId('endorsements');
		await expect(mine.getByTestId('endorsement-row')).toHaveCount(1);
		await mine.getByLabel('Réserve (facultatif)').fill(CARE_RESERVATION);
		await mine.getByRole('button', { name: 'Approuver au nom de CARE Mali' }).click();
		await expect(mine).toContainText('Approuvé par Fatou');
		await mine.screenshot({ path: 'test-results/phone-endorsement.png' });
		await expectNoSideScroll(fatou, 'endorsement on the phone');
		await expectAccessible(fatou);

		const radio = awa
			.getByTestId('endorsements')
			.getByTestId('endorsement-row')
			.filter({ hasText: 'Radio rurale' });
		await radio.getByRole('button', { name: "Enregistrer l'approbation" }).click();
		await expect(moussa.getByTestId('endorsements')).toContainText('Approuvé (enregistré par');
		// Moussa is Radio rurale's delegate too; a phone sees its own organisation only.
		await expect(moussa.getByTestId('endorsement-row')).toHaveCount(1);
		await expect(panel.getByTestId('charter-gaps')).not.toContainText('Pas encore approuvé');
	});

	await test.step('version 1: the projector shows the organisations, their reservations, and says no task was defined', async () => {
		await panel.getByRole('button', { name: 'Verrouiller la charte (version 1)' }).click();
		await expect(panel.getByRole('status')).toHaveText('Charte verrouillée (version 1).');
		const charter = projector.getByTestId('charter');
		await expect(charter).toContainText('Version 1');
		const endorsers = charter.getByTestId('charter-endorser');
		await expect(endorsers).toHaveCount(2);
		await expect(endorsers.filter({ hasText: 'CARE Mali' })).toContainText(
			`Réserve : ${CARE_RESERVATION}`
		);
		await expect(endorsers.filter({ hasText: 'Radio rurale' })).toBeVisible();
		await expect(charter.getByTestId('charter-tasks')).toContainText(
			"Aucune tâche n'était définie à ce verrouillage."
		);
		await expect(charter).not.toContainText('Fatou');
		await expectNoVerticalScroll(projector, 'charter');
		await expectProjectorReadable(projector);
		// Nothing new: the same text is not locked twice.
		await expect(panel.getByText('Rien de nouveau depuis la version 1 verrouillée.')).toBeVisible();
		await expect(
			panel.getByRole('button', { name: 'Verrouiller la charte (version 2)' })
		).toBeDisabled();
	});

	await test.step('who does what is defined; version 2 holds it, version 1 stays in the history', async () => {
		await awa.goto(`${path}?step=identify`);
		await awa.getByLabel("Nom de l'allié", { exact: true }).fill('CARE Mali');
		await awa.getByRole('button', { name: "Ajouter l'allié" }).click();
		await awa
			.getByTestId('ally-card')
			.getByLabel("Organisation de l'atelier")
			.selectOption({ label: 'CARE Mali' });
		await addTask(app, workshopId, 'Rencontrer le préfet', 'CARE Mali');
		await fatou.goto(`${path}?step=tasks`);
		await fatou.getByTestId('task-acceptance').getByRole('button', { name: 'Accepter' }).click();
		await expect(fatou.getByTestId('task-acceptance')).toContainText('Accepté par Fatou');

		const lock = panel.getByRole('button', { name: 'Verrouiller la charte (version 2)' });
		await expect(lock).toBeEnabled();
		await lock.click();
		await expect(panel.getByRole('status')).toHaveText('Charte verrouillée (version 2).');
		await awa.getByTestId('projector-control').getByRole('button', { name: 'La charte' }).click();
		const charter = projector.getByTestId('charter');
		await expect(charter).toContainText('Version 2');
		await expect(charter.getByTestId('charter-tasks')).toContainText('Rencontrer le préfet');
		await expect(charter.getByTestId('charter-tasks')).toContainText(
			'Responsable : CARE Mali ✓ accepté par Fatou'
		);
		await projector.waitForTimeout(300);
		await projector.screenshot({ path: 'test-results/projector-charter.png' });
		await expectNoVerticalScroll(projector, 'charter version 2');

		const phoneCharter = fatou.getByTestId('charter');
		await expect(phoneCharter).toContainText('Version 2');
		await expectNoSideScroll(fatou, 'charter on the phone');

		await awa.goto(`${path}/history`);
		const locks = awa
			.getByTestId('timeline')
			.getByRole('listitem')
			.filter({ hasText: 'Charte verrouillée' });
		await expect(locks).toHaveCount(2);
		// The timeline runs oldest first: the first lock is version 1.
		await locks.first().getByRole('link').click();
		const first = awa.getByTestId('version').getByTestId('charter');
		await expect(first).toContainText('Version 1');
		await expect(first.getByTestId('charter-tasks')).toContainText(
			"Aucune tâche n'était définie à ce verrouillage."
		);
	});
});
