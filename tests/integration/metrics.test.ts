import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer } from '../fixtures/server';
import { useMemberClients, waitForSaved, waitForSynced } from '../fixtures/clients';
import { readMetrics } from '../fixtures/reliability';
import type { RunningServer } from '../../server/app';
import { addAlly } from '../../src/lib/shared/schema';

let server: RunningServer;
beforeEach(async () => {
	server = await startTestServer();
});
afterEach(async () => {
	await server.close();
});
const connect = useMemberClients(() => server);

describe('GET /metrics', () => {
	it('reports what committing before relaying costs, and starts a new window on reset', async () => {
		const client = connect('metrics');
		await waitForSynced(client);
		await readMetrics(server.url, { reset: true });
		for (let i = 0; i < 3; i++) {
			addAlly(client.doc, { name: `ally ${i}`, type: 'group' });
			await waitForSaved(client);
		}
		const metrics = await readMetrics(server.url, { reset: true });
		expect(metrics.commitMs?.count).toBe(3);
		expect(metrics.commitMs!.p50).toBeGreaterThan(0);
		expect(metrics.heldMs?.count).toBe(3);
		expect(metrics.heldMs!.max).toBeGreaterThanOrEqual(metrics.commitMs!.max);
		expect((await readMetrics(server.url)).commitMs).toBeNull();
	});
});
