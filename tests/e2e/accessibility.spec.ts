/**
 * axe-core (WCAG 2.0/2.1 A and AA) on the board as a phone shows it, online and offline, with
 * reduced motion: 0 violations. A first slice of issue #14's accessibility pass.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { admitParticipant, createWorkshop, expect, test } from './fixtures';

const PHONE = { viewport: { width: 360, height: 640 } };
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

async function violations(page: Page): Promise<string[]> {
	const results = await new AxeBuilder({ page }).withTags(TAGS).analyze();
	return results.violations.map(
		(violation) =>
			`${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join(', ')})`
	);
}

test('the board on a phone has no WCAG A/AA violation, online and offline with what waits', async ({
	app,
	openPerson
}) => {
	const amina = await openPerson();
	const board = await createWorkshop(amina, 'Forum de Kayes');
	const moussa = await openPerson(PHONE);
	await moussa.emulateMedia({ reducedMotion: 'reduce' });
	await admitParticipant(moussa, board, 'Moussa');
	await moussa.goto(board);
	await expect(moussa.getByTestId('save-status')).toHaveText('Enregistré');
	await expect(moussa.getByLabel("Nom de l'allié", { exact: true })).toBeVisible();
	expect(await violations(moussa)).toEqual([]);

	await app.stop();
	await moussa.getByLabel("Nom de l'allié", { exact: true }).fill('Mairie de Kayes');
	await moussa.getByRole('button', { name: "Ajouter l'allié" }).click();
	await expect(moussa.getByTestId('save-status')).toContainText('Hors ligne', { timeout: 20_000 });
	expect(await violations(moussa)).toEqual([]);
});

const STEPS = ['candidates', 'identify', 'study', 'objective', 'mobilise', 'tasks', 'maintain'];

test('every step of the board, on a phone and on a desktop, and the pages around it have no WCAG A/AA violation', async ({
	openPerson
}) => {
	// Twenty pages through axe on a shared 2-core machine.
	test.setTimeout(240_000);
	const amina = await openPerson();
	await amina.emulateMedia({ reducedMotion: 'reduce' });
	const board = await createWorkshop(amina, 'Forum de Kayes');
	const moussa = await openPerson(PHONE);
	await moussa.emulateMedia({ reducedMotion: 'reduce' });
	await admitParticipant(moussa, board, 'Moussa');
	const found: string[] = [];
	for (const [who, page] of [
		['facilitator, desktop', amina],
		['participant, phone', moussa]
	] as const) {
		for (const step of STEPS) {
			await page.goto(`${board}?step=${step}`);
			await expect(page.locator(`[data-step="${step}"]`)).toBeVisible();
			await expect(page.getByText("Chargement de l'étape…")).toHaveCount(0);
			found.push(...(await violations(page)).map((violation) => `${who}, ${step}: ${violation}`));
		}
	}
	for (const path of [`${board}/settings`, `${board}/members`, `${board}/projector`, '/']) {
		await amina.goto(path);
		await amina.waitForLoadState('networkidle');
		found.push(...(await violations(amina)).map((violation) => `${path}: ${violation}`));
	}
	for (const path of ['/me', '/join']) {
		await moussa.goto(path);
		await moussa.waitForLoadState('networkidle');
		found.push(...(await violations(moussa)).map((violation) => `${path}: ${violation}`));
	}
	expect(found).toEqual([]);
});
