/**
 * `npm run user:reset-password -- <login>`: an operator sets a facilitator's new password (there is
 * no e-mail in the product) and signs that account out everywhere. The password is typed twice
 * without echo, or read from the first line of standard input when it is not a terminal. It is
 * never printed.
 */
import { loadConfigOrExit } from './config';
import { openStorage } from './storage/open';
import { resetPassword } from '../src/lib/server/users';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../src/lib/shared/account-rules';

const login = process.argv[2];
if (!login || process.argv.length > 3) {
	console.error('Usage: npm run user:reset-password -- <login>');
	process.exit(2);
}

const config = loadConfigOrExit();

let password: string;
if (process.stdin.isTTY) {
	password = await promptHidden(
		`New password for ${login} (${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters): `
	);
	if ((await promptHidden('Type it again: ')) !== password) {
		console.error('The two passwords differ: nothing was changed.');
		process.exit(1);
	}
} else {
	password = (await readAll(process.stdin)).split(/\r?\n/)[0];
}

const storage = openStorage({ ...config, busyTimeoutMs: Math.max(config.busyTimeoutMs, 5000) });
try {
	const result = await resetPassword({ storage }, { login, password });
	if ('problem' in result) {
		console.error(
			{
				'unknown-login': `No facilitator account has the login "${login}": nothing was changed.`,
				'too-short': `The password is too short (at least ${PASSWORD_MIN_LENGTH} characters): nothing was changed.`,
				'too-long': `The password is too long (at most ${PASSWORD_MAX_LENGTH} characters): nothing was changed.`
			}[result.problem]
		);
		process.exitCode = 1;
	} else {
		console.log(
			`The password of "${result.login}" is reset, and every session of that account is signed out.`
		);
	}
} finally {
	await storage.close();
}

function readAll(stream: NodeJS.ReadableStream): Promise<string> {
	return new Promise((resolve, reject) => {
		let text = '';
		stream.setEncoding('utf8');
		stream.on('data', (chunk: string) => (text += chunk));
		stream.on('end', () => resolve(text));
		stream.on('error', reject);
	});
}

/** Reads one line from the terminal in raw mode, echoing nothing. */
function promptHidden(question: string): Promise<string> {
	return new Promise((resolve) => {
		const stdin = process.stdin;
		process.stderr.write(question);
		stdin.setRawMode(true);
		stdin.setEncoding('utf8');
		stdin.resume();
		let typed = '';
		const onData = (chunk: string) => {
			for (const char of chunk) {
				if (char === '\u0003') {
					process.stderr.write('\n');
					process.exit(130);
				}
				if (char === '\r' || char === '\n' || char === '\u0004') {
					stdin.setRawMode(false);
					stdin.pause();
					stdin.off('data', onData);
					process.stderr.write('\n');
					resolve(typed);
					return;
				}
				if (char === '\u007f' || char === '\b') typed = [...typed].slice(0, -1).join('');
				else typed += char;
			}
		};
		stdin.on('data', onData);
	});
}
