/**
 * The projector's join screen: the code, the short address and a QR code big enough for the room,
 * chosen from the facilitator's laptop; the QR and the address carry this machine's LAN address
 * (the app was opened on 127.0.0.1, which no phone can reach), and a phone opening it joins.
 */
import os from 'node:os';
import { decodeQrSvg } from '../fixtures/qr';
import { createWorkshop, expect, openAsSameAccount, test } from './fixtures';
import { expectProjectorReadable, PROJECTOR } from './projector';
import { PHONE, expectNoVerticalScroll } from './room';
import { lanAddresses } from '../../src/lib/server/phone-address';

// Listening on every interface, as `npm start` does, so the phone below can use the LAN address.
test.use({ serverEnv: { HOST: '0.0.0.0' } });

test('the facilitator puts the join screen on the projector; its QR code opens the join page on a phone', async ({
	openPerson,
	app
}) => {
	const lan = lanAddresses(os.networkInterfaces());
	// Never skipped: a machine without one would not show what this test is for.
	expect(
		lan.length,
		'this test needs a LAN address (the loopback warning has its unit test)'
	).toBeGreaterThan(0);
	// What the server told the person who started it: the same address for phones.
	expect(app.log).toContain(`Phones:         http://${lan[0]}:${app.port}`);
	const awa = await openPerson();
	const projector = await openPerson(PROJECTOR);
	const board = await createWorkshop(awa, 'Forum de Kayes');
	await openAsSameAccount(projector, awa, `${board}/projector`);
	await expect(projector.getByTestId('join-screen')).toHaveCount(0);
	// During the forum, the way in stays on the projector, small.
	await expect(projector.getByTestId('join-strip')).toContainText(`${lan[0]}:${app.port}/join`);

	await awa.getByRole('button', { name: 'L’écran pour rejoindre' }).click();
	const screen = projector.getByTestId('join-screen');
	await expect(screen).toBeVisible();
	await expect(screen.getByTestId('join-address')).toHaveText(`${lan[0]}:${app.port}/join`);
	const code = (await screen.getByTestId('join-screen-code').textContent())!.trim();
	expect(code).toMatch(/^[A-Z2-9]{6}$/);
	const qr = (await screen.getByTestId('join-qr').boundingBox())!;
	expect(qr.height, 'QR code height on a 1080 px screen').toBeGreaterThanOrEqual(700);
	const codeSize = await screen
		.getByTestId('join-screen-code')
		.evaluate((element) => parseFloat(getComputedStyle(element).fontSize));
	expect(codeSize).toBeGreaterThanOrEqual(90);
	await expectNoVerticalScroll(projector, 'join screen');
	await expectProjectorReadable(projector);
	await projector.screenshot({ path: 'test-results/projector-join.png' });

	const decoded = decodeQrSvg(await screen.getByTestId('join-qr').innerHTML());
	expect(decoded).toMatch(
		new RegExp(`^http://${lan[0].replace(/\./g, '\\.')}:${app.port}/join/[A-Za-z0-9_-]+$`)
	);
	const phone = await openPerson(PHONE);
	await phone.goto(decoded);
	await expect(phone.getByLabel('Votre nom')).toBeVisible();

	// The board again when the facilitator brings everyone to a step.
	await awa.getByRole('button', { name: 'Amener tout le monde à cette étape' }).click();
	await expect(projector.getByTestId('join-screen')).toHaveCount(0);
	await expect(projector.locator('#step-title')).toHaveText('Étape 1 : Identifier les alliés');
});

test('the settings page warns when the address phones would get is this computer only', async ({
	openPerson,
	app
}) => {
	void app;
	const awa = await openPerson();
	const board = await createWorkshop(awa, 'Forum de Kayes');
	await awa.goto(`${board}/settings`);
	const lan = lanAddresses(os.networkInterfaces());
	if (lan.length > 0) {
		await expect(awa.getByTestId('lan-notice')).toContainText(`http://${lan[0]}:`);
		await expect(awa.getByTestId('invite-url')).toContainText(`http://${lan[0]}:`);
		await expect(awa.getByTestId('loopback-warning')).toHaveCount(0);
	} else {
		await expect(awa.getByTestId('loopback-warning')).toBeVisible();
	}
});
