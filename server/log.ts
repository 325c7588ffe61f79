import { pino, type Logger } from 'pino';

/** Structured logs. Never log tokens, passwords, invite secrets or document content. */
export function createLogger(level: string): Logger {
	return pino({
		level,
		redact: {
			paths: [
				'token',
				'password',
				'secret',
				'cookie',
				'*.token',
				'*.password',
				'*.secret',
				'*.cookie',
				'req.headers.cookie'
			],
			censor: '[redacted]'
		}
	});
}

export type { Logger };
