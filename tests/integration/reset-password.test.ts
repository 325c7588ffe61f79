/** `npm run user:reset-password -- <login>`: the operator's reset, against a running built server. */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, spawnServer, tempDataDir, type ChildServer } from '../fixtures/server';
import { Browser } from '../fixtures/http';

const OLD_PASSWORD = 'ancien-mot-de-passe';
const NEW_PASSWORD = 'Nouveau mot de passe 2026';

function runReset(dataDir: string, args: string[], stdin: string) {
	return new Promise<{ code: number | null; output: string }>((resolve) => {
		const child = spawn('npm', ['run', '--silent', 'user:reset-password', '--', ...args], {
			env: { ...process.env, DATA_DIR: dataDir },
			stdio: ['pipe', 'pipe', 'pipe']
		});
		let output = '';
		child.stdout.on('data', (chunk) => (output += chunk));
		child.stderr.on('data', (chunk) => (output += chunk));
		child.on('exit', (code) => resolve({ code, output }));
		child.stdin.end(stdin);
	});
}

async function signIn(app: ChildServer, login: string, password: string): Promise<Browser | null> {
	const browser = new Browser(app.url);
	const response = await browser.post('/signin', { login, password });
	return response.status === 303 ? browser : null;
}

async function isSignedIn(browser: Browser): Promise<boolean> {
	return (await browser.get('/')).status === 200;
}

describe('the operator resetting a facilitator password', () => {
	let app: ChildServer;
	let dataDir: string;
	beforeAll(async () => {
		dataDir = tempDataDir();
		app = await spawnServer({ PORT: String(await freePort()), DATA_DIR: dataDir });
		const signup = await new Browser(app.url).post('/signup', {
			login: 'amina',
			password: OLD_PASSWORD,
			displayName: 'Amina Traoré'
		});
		expect(signup.status).toBe(303);
	});
	afterAll(async () => {
		app.process.kill('SIGTERM');
		await app.exited;
	});

	it('sets the new password, signs every session out and never prints the password', async () => {
		const laptop = (await signIn(app, 'amina', OLD_PASSWORD))!;
		expect(await isSignedIn(laptop)).toBe(true);

		const { code, output } = await runReset(dataDir, ['Amina'], `${NEW_PASSWORD}\n`);
		expect(code, output).toBe(0);
		expect(output).toContain('amina');
		expect(output).not.toContain(NEW_PASSWORD);

		expect(await isSignedIn(laptop)).toBe(false);
		expect(await signIn(app, 'amina', OLD_PASSWORD)).toBeNull();
		expect(await signIn(app, 'amina', NEW_PASSWORD)).not.toBeNull();
	});

	it('changes nothing for an unknown login or a too-short password, and says so', async () => {
		const unknown = await runReset(dataDir, ['moussa'], `${NEW_PASSWORD}\n`);
		expect(unknown.code).toBe(1);
		expect(unknown.output).toContain('No facilitator account has the login "moussa"');

		const browser = (await signIn(app, 'amina', NEW_PASSWORD))!;
		const short = await runReset(dataDir, ['amina'], 'court\n');
		expect(short.code).toBe(1);
		expect(short.output).toContain('too short');
		expect(short.output).not.toContain('court\n');
		expect(await isSignedIn(browser)).toBe(true);
		expect(await signIn(app, 'amina', NEW_PASSWORD)).not.toBeNull();
	});
});
