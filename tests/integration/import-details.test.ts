/**
 * What an import does with a workshop's details (title, date, place, language, issue), on both
 * storage engines: a workshop the import creates takes the file's; a merge takes them when the
 * other copy changed them later and keeps them when this one did; importing the same file again
 * changes nothing; a file from before the stamps imports as "not known" and takes nothing here;
 * a stamp that is not milliseconds is refused.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { buildWorkshopFile, checksumOf, type WorkshopFile } from '../../src/lib/server/export-json';
import { parseWorkshopFile } from '../../src/lib/server/import-json';
import { importWorkshop } from '../../src/lib/server/import-merge';
import { updateWorkshopDetails } from '../../src/lib/server/workshops';
import type { WorkshopDetails } from '../../src/lib/server/ports/storage';
import type { Services } from '../../server/services';
import { closeServices, openServices, seedWorkshop } from '../fixtures/workshops';
import { ENGINES, engineEnv } from '../fixtures/storages';

const opened: { services: Services; drop(): Promise<void> }[] = [];
afterEach(async () => {
	for (const { services, drop } of opened.splice(0)) {
		await closeServices(services);
		await drop();
	}
});

const T0 = Date.UTC(2026, 10, 20, 9);

const PREPARED: WorkshopDetails = {
	date: '2026-11-28',
	place: 'Kayes',
	language: 'fr',
	issue: 'Les mariages précoces'
};

describe.each(ENGINES)('importing a workshop’s details on %s', (engine) => {
	function open(): Services {
		const { env, drop } = engineEnv(engine);
		const services = openServices(env);
		opened.push({ services, drop });
		return services;
	}

	async function fileOf(from: Services, id: string): Promise<WorkshopFile> {
		return (await buildWorkshopFile(from, id, 'facilitator'))!;
	}

	function importText(to: Services, text: string, importer: { userId: string; name: string }) {
		return importWorkshop(to, parseWorkshopFile(text), importer);
	}

	async function carry(
		from: Services,
		to: Services,
		id: string,
		importer: { userId: string; name: string }
	) {
		return importText(to, JSON.stringify(await fileOf(from, id)), importer);
	}

	const detailsOf = async (services: Services, id: string) => {
		const workshop = (await services.storage.getWorkshop(id))!;
		const { title, date, place, language, issue, detailsChangedAt } = workshop;
		return { title, date, place, language, issue, detailsChangedAt };
	};

	it('a workshop the import creates takes the file’s details and their stamp', async () => {
		const central = open();
		const laptop = open();
		const { workshopId: id } = await seedWorkshop(central, 'Forum de Kayes');
		await updateWorkshopDetails(central, id, { title: 'Forum de Kayes', details: PREPARED }, T0);
		const venue = await seedWorkshop(laptop, 'Atelier du portable');
		expect((await carry(central, laptop, id, venue.facilitator)).created).toBe(true);
		expect(await detailsOf(laptop, id)).toEqual({
			title: 'Forum de Kayes',
			...PREPARED,
			detailsChangedAt: T0
		});
	});

	it('a merge takes the date and title the venue corrected during the forum, once', async () => {
		const central = open();
		const laptop = open();
		const { workshopId: id, facilitator } = await seedWorkshop(central, 'Forum de Kayes');
		await updateWorkshopDetails(central, id, { title: 'Forum de Kayes', details: PREPARED }, T0);
		const venue = await seedWorkshop(laptop, 'Atelier du portable');
		await carry(central, laptop, id, venue.facilitator);
		// At the venue: the forum was moved by a day, and named after its town hall.
		const corrected = { ...PREPARED, date: '2026-11-29', place: 'Kayes, salle de la mairie' };
		await updateWorkshopDetails(
			laptop,
			id,
			{ title: 'Forum de Kayes, mairie', details: corrected },
			T0 + 100
		);

		const back = await carry(laptop, central, id, facilitator);
		expect(back.created).toBe(false);
		expect(back.counts.workshop).toBe(1);
		expect(await detailsOf(central, id)).toEqual({
			title: 'Forum de Kayes, mairie',
			...corrected,
			detailsChangedAt: T0 + 100
		});
		const again = await carry(laptop, central, id, facilitator);
		expect(Object.values(again.counts).every((count) => count === 0)).toBe(true);
		expect(again.documentChanged).toBe(false);
		expect((await detailsOf(central, id)).detailsChangedAt).toBe(T0 + 100);
	});

	it('a merge keeps what the centre changed since the export, and sends it back to the laptop', async () => {
		const central = open();
		const laptop = open();
		const { workshopId: id, facilitator } = await seedWorkshop(central, 'Forum de Kayes');
		await updateWorkshopDetails(central, id, { title: 'Forum de Kayes', details: PREPARED }, T0);
		const venue = await seedWorkshop(laptop, 'Atelier du portable');
		await carry(central, laptop, id, venue.facilitator);
		await updateWorkshopDetails(
			laptop,
			id,
			{ title: 'Forum du portable', details: PREPARED },
			T0 + 100
		);
		// The centre renamed it afterwards: its name is the later one.
		await updateWorkshopDetails(
			central,
			id,
			{ title: 'Forum régional de Kayes', details: { ...PREPARED, language: 'en' } },
			T0 + 200
		);
		expect((await carry(laptop, central, id, facilitator)).counts.workshop).toBe(0);
		const centre = await detailsOf(central, id);
		expect(centre).toEqual({
			title: 'Forum régional de Kayes',
			...PREPARED,
			language: 'en',
			detailsChangedAt: T0 + 200
		});
		expect((await carry(central, laptop, id, venue.facilitator)).counts.workshop).toBe(1);
		expect(await detailsOf(laptop, id)).toEqual(centre);
	});

	it('a file from before the stamps imports as “not known”: it creates with no stamp, and never replaces stamped details', async () => {
		const central = open();
		const laptop = open();
		const { workshopId: id, facilitator } = await seedWorkshop(central, 'Forum de Kayes');
		const old = await fileOf(central, id);
		delete (old.data.workshop as { detailsChangedAt?: unknown }).detailsChangedAt;
		old.checksum = checksumOf(old.data);
		const oldText = JSON.stringify(old);
		expect(parseWorkshopFile(oldText).data.workshop.detailsChangedAt).toBeNull();
		const venue = await seedWorkshop(laptop, 'Atelier du portable');
		await importText(laptop, oldText, venue.facilitator);
		expect((await detailsOf(laptop, id)).detailsChangedAt).toBeNull();

		// Stamped here since: the old file's details do not come back.
		await updateWorkshopDetails(central, id, { title: 'Forum de Kayes', details: PREPARED }, T0);
		expect((await importText(central, oldText, facilitator)).counts.workshop).toBe(0);
		expect(await detailsOf(central, id)).toEqual({
			title: 'Forum de Kayes',
			...PREPARED,
			detailsChangedAt: T0
		});

		// A stamp that is not milliseconds is refused, naming it.
		for (const wrong of ['hier', 1.5, -1]) {
			const bad = await fileOf(central, id);
			(bad.data.workshop as { detailsChangedAt: unknown }).detailsChangedAt = wrong;
			bad.checksum = checksumOf(bad.data);
			expect(() => parseWorkshopFile(JSON.stringify(bad))).toThrow(
				'invalid: workshop.detailsChangedAt'
			);
		}
	});
});
