/** Production entry: `node build/coalition-server.js` (built by `npm run build`). */
import { loadConfigOrExit } from './config';
import { SCHEME_HEADER, startServer, type RequestHandler } from './app';
import { createLogger } from './log';
import { formatBanner } from './banner';
import { lanAddresses } from '../src/lib/server/phone-address';
import { describeStorage } from './storage/open';

const config = loadConfigOrExit();

const log = createLogger(config.logLevel);
// adapter-node assumes https when ORIGIN is unset, which refuses every form post on plain http
// (a venue laptop on a LAN address). Tell it the scheme of our own socket instead.
if (!process.env.ORIGIN && !process.env.PROTOCOL_HEADER)
	process.env.PROTOCOL_HEADER = SCHEME_HEADER;
// adapter-node refuses bodies over 512 KiB by default: a workshop file to import may be up to
// IMPORT_MAX_BYTES (8 MiB, src/lib/server/import-json.ts), in a multipart form.
if (!process.env.BODY_SIZE_LIMIT) process.env.BODY_SIZE_LIMIT = '9M';
// Resolved at run time next to this file: build/handler.js from adapter-node.
const handlerUrl = new URL('./handler.js', import.meta.url).href;
const { handler } = (await import(handlerUrl)) as { handler: RequestHandler };

const running = await startServer(config, { handler, log }).catch((error: Error) => {
	// The database unreachable or from a newer release: say so, instead of serving errors.
	console.error(`Coalition Board cannot start: ${error.message}`);
	process.exit(1);
});
log.info(
	{ url: `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${running.port}` },
	'Coalition Board is listening'
);
// For the person at the terminal: where the app is, the address for phones, where the data is.
console.log(
	formatBanner({
		host: config.host,
		port: running.port,
		dataDir: config.dataDir,
		database: config.database ? describeStorage(config) : undefined,
		publicUrl: config.publicUrl,
		lan: lanAddresses()
	})
);

let shuttingDown = false;
function shutdown(signal: string) {
	if (shuttingDown) {
		// Every commit is one SQLite transaction: a second signal just waits for the first.
		log.warn({ signal }, 'already shutting down');
		return;
	}
	shuttingDown = true;
	log.info({ signal }, 'shutting down: closing sockets and committing pending edits');
	const force = setTimeout(() => {
		log.error('shutdown took too long; exiting');
		process.exit(1);
	}, 10_000);
	force.unref();
	running.close().then(
		() => process.exit(0),
		(error) => {
			log.error({ err: error }, 'shutdown failed');
			process.exit(1);
		}
	);
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
