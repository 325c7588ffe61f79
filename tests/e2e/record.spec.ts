/**
 * After the forum: a facilitator brings the venue laptop's workshop in through the import page; an
 * organisation's representative opens the observer link on a phone a week later and lands on the
 * coalition's record with "Nos engagements"; the record prints as a clean A4 document — the PDF
 * holds the charter's wording and none of the page's buttons or navigation.
 */
import { extractText, getDocumentProxy } from 'unpdf';
import { buildWorkshopFile } from '../../src/lib/server/export-json';
import { setAllyOrganisation } from '../../src/lib/shared/acceptances';
import { addAlly } from '../../src/lib/shared/schema';
import { addTask, setTaskDeadline, setTaskRole } from '../../src/lib/shared/tasks';
import {
	addParticipant,
	closeServices,
	editAsClient,
	lockCharter,
	openServices,
	seedRevealedRound,
	seedWorkshop
} from '../fixtures/workshops';
import { createWorkshop, expect, signInAsFacilitator, test } from './fixtures';

const PHONE = { viewport: { width: 360, height: 640 } };
const WORDING = 'Qu’en 2030 toutes les filles de Kayes entrent au collège et y restent';

/** The venue laptop's workshop: two organisations, allies, a task CARE Mali leads, a round, the lock. */
async function venueFile(): Promise<{ text: string; title: string }> {
	const services = openServices();
	try {
		const title = 'Forum de Kayes (portable)';
		const { workshopId, facilitator } = await seedWorkshop(services, title);
		const fatou = await addParticipant(services, workshopId, 'Fatou', 'CARE Mali');
		const moussa = await addParticipant(services, workshopId, 'Moussa', 'Radio rurale de Kayes');
		await editAsClient(services, workshopId, (doc) => {
			const care = addAlly(doc, { name: 'CARE Mali', type: 'organisation' });
			setAllyOrganisation(doc, care, fatou.organisationId);
			const radio = addAlly(doc, { name: 'Radio rurale de Kayes', type: 'organisation' });
			setAllyOrganisation(doc, radio, moussa.organisationId);
			const prefect = addTask(doc, { title: 'Rencontrer le préfet' });
			setTaskDeadline(doc, prefect, '2027-03-01');
			setTaskRole(doc, prefect, care, 'lead');
			setTaskRole(doc, prefect, radio, 'informed');
			const broadcast = addTask(doc, { title: 'Émission sur la scolarisation des filles' });
			setTaskRole(doc, broadcast, radio, 'lead');
		});
		await seedRevealedRound(services, workshopId, [fatou, moussa], { wording: WORDING });
		await lockCharter(services, workshopId, facilitator);
		return { text: JSON.stringify(await buildWorkshopFile(services, workshopId, 'facilitator')), title };
	} finally {
		await closeServices(services);
	}
}

test('the observer link after the forum opens the record and our commitments; it prints as a clean A4 PDF', async ({ openPerson }) => {
	const { text, title } = await venueFile();
	const oumar = await openPerson();
	await signInAsFacilitator(oumar);
	await createWorkshop(oumar, 'Un autre atelier');
	let boardPath = '';

	await test.step('the facilitator imports the venue laptop’s file', async () => {
		await oumar.goto('/');
		await oumar.getByRole('link', { name: 'Importer un atelier' }).click();
		await oumar.getByLabel("Fichier de l'atelier (.json)").setInputFiles({
			name: 'forum.json',
			mimeType: 'application/json',
			buffer: Buffer.from(text)
		});
		await oumar.getByRole('button', { name: 'Importer', exact: true }).click();
		await expect(oumar.getByRole('status')).toContainText(`L'atelier « ${title} » a été créé.`);
		await oumar.getByRole('link', { name: "Ouvrir l'atelier" }).click();
		await expect(oumar.getByRole('heading', { level: 1, name: title })).toBeVisible();
		boardPath = new URL(oumar.url()).pathname;
	});

	await test.step('a tampered file is refused with its reason', async () => {
		await oumar.goto('/import');
		await oumar.getByLabel("Fichier de l'atelier (.json)").setInputFiles({
			name: 'forum.json',
			mimeType: 'application/json',
			buffer: Buffer.from(text.replace('Rencontrer le préfet', 'Rencontrer le ministre'))
		});
		await oumar.getByRole('button', { name: 'Importer', exact: true }).click();
		await expect(oumar.getByRole('alert')).toContainText('la somme de contrôle ne correspond pas');
	});

	const awa = await openPerson(PHONE);
	await test.step('a week later, CARE Mali’s representative opens the observer link on a phone', async () => {
		await oumar.goto(boardPath);
		await oumar.getByTestId('join-code').click();
		const observerPath = await oumar.getByRole('link', { name: /^\/join\// }).nth(1).getAttribute('href');
		await awa.goto(observerPath!);
		await awa.getByLabel('Votre nom').fill('Awa Traoré');
		await awa.getByLabel('Organisation que vous représentez').fill('care mali');
		await awa.getByRole('button', { name: 'Rejoindre' }).click();
		await awa.waitForURL(/\/summary$/);
		await expect(awa.getByRole('heading', { level: 1, name: title })).toBeVisible();
		await expect(awa.getByTestId('charter').locator('blockquote')).toHaveText(WORDING);
		const ours = awa.getByTestId('our-commitments');
		await expect(ours.getByRole('heading')).toHaveText('Nos engagements — CARE Mali');
		await expect(ours.getByTestId('commitment')).toHaveCount(1);
		await expect(ours.getByTestId('commitment')).toContainText('Rencontrer le préfet');
		await expect(ours.getByTestId('commitment')).toContainText('Responsable : CARE Mali');
		await expect(ours.getByTestId('commitment')).toContainText('1 mars 2027');
		await expect(awa.getByTestId('commitments-by-organisation')).toContainText('Émission sur la scolarisation des filles');
		// Readable on a phone: nothing wider than the screen.
		const overflow = await awa.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
		expect(overflow).toBeLessThanOrEqual(0);
	});

	await test.step('“Télécharger en PDF” is the browser’s print; the print view is a clean A4 document', async () => {
		await awa.evaluate(() => {
			window.print = () => document.body.setAttribute('data-printed', 'yes');
		});
		await awa.getByRole('button', { name: 'Télécharger en PDF' }).click();
		await expect(awa.locator('body')).toHaveAttribute('data-printed', 'yes');
		await awa.emulateMedia({ media: 'print' });
		await expect(awa.getByRole('button', { name: 'Télécharger en PDF' })).toBeHidden();
		const pdf = await awa.pdf({ format: 'A4', preferCSSPageSize: true });
		const proxy = await getDocumentProxy(new Uint8Array(pdf));
		const { text: pages, totalPages } = await extractText(proxy, { mergePages: true });
		const printed = pages.replace(/\s+/g, ' ');
		expect(printed).toContain(WORDING.replace(/\s+/g, ' '));
		expect(printed).toContain('Nos engagements — CARE Mali');
		for (const control of ['Télécharger en PDF', 'Voir le tableau', 'Exporter les données', 'Se déconnecter', 'Coalition Board']) {
			expect(printed, control).not.toContain(control);
		}
		expect(totalPages).toBeLessThanOrEqual(3);
	});
});
