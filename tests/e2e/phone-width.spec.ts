/**
 * Phones never scroll sideways: a 200-character ally name without a space, long real names of
 * people and organisations, and the revealed map with its labels all stay inside 360 px.
 */
import type { Page } from '@playwright/test';
import { admitParticipant, createWorkshop, expect, test } from './fixtures';
import { PHONE, UNBROKEN, expectMapLabelsClear, expectNoSideScroll } from './room';

const ALLIES = [
	UNBROKEN,
	"Direction régionale de l'hydraulique",
	'Association des femmes transformatrices de produits agricoles du cercle de Kayes',
	'Mairie de Kayes',
	'Radio rurale de Kayes'
];
const LONG_NAME = 'Aïssata Maïmouna Coulibaly-Diarrassouba épouse Traoré';
const LONG_ORGANISATION = 'Association des femmes transformatrices de produits agricoles de Kayes';

async function place(page: Page, name: string, influence: number, interest: number): Promise<void> {
	for (const [axis, value] of [
		['Influence', influence],
		['Intérêt', interest]
	] as const) {
		const group = page.getByRole('group', { name: `${axis} de ${name}`, exact: true });
		await group.getByRole('button', { name: `${value} sur 5` }).click();
		await expect(group.getByRole('button', { name: `${value} sur 5` })).toHaveAttribute(
			'aria-pressed',
			'true'
		);
	}
}

test('long names and the revealed map never make a phone scroll sideways', async ({
	openPerson
}) => {
	test.setTimeout(90_000);
	const awa = await openPerson();
	const aissata = await openPerson(PHONE);
	const other = await openPerson(PHONE);
	const board = await createWorkshop(awa, 'Forum de Kayes');
	await admitParticipant(aissata, board, LONG_NAME, LONG_ORGANISATION);
	await admitParticipant(other, board, 'Z'.repeat(60), 'O'.repeat(80));
	for (const name of ALLIES) {
		await awa.getByLabel("Nom de l'allié", { exact: true }).fill(name);
		await awa.getByRole('button', { name: "Ajouter l'allié" }).click();
		await expect(awa.getByRole('textbox', { name: `Nom de ${name}`, exact: true })).toBeVisible();
	}
	for (const phone of [aissata, other]) {
		await phone.goto(`${board}?step=identify`);
		await expect(phone.getByTestId('ally-card')).toHaveCount(ALLIES.length);
		await expectNoSideScroll(phone, 'on step 1');
		// The step picker opens above the bar without widening it.
		await phone.locator('.path-bar .current').click();
		await expectNoSideScroll(phone, 'with the step list open');
		const bar = (await phone.locator('.path-bar').boundingBox())!;
		expect(bar.x + bar.width).toBeLessThanOrEqual(PHONE.viewport.width);
		await phone.locator('.path-bar .current').click();
		await phone.locator('.presence .summary').click();
		await expectNoSideScroll(phone, 'with the presence list open');
	}

	await awa.goto(`${board}?step=study`);
	await aissata.goto(`${board}?step=study`);
	for (const [index, name] of ALLIES.entries()) {
		await place(awa, name, 5 - (index % 5), 1 + ((index * 2) % 5));
		await place(aissata, name, 4 - (index % 4), 5 - index);
	}
	await awa.getByRole('button', { name: 'Révéler la carte du groupe' }).click();
	for (const phone of [aissata, other]) {
		await phone.goto(`${board}?step=study`);
		await expect(phone.getByTestId('map-position')).toHaveCount(ALLIES.length);
		await expectNoSideScroll(phone, 'with the map revealed');
		await expectMapLabelsClear(phone);
		const bar = (await phone.locator('.path-bar').boundingBox())!;
		expect(bar.x + bar.width).toBeLessThanOrEqual(PHONE.viewport.width);
		await expect(phone.getByRole('link', { name: 'Étape suivante' })).toBeInViewport();
	}
	await aissata
		.getByTestId('ally-map-grid')
		.screenshot({ path: 'test-results/phone-width-map.png' });
	await aissata.evaluate(() => window.scrollTo(0, 0));
	await aissata.screenshot({ path: 'test-results/phone-width-top.png' });
	await awa.screenshot({ path: 'test-results/phone-width-laptop.png', fullPage: true });
});
