/**
 * The board as the method's path, on three screens at once: the facilitator's laptop, a
 * participant's phone (360×640) and the room's projector (1920×1080).
 */
import type { Page } from '@playwright/test';
import { admitParticipant, createWorkshop, expect, openAsSameAccount, test } from './fixtures';
import { expectProjectorReadable, PROJECTOR } from './projector';

const PHONE = { viewport: { width: 360, height: 640 } };

async function addAlly(page: Page, name: string): Promise<void> {
	await page.getByLabel("Nom de l'allié", { exact: true }).fill(name);
	await page.getByRole('button', { name: "Ajouter l'allié" }).click();
	await expect(page.getByRole('textbox', { name: `Nom de ${name}`, exact: true })).toBeVisible();
}

function stepHeading(page: Page) {
	return page.getByRole('heading', { level: 2 }).and(page.locator('#step-title'));
}

function presence(page: Page) {
	return page.getByRole('list', { name: 'Qui est là' });
}

async function shoot(page: Page, name: string, testInfo: import('@playwright/test').TestInfo) {
	const file = testInfo.outputPath(`${name}.png`);
	await page.screenshot({ path: file, fullPage: true });
	await testInfo.attach(name, { path: file, contentType: 'image/png' });
}

test('laptop, phone and projector share the path, the presence list and step 3', async ({
	openPerson
}, testInfo) => {
	const amina = await openPerson();
	const moussa = await openPerson(PHONE);
	const projector = await openPerson(PROJECTOR);
	const board = await createWorkshop(amina, 'Forum de Kayes');
	await addAlly(amina, 'CARE Mali');
	await addAlly(amina, 'Radio rurale');

	await admitParticipant(moussa, board, 'Moussa Diarra', 'Radio rurale');
	await moussa.goto(board);
	await openAsSameAccount(projector, amina, `${board}/projector`);
	await expect(moussa.getByTestId('save-status')).toHaveText('Enregistré');
	await expect(stepHeading(moussa)).toHaveText('Étape 1 : Identifier les alliés');
	await expect(
		moussa.getByText('Même objectif égal même combat : qui partage notre objectif ?')
	).toBeVisible();

	// Presence: the projector is a screen, not a person; each person with their organisation and step.
	await expect(amina.getByTestId('presence-count')).toHaveText('2 personnes ici');
	const moussaOnLaptop = presence(amina).getByRole('listitem').filter({ hasText: 'Moussa Diarra' });
	await expect(moussaOnLaptop).toContainText('Radio rurale');
	await expect(moussaOnLaptop).toContainText('sur : Étape 1 · Identifier les alliés');
	await expect(projector.getByText('2 personnes connectées')).toBeVisible();

	// The facilitator looks ahead alone: the projector shows what they show, the phone stays put.
	await amina
		.getByRole('navigation', { name: 'Le parcours' })
		.getByRole('link', { name: 'Étape 3 · Les intéresser' })
		.click();
	await expect(stepHeading(amina)).toHaveText("Étape 3 : Intéresser les alliés à l'objectif");
	await expect(stepHeading(projector)).toHaveText("Étape 3 : Intéresser les alliés à l'objectif");
	await expect(moussaOnLaptop).toContainText('sur : Étape 1 · Identifier les alliés');
	await expect(
		moussa.getByRole('button', { name: 'Amener tout le monde à cette étape' })
	).toHaveCount(0);
	// Then brings everyone there (the server's facilitation:step command): the phone follows by itself.
	await amina.getByRole('button', { name: 'Amener tout le monde à cette étape' }).click();
	await expect(stepHeading(moussa)).toHaveText("Étape 3 : Intéresser les alliés à l'objectif");
	await expect(moussa.getByTestId('follow-banner')).toContainText(
		'Vous suivez le groupe : Étape 3 · Les intéresser'
	);
	await expect(moussaOnLaptop).toContainText('sur : Étape 3 · Les intéresser');
	await moussa.getByRole('button', { name: /personne/ }).click();
	const aminaOnPhone = presence(moussa).getByRole('listitem').filter({ hasText: 'animation' });
	await expect(aminaOnPhone).toContainText('sur : Étape 3 · Les intéresser');
	await expect(presence(moussa).getByRole('listitem').first()).toContainText(
		'Moussa Diarra (vous)'
	);

	// Step 3 on the phone: one tap moves an ally on; the laptop and the projector see it.
	await moussa.getByRole('button', { name: 'CARE Mali : passer à « Étudié »' }).click();
	await moussa.getByRole('button', { name: 'CARE Mali : passer à « Contacté »' }).click();
	const contacted = (page: Page) =>
		page.locator('[data-testid="pipeline-column"][data-status="contacted"]');
	await expect(contacted(amina).getByTestId('pipeline-card')).toContainText('CARE Mali');
	await expect(contacted(projector)).toContainText('CARE Mali');
	const card = contacted(moussa).getByTestId('pipeline-card');
	await card.getByText('Contact, message et prochaine action').click();
	await card.getByLabel('Message clé').pressSequentially('La santé des femmes');
	await card.getByLabel('Qui le contacte').fill('Awa');
	await card.getByLabel('Prochaine action', { exact: true }).fill('Visite au studio');
	await card.getByLabel('Date de la prochaine action').fill('2030-05-04');
	const onLaptop = contacted(amina).getByTestId('pipeline-card');
	await onLaptop.getByText('Contact, message et prochaine action').click();
	await expect(onLaptop.getByLabel('Message clé')).toHaveValue('La santé des femmes');
	await expect(onLaptop.getByLabel('Qui le contacte')).toHaveValue('Awa');
	await expect(onLaptop.getByLabel('Date de la prochaine action')).toHaveValue('2030-05-04');
	await expect(onLaptop).toContainText('Le 4 mai 2030 : Visite au studio');
	// Moving back is a choice in the list, also one gesture.
	await card.getByLabel('Où en est-il ? (CARE Mali)').selectOption({ label: 'A décliné' });
	await expect(
		amina.locator('[data-testid="pipeline-column"][data-status="declined"]')
	).toContainText('CARE Mali');
	await expect(contacted(projector)).not.toContainText('CARE Mali');

	await expectProjectorReadable(projector);
	await shoot(moussa, 'phone-step3', testInfo);
	await shoot(amina, 'desktop-step3', testInfo);
	await shoot(projector, 'projector-step3', testInfo);
});

test('a phone breaks away from the group, is left alone when it moves on, and comes back with one tap', async ({
	openPerson
}) => {
	const amina = await openPerson();
	const moussa = await openPerson(PHONE);
	const board = await createWorkshop(amina, 'Forum de Kayes');
	await admitParticipant(moussa, board);
	await moussa.goto(board);
	await expect(stepHeading(moussa)).toHaveText('Étape 1 : Identifier les alliés');
	const path = amina.getByRole('navigation', { name: 'Le parcours' });
	await path.getByRole('link', { name: 'Étape 2 · Les étudier' }).click();
	await amina.getByRole('button', { name: 'Amener tout le monde à cette étape' }).click();
	await expect(stepHeading(moussa)).toHaveText(
		'Étape 2 : Étudier les alliés pour mieux les connaître'
	);

	await moussa.getByRole('button', { name: 'Explorer seul' }).click();
	await moussa
		.getByRole('navigation', { name: 'Le parcours' })
		.getByRole('link', { name: 'Étape précédente' })
		.click();
	await expect(stepHeading(moussa)).toHaveText('Étape 1 : Identifier les alliés');
	await path.getByRole('link', { name: 'Étape 4 · Qui fera quoi ?' }).click();
	await amina.getByRole('button', { name: 'Amener tout le monde à cette étape' }).click();
	await expect(moussa.getByTestId('follow-banner')).toContainText(
		"Le groupe est à l'étape : Étape 4 · Qui fera quoi ?"
	);
	await expect(stepHeading(moussa)).toHaveText('Étape 1 : Identifier les alliés');
	// Someone arriving now opens the board where the group is.
	const awa = await openPerson(PHONE);
	await admitParticipant(awa, board, 'Awa');
	await awa.goto(board);
	await expect(stepHeading(awa)).toHaveText(/^Étape 4 :/);

	await moussa.getByRole('button', { name: 'Revenir au groupe' }).click();
	await expect(stepHeading(moussa)).toHaveText(/^Étape 4 :/);
	// Free movement again: everyone stays where they are (not thrown back to the first step).
	await amina.getByRole('button', { name: 'Laisser chacun circuler' }).click();
	await expect(moussa.getByTestId('follow-banner')).toHaveCount(0);
	await expect(awa.getByTestId('follow-banner')).toHaveCount(0);
	await expect(stepHeading(awa)).toHaveText(/^Étape 4 :/);
	await moussa.reload();
	await expect(stepHeading(moussa)).toHaveText(/^Étape 4 :/);
});

test('on a phone the path is one thumb away: previous, next and the list of every step', async ({
	openPerson
}) => {
	const amina = await openPerson();
	const moussa = await openPerson(PHONE);
	const board = await createWorkshop(amina, 'Forum de Kayes');
	await addAlly(amina, 'CARE Mali');
	await admitParticipant(moussa, board);
	await moussa.goto(board);
	await expect(stepHeading(moussa)).toHaveText('Étape 1 : Identifier les alliés');
	await expect(moussa.getByLabel('Siège', { exact: true })).toBeHidden();

	const bar = moussa.getByRole('navigation', { name: 'Le parcours' });
	await bar.getByRole('link', { name: 'Étape suivante' }).click();
	await expect(stepHeading(moussa)).toHaveText(
		'Étape 2 : Étudier les alliés pour mieux les connaître'
	);
	await expect(moussa).toHaveURL(/\?step=study$/);
	// Step 2 is the study: every card's fields are open, and stay open while the person types.
	await moussa.getByLabel('Siège', { exact: true }).fill('Bamako');
	await moussa.getByLabel('Orientation', { exact: true }).pressSequentially('Santé');
	await expect(moussa.getByLabel('Orientation', { exact: true })).toHaveValue('Santé');
	await bar.getByRole('link', { name: 'Étape précédente' }).click();
	await bar.getByRole('link', { name: 'Étape précédente' }).click();
	await expect(stepHeading(moussa)).toHaveText('Option 1 : Rejoindre une coalition déjà existante');
	await expect(moussa.getByTestId('candidates-step')).toBeVisible();
	await expect(bar.getByRole('link', { name: 'Étape précédente' })).toHaveCount(0);

	await bar.getByRole('button', { name: /Toutes les étapes/ }).click();
	await bar.getByRole('link', { name: 'Étape 5 · Gérer et entretenir' }).click();
	await expect(stepHeading(moussa)).toHaveText('Étape 5 : Gérer et entretenir les alliances');
	// On a phone the method's words are one tap away, so the step's action stays on the first screen.
	await expect(
		moussa.getByText(
			'Gérer et entretenir les alliances : faire appel aux principes clés du travail en équipe.'
		)
	).toBeHidden();
	await moussa.getByRole('button', { name: 'Conseils de la méthode pour cette étape' }).click();
	await expect(
		moussa.getByText(
			'Gérer et entretenir les alliances : faire appel aux principes clés du travail en équipe.'
		)
	).toBeVisible();
	await expect(bar.getByRole('link', { name: 'Étape 5 · Gérer et entretenir' })).toBeHidden();
	// A reload keeps the step this person chose; the back button walks the path back.
	await moussa.reload();
	await expect(stepHeading(moussa)).toHaveText('Étape 5 : Gérer et entretenir les alliances');
	await moussa.goBack();
	await expect(stepHeading(moussa)).toHaveText('Option 1 : Rejoindre une coalition déjà existante');

	// Every control on the phone is at least 44×44 px: the bar's and the step's.
	const small = await moussa.evaluate(() =>
		[...document.querySelectorAll('a, button, input, select, textarea, summary')]
			.filter((element) => element.getClientRects().length > 0)
			.map((element) => ({ element, box: element.getBoundingClientRect() }))
			.filter(({ box }) => box.width < 44 || box.height < 44)
			.map(
				({ element, box }) =>
					`${element.tagName} ${element.textContent?.trim().slice(0, 30)} ${box.width}×${box.height}`
			)
	);
	expect(small).toEqual([]);
});
