import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { freePort, tempDataDir } from '../fixtures/server';
import { useChildServers } from '../fixtures/child-servers';
import { waitFor, waitForSaved, waitForSynced } from '../fixtures/clients';
import type { BoardConnection } from '../../src/lib/realtime/board-connection';
import { addAlly, getAllies, readAllies } from '../../src/lib/shared/schema';

const ROOM = 'restart';

const { start, connect } = useChildServers();

const nameOf = (client: BoardConnection, id: string) =>
	getAllies(client.doc).get(id)!.get('name') as Y.Text;
/** The allies as JSON with sorted keys: a Y.Map iterates in the order its entries arrived. */
const alliesJson = (client: BoardConnection) =>
	JSON.stringify(sortKeys(getAllies(client.doc).toJSON()));

function sortKeys(value: unknown): unknown {
	if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
	return Object.fromEntries(
		Object.entries(value)
			.sort(([a], [b]) => a.localeCompare(b))
			.map(([key, inner]) => [key, sortKeys(inner)])
	);
}
const stateVector = (client: BoardConnection) => Array.from(Y.encodeStateVector(client.doc));

describe('clients editing while the server restarts', () => {
	it('reconnect by themselves, converge, and have everything stored', async () => {
		const env = { PORT: String(await freePort()), DATA_DIR: tempDataDir() };
		const first = await start(env);
		const a = connect(first, ROOM);
		const b = connect(first, ROOM);
		await Promise.all([waitForSynced(a), waitForSynced(b)]);
		const sharedId = addAlly(a.doc, { name: 'Reseau', type: 'organisation' });
		await waitForSaved(a);
		await waitFor(() => getAllies(b.doc).has(sharedId), { what: 'b to see the shared ally' });

		first.process.kill('SIGTERM');
		expect(await first.exited).toEqual({ code: 0, signal: null });
		await waitFor(() => !a.provider.wsconnected && !b.provider.wsconnected, {
			what: 'both to notice'
		});

		// While the server is down: different allies, and the same ally's name from both sides.
		for (let i = 0; i < 5; i++) {
			addAlly(a.doc, { name: `From A ${i}`, type: 'group' });
			addAlly(b.doc, { name: `From B ${i}`, type: 'individual' });
		}
		nameOf(a, sharedId).insert(0, 'Grand ');
		nameOf(b, sharedId).insert('Reseau'.length, ' des femmes');
		nameOf(b, sharedId).delete(1, 1);
		nameOf(b, sharedId).insert(1, 'é');
		expect(a.saves.unsaved).toBeGreaterThan(0);
		expect(b.saves.unsaved).toBeGreaterThan(0);

		const second = await start(env);
		await Promise.all([waitForSaved(a, 20_000), waitForSaved(b, 20_000)]);
		await waitFor(() => alliesJson(a) === alliesJson(b), { what: 'a and b to converge' });
		expect(stateVector(a)).toEqual(stateVector(b));
		expect(readAllies(a.doc)).toHaveLength(11);
		expect(nameOf(a, sharedId).toString()).toBe('Grand Réseau des femmes');

		const fresh = connect(second, ROOM);
		await waitForSynced(fresh);
		expect(alliesJson(fresh)).toBe(alliesJson(a));
		expect(stateVector(fresh)).toEqual(stateVector(a));
	});
});
