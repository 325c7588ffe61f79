// `node bench/check-hocuspocus-client.js`: checks the benchmark's thin Hocuspocus client against the
// real @hocuspocus/provider on a real Hocuspocus server (bench/peers/hocuspocus.js): each receives the
// other's edits, and the thin client's acknowledgements match the provider's `unsyncedChanges`.
import { spawn } from 'node:child_process';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import { HocuspocusThinClient } from './hocuspocus-client.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const port = await new Promise((resolve) => {
	const server = net.createServer().listen(0, '127.0.0.1', () => {
		const { port } = server.address();
		server.close(() => resolve(port));
	});
});
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-check-'));
const child = spawn(process.execPath, [path.join(here, 'peers/hocuspocus.js')], {
	env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), DATA_DIR: dataDir },
	stdio: ['ignore', 'pipe', 'inherit']
});
const timeout = setTimeout(() => fail(new Error('timed out')), 20_000);
const waitFor = async (check) => {
	while (!check()) await new Promise((resolve) => setTimeout(resolve, 20));
};

try {
	await new Promise((resolve) => child.stdout.once('data', resolve)); // "hocuspocus listening on …"
	const url = `http://127.0.0.1:${port}`;
	const thin = new HocuspocusThinClient(url, 'check');
	const acked = [];
	const seen = [];
	thin.onAck = (id) => acked.push(id);
	thin.onEdit = (id) => seen.push(id);
	await thin.ready;

	const doc = new Y.Doc();
	const socket = new HocuspocusProviderWebsocket({
		url: url.replace('http', 'ws'),
		WebSocketPolyfill: WebSocket
	});
	const provider = new HocuspocusProvider({
		websocketProvider: socket,
		name: 'check',
		document: doc
	});
	provider.attach();
	await new Promise((resolve) => provider.on('synced', resolve));

	for (let id = 1; id <= 5; id++) thin.edit(id);
	await waitFor(() => doc.getMap('bench').size === 5 && acked.length === 5);
	assert.deepEqual(acked, [1, 2, 3, 4, 5], 'the thin client matches each sync status to its edit');
	assert.deepEqual([...doc.getMap('bench').values()].sort(), [
		'~e1~',
		'~e2~',
		'~e3~',
		'~e4~',
		'~e5~'
	]);

	doc.getMap('bench').set('k99', '~e99~');
	assert.equal(provider.unsyncedChanges, 1);
	await waitFor(() => provider.unsyncedChanges === 0 && seen.includes(99));
	// Every sync status the server sent (its answer to our step 2, then one per edit) was expected.
	assert.equal(
		thin.statusHead,
		thin.awaitingStatus.length,
		'one sync status per step 2 / update, no more'
	);
	console.log(
		'ok: the thin client and @hocuspocus/provider exchange edits; acknowledgements match'
	);
	provider.destroy();
	socket.destroy();
	thin.close();
	finish(0);
} catch (error) {
	fail(error);
}

function fail(error) {
	console.error(error);
	finish(1);
}

function finish(code) {
	clearTimeout(timeout);
	child.kill();
	fs.rmSync(dataDir, { recursive: true, force: true });
	process.exit(code);
}
