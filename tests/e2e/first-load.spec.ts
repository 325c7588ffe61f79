/**
 * The board page's first-load JavaScript, gzipped: what a phone on a 40 MB day pass downloads to see
 * the board. Measured in the real browser against the built app; reported as a test annotation.
 */
import zlib from 'node:zlib';
import { admitParticipant, createWorkshop, expect, test } from './fixtures';

/**
 * Budget for everything a first visit to /w/[id] downloads before the board is usable: 101.5 KiB on
 * 2026-12-03 (111.2 KiB before), 102.5 KiB once the charter's endorsements and the projector's
 * word breaks were merged beside it, 103.2 KiB with the error page's words imported again (the
 * server must render them); issue #14 asks for 100.
 */
const FIRST_LOAD_BUDGET_GZIP = 104 * 1024;
/** Budget for the board page's JavaScript once everything it fetches by itself has arrived. */
const PAGE_BUDGET_GZIP = 125 * 1024;

test('the board page loads less JavaScript than its budget, gzipped', async ({
	openPerson
}, testInfo) => {
	const amina = await openPerson();
	const board = await createWorkshop(amina, 'Forum de Kayes');
	// A participant's phone: a cold cache, straight onto the board's URL.
	const phone = await openPerson({ viewport: { width: 360, height: 640 } });
	await admitParticipant(phone, board);
	const scripts = new Map<string, number>();
	phone.on('response', async (response) => {
		const url = new URL(response.url());
		if (!url.pathname.endsWith('.js')) return;
		const body = await response.body();
		scripts.set(url.pathname, zlib.gzipSync(body).length);
	});
	await phone.goto(board);
	await expect(phone.getByTestId('save-status')).toHaveText('Enregistré');
	await expect(phone.getByRole('heading', { level: 2 }).first()).toBeVisible();
	await phone.waitForLoadState('networkidle');

	// What was requested before the board became usable (loaded, its step's view shown: the
	// app's `board-usable` mark) is the first load; what the board fetches after, in the
	// background (the command socket), is reported apart and has a budget of its own.
	const timing = await phone.evaluate(() => ({
		usable: performance.getEntriesByName('board-usable')[0]?.startTime ?? null,
		started: performance
			.getEntriesByType('resource')
			.map((entry) => ({ path: new URL(entry.name).pathname, at: entry.startTime }))
	}));
	expect(timing.usable, 'the board marks when it is usable').not.toBeNull();
	const startedAt = new Map(timing.started.map(({ path, at }) => [path, at]));
	const firstLoad = [...scripts].filter(
		([path]) => (startedAt.get(path) ?? Infinity) < timing.usable!
	);
	const sum = (entries: [string, number][]) => entries.reduce((total, [, size]) => total + size, 0);
	const total = sum(firstLoad);
	const after = sum([...scripts]) - total;
	const report = `${(total / 1024).toFixed(1)} KiB gzipped in ${firstLoad.length} files, then ${(after / 1024).toFixed(1)} KiB once usable`;
	testInfo.annotations.push({ type: 'first-load JS', description: report });
	console.log(`first-load JS of /w/[id]: ${report}`);
	for (const [path, size] of [...scripts].sort((a, b) => b[1] - a[1])) {
		const when = (startedAt.get(path) ?? Infinity) < timing.usable! ? '' : '  (after usable)';
		console.log(`  ${(size / 1024).toFixed(1).padStart(6)} KiB  ${path}${when}`);
	}
	expect(total).toBeLessThan(FIRST_LOAD_BUDGET_GZIP);
	expect(total + after).toBeLessThan(PAGE_BUDGET_GZIP);

	// Each other step's view arrives only when someone opens it.
	const lazy: string[] = [];
	for (const step of ['mobilise', 'tasks', 'maintain']) {
		const before = new Set(scripts.keys());
		await phone.goto(`${board}?step=${step}`);
		await expect(phone.locator(`[data-step="${step}"]`)).toBeVisible();
		await expect(phone.getByText("Chargement de l'étape…")).toHaveCount(0);
		await phone.waitForLoadState('networkidle');
		const added = [...scripts.keys()].filter((path) => !before.has(path));
		const size = added.reduce((sum, path) => sum + (scripts.get(path) ?? 0), 0);
		lazy.push(`${step} ${(size / 1024).toFixed(1)} KiB`);
		expect(added.length, `${step}: its view is a chunk of its own`).toBeGreaterThan(0);
	}
	testInfo.annotations.push({ type: 'lazy step views', description: lazy.join(', ') });
	console.log(`loaded on opening: ${lazy.join(', ')}`);
});
