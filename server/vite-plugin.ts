/** In `npm run dev`, attaches the same realtime server to Vite's dev server. */
import type { Plugin } from 'vite';
import { loadConfig } from './config';
import { createServices } from './services';
import { attachRealtime } from './realtime';
import { handleHealth } from './health';
import { setServices } from '../src/lib/server/services';

export function realtimeDevServer(): Plugin {
	return {
		name: 'coalition-board-realtime',
		apply: 'serve',
		configureServer(server) {
			if (!server.httpServer) return;
			const services = createServices(loadConfig());
			setServices(services);
			attachRealtime(server.httpServer as import('node:http').Server, services, {
				rejectUnknownUpgrades: false
			});
			server.middlewares.use('/healthz', (req, res) => void handleHealth(services, req, res));
		}
	};
}
