// Hocuspocus 3.4 with its SQLite extension writing to DATA_DIR/hocuspocus.sqlite, every other setting
// at its default (stores debounced 2 s, forced after 10 s of continuous changes). HOST and PORT from
// the environment, plus the event-loop delay probe of ./metrics.js.
import './metrics.js';
import path from 'node:path';
import { Server } from '@hocuspocus/server';
import { SQLite } from '@hocuspocus/extension-sqlite';

const server = new Server({
	address: process.env.HOST ?? '127.0.0.1',
	port: Number(process.env.PORT ?? 1234),
	quiet: true,
	extensions: [
		new SQLite({ database: path.join(process.env.DATA_DIR ?? '.', 'hocuspocus.sqlite') })
	]
});
await server.listen();
console.log(`hocuspocus listening on ${server.address.port}`);
