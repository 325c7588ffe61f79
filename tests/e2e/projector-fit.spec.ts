/**
 * The projector runs the room: for a realistic forum (15 allies, 3 coalitions, 4 proposals, 8
 * tasks), every step fits one 1920×1080 screen without scrolling, with no control to edit and no
 * text under 28 px, the revealed map's labels apart; after the lock, the charter is one of the
 * screens the facilitator chooses and steps 3–5 can still be projected.
 */
import type { Page } from '@playwright/test';
import { createWorkshop, expect, openAsSameAccount, test } from './fixtures';
import { expectProjectorReadable, PROJECTOR } from './projector';
import { LAPTOP, expectMapLabelsClear, expectNoVerticalScroll } from './room';
import { FINAL, seedRealisticForum } from './realistic-board';

const STEPS = [
	['candidates', 'Option 1 : Rejoindre une coalition déjà existante'],
	['identify', 'Étape 1 : Identifier les alliés'],
	['study', 'Étape 2 : Étudier les alliés pour mieux les connaître'],
	['objective', "L'objectif commun"],
	['mobilise', "Étape 3 : Intéresser les alliés à l'objectif"],
	['tasks', 'Étape 4 : Définir les responsabilités et rôles de chaque allié — qui fera quoi ?'],
	['maintain', 'Étape 5 : Gérer et entretenir les alliances']
] as const;

async function bring(laptop: Page, board: string, step: string): Promise<void> {
	await laptop.goto(`${board}?step=${step}`);
	await laptop.getByRole('button', { name: 'Amener tout le monde à cette étape' }).click();
	await expect(
		laptop.getByRole('button', { name: 'Amener tout le monde à cette étape' })
	).toHaveCount(0);
}

test('every step of a realistic forum fits the projector’s screen; the charter is one choice among them', async ({
	app,
	openPerson
}) => {
	test.setTimeout(150_000);
	const awa = await openPerson(LAPTOP);
	const board = await createWorkshop(awa, 'Forum de Kayes');
	const token = (await awa.context().cookies()).find((cookie) => cookie.name === 'session')!.value;
	await seedRealisticForum(app, board.split('/').pop()!, { cookie: `session=${token}` } as never);
	const projector = await openPerson(PROJECTOR);
	await openAsSameAccount(projector, awa, `${board}/projector`);

	for (const [step, title] of STEPS) {
		await bring(awa, board, step);
		await expect(projector.locator('#step-title')).toHaveText(title);
		if (step === 'study') await expect(projector.getByTestId('ally-map-grid')).toBeVisible();
		if (step === 'objective')
			await expect(projector.getByTestId('verdict').first()).toHaveText('Consensus atteint');
		await projector.waitForTimeout(300);
		await projector.screenshot({ path: `test-results/projector-${step}.png` });
		await expectNoVerticalScroll(projector, step);
		await expectProjectorReadable(projector);
		if (step === 'study') await expectMapLabelsClear(projector);
	}

	// The lock puts the charter up; bringing the group to step 4 projects step 4 again.
	await awa.goto(`${board}?step=objective`);
	await awa.getByRole('button', { name: 'Verrouiller la charte' }).click();
	await expect(projector.getByTestId('charter').locator('blockquote')).toHaveText(FINAL);
	await bring(awa, board, 'tasks');
	await expect(projector.locator('#step-title')).toHaveText(STEPS[5][1]);
	await expect(projector.getByTestId('charter')).toHaveCount(0);
	await awa.getByTestId('projector-control').getByRole('button', { name: 'La charte' }).click();
	await expect(projector.getByTestId('charter')).toBeVisible();
	await expectProjectorReadable(projector);
});
