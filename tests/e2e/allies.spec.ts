/** Steps 1–2 on the board: allies studied together from a laptop and a phone (360×640). */
import type { Locator, Page, WebSocketRoute } from '@playwright/test';
import { admitParticipant, createWorkshop, expect, test } from './fixtures';

const PHONE = { viewport: { width: 360, height: 640 } };

async function addAlly(page: Page, name: string, type?: string): Promise<void> {
	await page.getByLabel("Nom de l'allié", { exact: true }).fill(name);
	// The add form's type comes first on the page.
	if (type) await page.getByLabel('Type').first().selectOption({ label: type });
	await page.getByRole('button', { name: "Ajouter l'allié" }).click();
	await expect(nameField(page, name)).toBeVisible();
}

function nameField(page: Page, name: string): Locator {
	return page.getByRole('textbox', { name: `Nom de ${name}`, exact: true });
}

/** An ally's card, found through its name field (the only textbox named "Nom de <name>"). */
function card(page: Page, name: string): Locator {
	return page.getByTestId('ally-card').filter({ has: nameField(page, name) });
}

/** Opens the card's study fields ("Étudier <name>") and returns the card. */
async function study(page: Page, name: string): Promise<Locator> {
	const found = card(page, name);
	const details = found.locator('details');
	if (!(await details.evaluate((element: HTMLDetailsElement) => element.open))) {
		await found.getByText(`Étudier ${name}`, { exact: true }).click();
	}
	return found;
}

/** Opens the board as its facilitator, or as a participant admitted with a seeded session. */
async function openBoard(page: Page, path: string): Promise<void> {
	await admitParticipant(page, path);
	await page.goto(path);
	await expect(page.getByTestId('save-status')).toHaveText('Enregistré');
}

test('study fields filled on a phone reach the other screen, raise completeness and flag a duplicate', async ({
	openPerson
}) => {
	const amina = await openPerson();
	const moussa = await openPerson(PHONE);
	const board = await createWorkshop(amina, 'Forum de Kayes');
	await addAlly(amina, 'CARE Mali');
	await openBoard(moussa, board);

	await expect(card(amina, 'CARE Mali').getByTestId('completeness')).toHaveText(
		'Fiche remplie à 13 %'
	);
	const onPhone = await study(moussa, 'CARE Mali');
	await onPhone.getByLabel('Siège', { exact: true }).fill('Bamako');
	await onPhone.getByLabel("Domaines d'activité", { exact: true }).pressSequentially('Santé');
	await onPhone.getByLabel('Objectifs convergents ?').selectOption({ label: 'En partie' });

	const onLaptop = await study(amina, 'CARE Mali');
	await expect(onLaptop.getByLabel('Siège', { exact: true })).toHaveValue('Bamako');
	await expect(onLaptop.getByLabel("Domaines d'activité", { exact: true })).toHaveValue('Santé');
	await expect(onLaptop.getByLabel('Objectifs convergents ?')).toHaveValue('partly');
	await expect(onLaptop.getByTestId('completeness')).toHaveText('Fiche remplie à 38 %');

	await addAlly(amina, 'Care-Mali');
	for (const page of [amina, moussa]) {
		await expect(card(page, 'Care-Mali').getByRole('status')).toHaveText(
			"Nom proche d'un autre allié : CARE Mali"
		);
		await expect(card(page, 'CARE Mali').getByRole('status')).toHaveText(
			"Nom proche d'un autre allié : Care-Mali"
		);
	}

	// On the phone, one column and every control a thumb can hit (44×44 px at least).
	await expect(moussa.getByTestId('save-status')).toHaveText('Enregistré');
	const tooSmall = await moussa.evaluate(() =>
		[
			...document.querySelectorAll(
				'main input, main select, main textarea, main button, main summary'
			)
		]
			.map((element) => ({ element, box: element.getBoundingClientRect() }))
			.filter(({ box }) => box.width > 0 && (box.width < 44 || box.height < 44))
			.map(({ element, box }) => `${element.outerHTML.slice(0, 60)} ${box.width}×${box.height}`)
	);
	expect(tooSmall).toEqual([]);
	const overflow = await moussa.evaluate(() => document.documentElement.scrollWidth);
	expect(overflow).toBeLessThanOrEqual(360);
});

test('search and filters narrow the list, and the table view lists what is shown', async ({
	openPerson
}) => {
	const amina = await openPerson();
	const moussa = await openPerson(PHONE);
	const board = await createWorkshop(amina, 'Forum de Kayes');
	await addAlly(amina, 'Mairie de Kayès', 'Personne morale : institution');
	await addAlly(amina, 'Chef de village', 'Personne physique : individu');
	await addAlly(amina, 'Radio rurale', 'Personne morale : association');
	await (await study(amina, 'Radio rurale')).getByLabel('Siège', { exact: true }).fill('Kayes');
	await card(amina, 'Chef de village').getByLabel('Objectifs convergents ?').selectOption('yes');
	await openBoard(moussa, board);
	const cards = moussa.getByTestId('ally-card');
	await expect(cards).toHaveCount(3);

	// Accents and case do not matter; the headquarters field counts too.
	await moussa.getByLabel('Rechercher un allié').fill('KAYES');
	await expect(cards).toHaveCount(2);
	await expect(moussa.getByTestId('ally-count')).toHaveText('2 sur 3 alliés affichés');
	await moussa.getByLabel('Rechercher un allié').fill('');
	await moussa
		.getByLabel('Filtrer par type')
		.selectOption({ label: 'Personne physique : individu' });
	await expect(cards).toHaveCount(1);
	await expect(nameField(moussa, 'Chef de village')).toBeVisible();
	await moussa.getByLabel('Filtrer par type').selectOption('all');
	await moussa.getByLabel('Filtrer par convergence').selectOption({ label: 'Oui' });
	await expect(cards).toHaveCount(1);
	await moussa.getByLabel('Filtrer par convergence').selectOption({ label: 'Inconnu' });
	await expect(cards).toHaveCount(2);

	await amina.getByRole('button', { name: 'Tableau' }).click();
	await expect(amina.getByRole('button', { name: 'Tableau' })).toHaveAttribute(
		'aria-pressed',
		'true'
	);
	const rows = amina.locator('table tbody tr');
	await expect(rows).toHaveCount(3);
	await expect(rows.nth(2)).toContainText('Radio rurale');
	await expect(rows.nth(2)).toContainText('Kayes');
	await expect(rows.nth(1)).toContainText('Oui');
	await amina.getByLabel('Rechercher un allié').fill('radio');
	await expect(rows).toHaveCount(1);
	// A change from the other screen lands in the table too.
	await moussa.getByLabel('Filtrer par convergence').selectOption('all');
	await (
		await study(moussa, 'Radio rurale')
	)
		.getByLabel('Expérience', { exact: true })
		.fill('Animateur');
	await expect(rows.first()).toContainText('Animateur');
});

test('a deleted ally comes back with its fields for everyone through "Annuler", without undoing others', async ({
	openPerson
}) => {
	const amina = await openPerson();
	const moussa = await openPerson(PHONE);
	const board = await createWorkshop(amina, 'Forum de Kayes');
	await addAlly(amina, 'ONG Santé');
	await addAlly(amina, 'Comité de gestion');
	await (await study(amina, 'ONG Santé')).getByLabel('Siège', { exact: true }).fill('Kayes');
	await openBoard(moussa, board);
	await expect(moussa.getByTestId('ally-card')).toHaveCount(2);

	await amina.getByRole('button', { name: 'Retirer ONG Santé', exact: true }).click();
	for (const page of [amina, moussa]) await expect(page.getByTestId('ally-card')).toHaveCount(1);
	await expect(
		amina.getByRole('status').filter({ hasText: 'ONG Santé a été retiré.' })
	).toBeVisible();
	// Meanwhile Moussa edits another ally: Amina's "Annuler" must leave that alone.
	await (
		await study(moussa, 'Comité de gestion')
	)
		.getByLabel('Notes', { exact: true })
		.fill('Réunion le lundi');
	await expect(
		(await study(amina, 'Comité de gestion')).getByLabel('Notes', { exact: true })
	).toHaveValue('Réunion le lundi');

	await amina.getByRole('button', { name: 'Annuler' }).click();
	await expect(amina.getByRole('button', { name: 'Annuler' })).toHaveCount(0);
	for (const page of [amina, moussa]) {
		await expect(page.getByTestId('ally-card')).toHaveCount(2);
		await expect((await study(page, 'ONG Santé')).getByLabel('Siège', { exact: true })).toHaveValue(
			'Kayes'
		);
		await expect(card(page, 'Comité de gestion').getByLabel('Notes', { exact: true })).toHaveValue(
			'Réunion le lundi'
		);
		await expect(page.getByTestId('save-status')).toHaveText('Enregistré');
	}
	// The restored ally is live, not a copy: an edit after the undo reaches the other side.
	await card(moussa, 'ONG Santé')
		.getByLabel('Siège', { exact: true })
		.fill('Kayes, quartier Plateau');
	await expect(card(amina, 'ONG Santé').getByLabel('Siège', { exact: true })).toHaveValue(
		'Kayes, quartier Plateau'
	);
	await moussa.reload();
	await expect((await study(moussa, 'ONG Santé')).getByLabel('Siège', { exact: true })).toHaveValue(
		'Kayes, quartier Plateau'
	);

	// "Annuler" is offered for 10 seconds, then the deletion stands.
	const deletedAt = Date.now();
	await amina.getByRole('button', { name: 'Retirer Comité de gestion', exact: true }).click();
	await expect(amina.getByRole('button', { name: 'Annuler' })).toBeVisible();
	await expect(amina.getByRole('button', { name: 'Annuler' })).toBeHidden({ timeout: 20_000 });
	expect(Date.now() - deletedAt).toBeGreaterThanOrEqual(9_500);
	await expect(moussa.getByTestId('ally-card')).toHaveCount(1);
});

/** Holds the page's outgoing Yjs messages while `held` is true; `release()` sends them in order. */
async function holdOutgoing(page: Page) {
	const queue: { route: WebSocketRoute; server: WebSocketRoute; message: string | Buffer }[] = [];
	const gate = { held: false };
	await page.routeWebSocket(/\/yjs\//, (route) => {
		const server = route.connectToServer();
		route.onMessage((message) => {
			if (gate.held) queue.push({ route, server, message });
			else server.send(message);
		});
		server.onMessage((message) => route.send(message));
	});
	return {
		hold: () => (gate.held = true),
		release: () => {
			gate.held = false;
			for (const { server, message } of queue.splice(0)) server.send(message);
		}
	};
}

test('two people typing in the same field at the same time keep both texts and their own carets', async ({
	openPerson
}) => {
	const amina = await openPerson();
	const moussa = await openPerson(PHONE);
	const aminaLink = await holdOutgoing(amina);
	const moussaLink = await holdOutgoing(moussa);
	const board = await createWorkshop(amina, 'Forum de Kayes');
	await addAlly(amina, 'Radio rurale');
	await (
		await study(amina, 'Radio rurale')
	)
		.getByLabel('Fonctionnement', { exact: true })
		.fill('Réunion mensuelle');
	await openBoard(moussa, board);
	const aminaField = (await study(amina, 'Radio rurale')).getByLabel('Fonctionnement', {
		exact: true
	});
	const moussaField = (await study(moussa, 'Radio rurale')).getByLabel('Fonctionnement', {
		exact: true
	});
	await expect(moussaField).toHaveValue('Réunion mensuelle');
	await expect(amina.getByTestId('save-status')).toHaveText('Enregistré');

	// Amina puts her caret after "Réunion", Moussa at the end; neither hears the other while typing.
	await aminaField.focus();
	await aminaField.evaluate((field: HTMLTextAreaElement) => field.setSelectionRange(7, 7));
	await moussaField.focus();
	await moussaField.press('End');
	aminaLink.hold();
	moussaLink.hold();
	await Promise.all([
		aminaField.pressSequentially(' du bureau', { delay: 15 }),
		moussaField.pressSequentially(' à Kayes', { delay: 15 })
	]);
	await expect(aminaField).toHaveValue('Réunion du bureau mensuelle');
	await expect(moussaField).toHaveValue('Réunion mensuelle à Kayes');
	aminaLink.release();
	moussaLink.release();

	const both = 'Réunion du bureau mensuelle à Kayes';
	await expect(aminaField).toHaveValue(both);
	await expect(moussaField).toHaveValue(both);
	const caret = (field: Locator) =>
		field.evaluate((element: HTMLTextAreaElement) => [
			element.selectionStart,
			element.selectionEnd
		]);
	expect(await caret(aminaField)).toEqual([17, 17]);
	expect(await caret(moussaField)).toEqual([both.length, both.length]);

	// Each keeps typing where they were, now live: no character lands at the other's position.
	await aminaField.pressSequentially(' élargi');
	await expect(moussaField).toHaveValue('Réunion du bureau élargi mensuelle à Kayes');
	await moussaField.pressSequentially(' (Mali)');
	await expect(aminaField).toHaveValue('Réunion du bureau élargi mensuelle à Kayes (Mali)');
	expect(await caret(aminaField)).toEqual([24, 24]);
	for (const page of [amina, moussa])
		await expect(page.getByTestId('save-status')).toHaveText('Enregistré');
});
