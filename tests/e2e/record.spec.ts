/**
 * After the forum: a facilitator brings the venue laptop's workshop in through the import page; an
 * organisation's representative opens the observer link on a phone a week later and lands on the
 * coalition's record with "Nos engagements"; the record prints as a clean A4 document — the PDF
 * holds the charter's wording and none of the page's buttons or navigation.
 */
import { extractText, getDocumentProxy } from 'unpdf';
import { createWorkshop, expect, signInAsFacilitator, test } from './fixtures';
import { PHONE, venueFile, WORDING } from './venue';

test('the observer link after the forum opens the record and our commitments; it prints as a clean A4 PDF', async ({
	openPerson
}) => {
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

	await test.step('a tampered or oversized file is refused with its reason', async () => {
		await oumar.goto('/import');
		await oumar.getByLabel("Fichier de l'atelier (.json)").setInputFiles({
			name: 'forum.json',
			mimeType: 'application/json',
			buffer: Buffer.from(text.replace('Rencontrer le préfet', 'Rencontrer le ministre'))
		});
		await oumar.getByRole('button', { name: 'Importer', exact: true }).click();
		await expect(oumar.getByRole('alert')).toContainText('la somme de contrôle ne correspond pas');
		// Over the limit: said at once, before any upload.
		await oumar.getByLabel("Fichier de l'atelier (.json)").setInputFiles({
			name: 'huge.json',
			mimeType: 'application/json',
			buffer: Buffer.alloc(8 * 1024 * 1024 + 1, 0x20)
		});
		await oumar.getByRole('button', { name: 'Importer', exact: true }).click();
		await expect(oumar.getByRole('alert')).toContainText('plus de 8 Mo');
	});

	const awa = await openPerson(PHONE);
	await test.step('a week later, CARE Mali’s representative opens the observer link on a phone', async () => {
		await oumar.goto(boardPath);
		await oumar.getByTestId('join-code').click();
		const observerPath = await oumar
			.getByRole('link', { name: /^\/join\// })
			.nth(1)
			.getAttribute('href');
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
		await expect(awa.getByTestId('commitments-by-organisation')).toContainText(
			'Émission sur la scolarisation des filles'
		);
		// Readable on a phone: nothing wider than the screen.
		const overflow = await awa.evaluate(
			() => document.documentElement.scrollWidth - window.innerWidth
		);
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
		for (const control of [
			'Télécharger en PDF',
			'Voir le tableau',
			'Exporter les données',
			'Se déconnecter',
			'Coalition Board'
		]) {
			expect(printed, control).not.toContain(control);
		}
		expect(totalPages).toBeLessThanOrEqual(3);
	});
});
