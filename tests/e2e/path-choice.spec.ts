/**
 * The facilitator chooses what the workshop runs — Option 1, Option 2 or both — and every screen's
 * path follows: a participant's phone shows only that option's steps (with the common objective).
 */
import { admitParticipant, createWorkshop, expect, test } from './fixtures';

const PHONE = { viewport: { width: 360, height: 640 } };

test('choosing Option 1 leaves only its steps on a participant’s phone; both options bring them back', async ({
	openPerson
}) => {
	const amina = await openPerson();
	const moussa = await openPerson(PHONE);
	const board = await createWorkshop(amina, 'Forum de Nioro');
	await admitParticipant(moussa, board, 'Moussa Diarra', 'Radio rurale');
	await moussa.goto(board);

	const heading = moussa.getByRole('heading', { level: 2 }).and(moussa.locator('#step-title'));
	await expect(heading).toHaveText('Étape 1 : Identifier les alliés');
	// Participants have no choice to make.
	await moussa.getByRole('button', { name: /Identifier les alliés/ }).click();
	await expect(moussa.getByLabel("Parcours de l'atelier")).toHaveCount(0);
	const steps = moussa.getByRole('navigation', { name: 'Le parcours' }).getByRole('listitem');
	await expect(steps).toHaveCount(7);

	await amina
		.getByLabel("Parcours de l'atelier")
		.selectOption({ label: 'Option 1 : rejoindre une coalition existante' });

	// The phone was on step 1, which Option 1 does not have: it moves to Option 1's start.
	await expect(heading).toHaveText('Option 1 : Rejoindre une coalition déjà existante');
	await expect(steps).toHaveText(['Rejoindre une coalition', "L'objectif commun"]);
	await expect(moussa.getByText('1 sur 2')).toBeVisible();

	await amina.getByLabel("Parcours de l'atelier").selectOption({ label: 'Les deux options' });
	await expect(steps).toHaveCount(7);
	// Back where a board opens when nobody chose a step.
	await expect(heading).toHaveText('Étape 1 : Identifier les alliés');
	await expect(moussa.getByText('2 sur 7')).toBeVisible();
});
