/**
 * The one accessor SvelteKit code uses to reach the server's services. The custom server (or the
 * Vite plugin in dev) creates them once and registers them here; modules imported by both the
 * server and the SvelteKit bundle would otherwise be instantiated twice (sveltejs/kit#13115).
 */
import type { CoreServices } from './ports/services';

const KEY = Symbol.for('coalition-board.services');

type WithServices = typeof globalThis & { [KEY]?: CoreServices };

export function setServices(services: CoreServices | undefined): void {
	(globalThis as WithServices)[KEY] = services;
}

export function getServices(): CoreServices {
	const services = (globalThis as WithServices)[KEY];
	if (!services)
		throw new Error(
			'services are not initialised: start the app through server/index.ts or vite dev'
		);
	return services;
}
