/**
 * What an import does with the facilitator's settings and the steps reached, on both storage
 * engines: a workshop the import creates takes the file's path, step, scoring voice and follow-up
 * period; a merge takes each setting the other copy changed later and keeps the ones changed here
 * later; the steps reached travel in the file once; importing the same file again changes nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { buildWorkshopFile } from '../../src/lib/server/export-json';
import { parseWorkshopFile } from '../../src/lib/server/import-json';
import { importWorkshop } from '../../src/lib/server/import-merge';
import { loadTimeline } from '../../src/lib/server/history';
import {
	readFacilitationSettings,
	setFacilitationSetting,
	type FacilitationSetting
} from '../../src/lib/shared/facilitation-settings';
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

describe.each(ENGINES)('importing the facilitator’s settings on %s', (engine) => {
	function open(): Services {
		const { env, drop } = engineEnv(engine);
		const services = openServices(env);
		opened.push({ services, drop });
		return services;
	}

	/** The server's own write of a setting, as a facilitation command makes it. */
	function set(
		services: Services,
		id: string,
		key: FacilitationSetting,
		value: unknown,
		at: number
	) {
		return services.registry.changeDocument(id, (doc) =>
			setFacilitationSetting(doc, key, value, at)
		);
	}

	const settingsOf = (services: Services, id: string) =>
		services.registry.readDocument(id, (doc) => readFacilitationSettings(doc).values);

	async function carry(
		from: Services,
		to: Services,
		id: string,
		importer: { userId: string; name: string }
	) {
		const file = await buildWorkshopFile(from, id, 'facilitator');
		return importWorkshop(to, parseWorkshopFile(JSON.stringify(file)), importer);
	}

	it('a workshop the import creates takes the file’s settings, and not its countdown', async () => {
		const central = open();
		const laptop = open();
		const { workshopId: id } = await seedWorkshop(central);
		await set(central, id, 'path', 'create', T0);
		await set(central, id, 'scoringVoice', 'organisation', T0 + 1);
		await set(central, id, 'step', 'study', T0 + 2);
		await central.registry.changeDocument(id, (doc) =>
			doc.getMap('facilitation').set('countdown', { durationMs: 300_000, startedAt: T0 })
		);
		const venue = await seedWorkshop(laptop, 'Atelier du portable');
		expect((await carry(central, laptop, id, venue.facilitator)).created).toBe(true);
		expect(await settingsOf(laptop, id)).toEqual({
			path: 'create',
			step: 'study',
			scoringVoice: 'organisation'
		});
		expect(
			await laptop.registry.readDocument(id, (doc) => doc.getMap('facilitation').get('countdown'))
		).toBeUndefined();
	});

	it('a merge takes what the venue changed during the forum, keeps what the centre changed since, and a second import changes nothing', async () => {
		const central = open();
		const laptop = open();
		const { workshopId: id, facilitator } = await seedWorkshop(central);
		await set(central, id, 'path', 'join', T0);
		await set(central, id, 'scoringVoice', 'organisation', T0);
		const venue = await seedWorkshop(laptop, 'Atelier du portable');
		await carry(central, laptop, id, venue.facilitator);
		// The forum on the laptop: the path widened, the group brought to step 3, the period opened.
		await set(laptop, id, 'path', 'both', T0 + 100);
		await set(laptop, id, 'step', 'mobilise', T0 + 110);
		const period = { open: true, at: T0 + 120, by: 'Oumar Diarra' };
		await set(laptop, id, 'followUp', period, T0 + 120);
		// Meanwhile at the centre: the scoring voice changed back.
		await set(central, id, 'scoringVoice', 'participant', T0 + 130);

		const back = await carry(laptop, central, id, facilitator);
		expect(back.created).toBe(false);
		expect(back.documentChanged).toBe(true);
		expect(await settingsOf(central, id)).toEqual({
			path: 'both',
			step: 'mobilise',
			scoringVoice: 'participant',
			followUp: period
		});
		const state = () => central.registry.readDocument(id, (doc) => Y.encodeStateAsUpdate(doc));
		const before = await state();
		const again = await carry(laptop, central, id, facilitator);
		expect(again.documentChanged).toBe(false);
		expect(await state()).toEqual(before);

		// And back to the laptop: the centre's later voice arrives; the laptop's own settings stay.
		await carry(central, laptop, id, venue.facilitator);
		expect(await settingsOf(laptop, id)).toEqual(await settingsOf(central, id));
	});

	it('carries the steps reached in the file, each once, whichever way it travels', async () => {
		const central = open();
		const laptop = open();
		const { workshopId: id, facilitator } = await seedWorkshop(central);
		const reach = (services: Services, step: string, at: number) =>
			services.storage.history.record({
				workshopId: id,
				kind: 'step',
				userId: facilitator.userId,
				userName: facilitator.name,
				reason: step,
				at,
				charterVersion: 0,
				charter: {},
				state: new Uint8Array([0, 0])
			});
		await reach(central, 'identify', T0);
		const venue = await seedWorkshop(laptop, 'Atelier du portable');
		await carry(central, laptop, id, venue.facilitator);
		await reach(laptop, 'study', T0 + 100);
		await carry(laptop, central, id, facilitator);
		await carry(central, laptop, id, venue.facilitator);
		await carry(laptop, central, id, facilitator);
		for (const services of [central, laptop]) {
			const events = await services.storage.history.listEvents(id);
			expect(events.map((event) => [event.kind, event.reason])).toEqual([
				['step', 'identify'],
				['step', 'study']
			]);
			expect(await services.storage.history.listVersions(id)).toHaveLength(2);
			const timeline = await loadTimeline(services, id, 0);
			expect(timeline.filter((entry) => entry.kind === 'step')).toHaveLength(2);
		}
	});

	it('refuses a file whose step reached names no step, changing nothing', async () => {
		const central = open();
		const { workshopId: id, facilitator } = await seedWorkshop(central);
		await central.storage.history.record({
			workshopId: id,
			kind: 'step',
			userId: facilitator.userId,
			userName: facilitator.name,
			reason: 'identify',
			at: T0,
			charterVersion: 0,
			charter: {},
			state: new Uint8Array([0, 0])
		});
		const file = (await buildWorkshopFile(central, id, 'facilitator'))!;
		file.data.events[0].reason = '<script>';
		const { checksumOf } = await import('../../src/lib/server/export-json');
		file.checksum = checksumOf(file.data);
		expect(() => parseWorkshopFile(JSON.stringify(file))).toThrow('invalid: events[0].reason');
	});
});
