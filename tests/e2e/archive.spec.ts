/**
 * The facilitator archives the board at the end of the forum: a participant's open board turns
 * read-only at once with a notice, stays so when opened again (through the record, where the
 * workshop now lands), and becomes editable again when reopened.
 */
import { admitParticipant, createWorkshop, expect, signInAsFacilitator, test } from './fixtures';

test('archiving turns a participant’s board read-only at once, with a notice, until it is reopened', async ({
	openPerson
}) => {
	const oumar = await openPerson();
	const moussa = await openPerson();
	await signInAsFacilitator(oumar);
	const path = await createWorkshop(oumar, 'Forum de Kayes');
	await admitParticipant(moussa, path, 'Moussa');
	await moussa.goto(path);
	const addAlly = moussa.getByRole('button', { name: "Ajouter l'allié" });
	await expect(addAlly).toBeEnabled();
	await expect(moussa.getByTestId('facilitator-panel')).toHaveCount(0);

	// One click asks; nothing is archived until the facilitator confirms.
	await oumar.getByRole('button', { name: "Archiver l'atelier" }).click();
	await expect(oumar.getByTestId('archive-confirm')).toContainText(
		'Tout le monde passera en lecture seule'
	);
	await oumar.getByRole('button', { name: 'Annuler', exact: true }).click();
	await expect(oumar.getByTestId('archive-confirm')).toHaveCount(0);
	await expect(addAlly).toBeEnabled();
	await oumar.getByRole('button', { name: "Archiver l'atelier" }).click();
	await oumar.getByLabel('Motif (facultatif)').fill('Fin du forum');
	await oumar.getByRole('button', { name: "Confirmer l'archivage" }).click();

	const notice = 'Ce tableau est archivé : il est en lecture seule.';
	await expect(moussa.getByRole('alert')).toContainText(notice);
	await expect(addAlly).toBeDisabled();
	await expect(moussa.getByLabel("Nom de l'allié", { exact: true })).toBeDisabled();
	// The facilitator's board is read-only too, but the commands stay at hand.
	await expect(oumar.getByRole('button', { name: "Ajouter l'allié" })).toBeDisabled();
	await expect(oumar.getByRole('button', { name: "Rouvrir l'atelier" })).toBeEnabled();

	// Opened again, the workshop lands on its record, which leads to the read-only board.
	await moussa.reload();
	await moussa.waitForURL(/\/summary$/);
	await moussa.getByRole('link', { name: 'Voir le tableau (lecture seule)' }).click();
	await moussa.waitForURL(/\?board$/);
	await expect(moussa.getByRole('alert')).toContainText(notice);
	await expect(addAlly).toBeDisabled();

	await oumar.getByRole('button', { name: "Rouvrir l'atelier" }).click();
	await expect(addAlly).toBeEnabled();
	await expect(moussa.getByRole('alert')).toHaveCount(0);
	await moussa.getByLabel("Nom de l'allié", { exact: true }).fill('Radio rurale de Kayes');
	await addAlly.click();
	await expect(
		oumar.getByRole('textbox', { name: 'Nom de Radio rurale de Kayes', exact: true })
	).toHaveValue('Radio rurale de Kayes');
});
