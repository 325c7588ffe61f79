/**
 * An import is bad input like any other: a valid file cut, bit-flipped, its state's bytes mutated or
 * its values replaced at random (re-signed, so the checksum passes) is refused with an ImportError
 * or imported, never crashing, and no single file holds the event loop for long. The seed is in the
 * failure message; FUZZ_SEED=<n> replays it.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, describe, expect, it } from 'vitest';
import { buildWorkshopFile, checksumOf, type WorkshopFile } from '../../src/lib/server/export-json';
import { ImportError, parseWorkshopFile } from '../../src/lib/server/import-json';
import { importWorkshop } from '../../src/lib/server/import-merge';
import { addAlly } from '../../src/lib/shared/schema';
import type { Services } from '../../server/services';
import {
	addParticipant,
	closeServices,
	editAsClient,
	lockCharter,
	openServices,
	seedRevealedRound,
	seedWorkshop
} from '../fixtures/workshops';

const seed = Number(process.env.FUZZ_SEED ?? 1337);
const opened: Services[] = [];
afterAll(async () => {
	for (const services of opened) await closeServices(services);
});

/** mulberry32: a small seeded generator. */
function random(state: number): () => number {
	return () => {
		state = (state + 0x6d2b79f5) | 0;
		let t = Math.imul(state ^ (state >>> 15), 1 | state);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const WEIRD = [
	null,
	-1,
	0,
	1e308,
	'',
	'x'.repeat(5000),
	'=cmd',
	[],
	{},
	[1, 2],
	{ a: 1 },
	true,
	'../../etc',
	'\u0000'
];

/** Replaces one value somewhere in `value` (objects and arrays walked at random). */
function replaceSomewhere(value: unknown, next: () => number): unknown {
	if (Array.isArray(value) && value.length > 0 && next() < 0.8) {
		const copy = [...value];
		const index = Math.floor(next() * copy.length);
		copy[index] = replaceSomewhere(copy[index], next);
		return copy;
	}
	if (value && typeof value === 'object' && !Array.isArray(value) && next() < 0.8) {
		const keys = Object.keys(value);
		if (keys.length > 0) {
			const key = keys[Math.floor(next() * keys.length)];
			return { ...value, [key]: replaceSomewhere((value as Record<string, unknown>)[key], next) };
		}
	}
	return WEIRD[Math.floor(next() * WEIRD.length)];
}

describe('fuzzing the import', () => {
	it('refuses or imports every mutated file, never crashing or stalling', async () => {
		const source = openServices();
		opened.push(source);
		const { workshopId, facilitator } = await seedWorkshop(source);
		const awa = await addParticipant(source, workshopId, 'Awa', 'CARE Mali');
		await editAsClient(source, workshopId, (doc) =>
			addAlly(doc, { name: 'CARE Mali', type: 'organisation' })
		);
		await seedRevealedRound(source, workshopId, [awa]);
		await lockCharter(source, workshopId, facilitator);
		const file = (await buildWorkshopFile(source, workshopId, 'facilitator'))!;
		const text = JSON.stringify(file);
		const next = random(seed);
		let imported = 0;
		let refused = 0;
		const loopDelay = monitorEventLoopDelay({ resolution: 10 });
		loopDelay.enable();
		for (let round = 0; round < 300; round++) {
			const kind = round % 4;
			let input: string;
			if (kind === 0) input = text.slice(0, Math.floor(next() * text.length));
			else if (kind === 1) {
				const at = Math.floor(next() * text.length);
				input =
					text.slice(0, at) +
					String.fromCharCode(32 + Math.floor(next() * 90)) +
					text.slice(at + 1);
			} else if (kind === 2) {
				const state = Buffer.from(file.data.state, 'base64');
				for (let flips = 1 + Math.floor(next() * 4); flips > 0; flips--)
					state[Math.floor(next() * state.length)] = Math.floor(next() * 256);
				const data = { ...file.data, state: state.toString('base64') };
				input = JSON.stringify({ ...file, data, checksum: checksumOf(data) });
			} else {
				const data = replaceSomewhere(file.data, next) as WorkshopFile['data'];
				input = JSON.stringify({ ...file, data, checksum: checksumOf(data) });
			}
			const target = kind >= 2 && imported < 25 ? openServices() : null;
			if (target) opened.push(target);
			let parsed: ReturnType<typeof parseWorkshopFile> | null = null;
			try {
				parsed = parseWorkshopFile(input);
			} catch (error) {
				expect(error, `seed ${seed}, round ${round}: ${String(error)}`).toBeInstanceOf(ImportError);
				refused++;
			}
			if (parsed && target) {
				try {
					await importWorkshop(target, parsed, null);
					imported++;
				} catch (error) {
					expect(error, `seed ${seed}, round ${round}: ${String(error)}`).toBeInstanceOf(
						ImportError
					);
				}
			}
		}
		loopDelay.disable();
		// A stall is time the event loop could not run (what other clients would wait), not wall time
		// spent waiting for the storage thread.
		const worst = loopDelay.max / 1e6;
		expect(refused, `seed ${seed}`).toBeGreaterThan(150);
		expect(imported, `seed ${seed}: mutated files that still imported`).toBeGreaterThan(0);
		expect(worst, `seed ${seed}: longest event-loop stall in ms`).toBeLessThan(1000);
	}, 120_000);
});
