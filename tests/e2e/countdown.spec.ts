/**
 * The facilitator's countdown travels as a duration and the server's start time: a phone whose
 * clock is 5 minutes wrong shows the same time left as the projector, within a second.
 */
import type { Page } from '@playwright/test';
import { admitParticipant, createWorkshop, expect, signInAsFacilitator, test } from './fixtures';

/** The seconds a countdown shows (`m:ss`). */
async function shownSeconds(page: Page): Promise<number> {
	const text = (await page.getByRole('timer').textContent()) ?? '';
	const [minutes, seconds] = text.trim().split(':').map(Number);
	return minutes * 60 + seconds;
}

test('a phone 5 minutes fast and one 5 minutes slow show the projector’s time left, ±1 s', async ({
	openPerson
}) => {
	const oumar = await openPerson();
	await signInAsFacilitator(oumar);
	const path = await createWorkshop(oumar, 'Forum de Kayes');
	const projector = await oumar.context().newPage();
	await projector.goto(`${path}/projector`);
	await expect(projector.getByRole('heading', { level: 1, name: 'Forum de Kayes' })).toBeVisible();

	const phones: Page[] = [];
	for (const [name, skew] of [
		['Moussa', 5 * 60_000],
		['Awa', -5 * 60_000]
	] as const) {
		const phone = await openPerson({ viewport: { width: 390, height: 844 } });
		await phone.clock.install({ time: Date.now() + skew });
		await admitParticipant(phone, path, name);
		await phone.goto(path);
		await expect(phone.getByRole('button', { name: "Ajouter l'allié" })).toBeEnabled();
		phones.push(phone);
	}
	// Let each phone's command channel connect and measure its clock offset.
	await phones[0].waitForTimeout(1000);

	await oumar.getByRole('button', { name: '5 min', exact: true }).click();
	for (const page of [projector, ...phones]) await expect(page.getByRole('timer')).toBeVisible();

	for (const phone of phones) {
		const before = await shownSeconds(projector);
		const shown = await shownSeconds(phone);
		const after = await shownSeconds(projector);
		expect(before).toBeGreaterThan(240);
		expect(shown).toBeGreaterThanOrEqual(after - 1);
		expect(shown).toBeLessThanOrEqual(before + 1);
	}

	await oumar.getByRole('button', { name: 'Arrêter le compte à rebours' }).click();
	for (const page of [projector, ...phones]) await expect(page.getByRole('timer')).toHaveCount(0);
});
