/**
 * Facilitator accounts through the built app (SvelteKit handler in the real server, real SQLite),
 * driven by raw HTTP clients that behave as browsers: cookies, same-origin form posts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, spawnServer, tempDataDir, type ChildServer } from '../fixtures/server';
import { Browser } from '../fixtures/http';

const INVALID = 'Identifiant ou mot de passe incorrect.';
const TOO_MANY = /Trop de tentatives\. Réessayez dans \d+ min\./;
const PASSWORD = 'forum-de-kayes-2026';

const servers: ChildServer[] = [];
async function startApp(env: Record<string, string> = {}): Promise<ChildServer> {
	const server = await spawnServer({
		PORT: String(await freePort()),
		DATA_DIR: tempDataDir(),
		...env
	});
	servers.push(server);
	return server;
}
afterAll(async () => {
	for (const server of servers) {
		server.process.kill('SIGTERM');
		await server.exited;
	}
});

async function signUp(app: ChildServer, login: string, password = PASSWORD): Promise<Browser> {
	const browser = new Browser(app.url);
	const response = await browser.post('/signup', {
		login,
		password,
		displayName: `Animatrice ${login}`
	});
	expect(response.status, await response.clone().text()).toBe(303);
	expect(response.headers.get('location')).toBe('/');
	return browser;
}

async function signIn(
	app: ChildServer,
	login: string,
	password = PASSWORD
): Promise<{ browser: Browser; response: Response }> {
	const browser = new Browser(app.url);
	return { browser, response: await browser.post('/signin', { login, password }) };
}

/** Whether this browser's session lets it onto the facilitator's home page. */
async function isSignedIn(browser: Browser): Promise<boolean> {
	const response = await browser.get('/');
	if (response.status === 303 && response.headers.get('location') === '/signin') return false;
	expect(response.status).toBe(200);
	return true;
}

describe('facilitator accounts', () => {
	let app: ChildServer;
	beforeAll(async () => {
		app = await startApp();
	});

	it('signs a facilitator up and in, with an HttpOnly, SameSite=Lax, non-Secure cookie over http', async () => {
		const browser = new Browser(app.url);
		const response = await browser.post('/signup', {
			login: 'Amina.Traore',
			password: PASSWORD,
			displayName: 'Amina Traoré'
		});
		expect(response.status).toBe(303);
		const setCookie = response.headers
			.getSetCookie()
			.find((header) => header.startsWith('session='));
		expect(setCookie).toBeDefined();
		const attributes = setCookie!.split(';').map((part) => part.trim().toLowerCase());
		expect(attributes).toContain('httponly');
		expect(attributes).toContain('samesite=lax');
		expect(attributes).toContain('path=/');
		expect(attributes.some((part) => part.startsWith('expires='))).toBe(true);
		expect(attributes).not.toContain('secure');

		const home = await browser.get('/');
		expect(home.status).toBe(200);
		// Logins are case-insensitive: stored as typed in lower case.
		expect(await home.text()).toContain('amina.traore');
		expect((await signIn(app, '  AMINA.traore ')).response.status).toBe(303);
	});

	it('sends an anonymous visitor to the sign-in page and lets them create no workshop', async () => {
		const anonymous = new Browser(app.url);
		expect(await isSignedIn(anonymous)).toBe(false);
		const created = await anonymous.post('/?/create', { title: 'Atelier sans compte' });
		expect(created.status).toBe(303);
		expect(created.headers.get('location')).toBe('/signin');
		const signin = await anonymous.get('/signin');
		expect(signin.status).toBe(200);
		expect(await signin.text()).toContain('Connexion');
	});

	it('answers a wrong password and an unknown login with the same page', async () => {
		await signUp(app, 'moussa');
		const wrongPassword = await signIn(app, 'moussa', 'pas-le-bon-mot');
		const unknownLogin = await signIn(app, 'moussx', 'pas-le-bon-mot');
		for (const { browser, response } of [wrongPassword, unknownLogin]) {
			expect(response.status).toBe(400);
			expect(browser.jar.get('session')).toBeUndefined();
		}
		const pages = [await wrongPassword.response.text(), await unknownLogin.response.text()];
		expect(pages[0]).toContain(INVALID);
		// Without JavaScript the form comes back with the login kept.
		expect(pages[0]).toMatch(/<input[^>]*name="login"[^>]*value="moussa"/);
		expect(pages[0].replaceAll('moussa', 'LOGIN')).toBe(pages[1].replaceAll('moussx', 'LOGIN'));
		expect((await signIn(app, 'moussa')).response.status).toBe(303);
	});

	it('signs out on the server: the old cookie no longer opens anything', async () => {
		const browser = await signUp(app, 'fatou');
		const stolen = browser.jar.clone();
		const response = await browser.post('/signout');
		expect(response.status).toBe(303);
		expect(response.headers.get('location')).toBe('/signin');
		expect(browser.jar.get('session')).toBeUndefined();

		const replay = new Browser(app.url, stolen);
		expect(await isSignedIn(replay)).toBe(false);
		// The refused cookie is deleted from the browser too.
		expect(replay.jar.get('session')).toBeUndefined();
	});

	it('signs out of every device at once', async () => {
		const laptop = await signUp(app, 'awa');
		const { browser: phone } = await signIn(app, 'awa');
		expect(await isSignedIn(phone)).toBe(true);

		const response = await laptop.post('/account?/everywhere');
		expect(response.status).toBe(303);
		expect(response.headers.get('location')).toBe('/signin');
		expect(await isSignedIn(phone)).toBe(false);
		expect(await isSignedIn(laptop)).toBe(false);
		expect((await signIn(app, 'awa')).response.status).toBe(303);
	});

	it('changes the password: this device stays in, the others are signed out, only the new one works', async () => {
		const laptop = await signUp(app, 'ibrahim');
		const { browser: phone } = await signIn(app, 'ibrahim');

		const refused = await laptop.post('/account?/password', {
			current: 'pas-le-bon-mot',
			next: 'nouveau-mot-2026'
		});
		expect(refused.status).toBe(400);
		expect(await refused.text()).toContain('Le mot de passe actuel est incorrect.');
		expect(await isSignedIn(phone)).toBe(true);

		const tooShort = await laptop.post('/account?/password', { current: PASSWORD, next: 'court' });
		expect(tooShort.status).toBe(400);
		expect(await tooShort.text()).toContain('au moins 8 caractères');

		const changed = await laptop.post('/account?/password', {
			current: PASSWORD,
			next: 'nouveau-mot-2026'
		});
		expect(changed.status).toBe(200);
		expect(await changed.text()).toContain('Mot de passe changé.');
		expect(await isSignedIn(laptop)).toBe(true);
		expect(await isSignedIn(phone)).toBe(false);
		expect((await signIn(app, 'ibrahim', PASSWORD)).response.status).toBe(400);
		expect((await signIn(app, 'ibrahim', 'nouveau-mot-2026')).response.status).toBe(303);
	});

	it('refuses a taken login and a short password at sign-up', async () => {
		await signUp(app, 'kadi');
		const taken = await new Browser(app.url).post('/signup', {
			login: 'KADI',
			password: PASSWORD,
			displayName: 'Amina Traoré'
		});
		expect(taken.status).toBe(400);
		expect(await taken.text()).toContain('Cet identifiant est déjà pris.');
		const short = await new Browser(app.url).post('/signup', {
			login: 'oumar',
			password: '1234567',
			displayName: 'Amina Traoré'
		});
		expect(short.status).toBe(400);
		expect((await signIn(app, 'oumar', '1234567')).response.status).toBe(400);
	});

	it('asks for a display name at sign-up and shows it, not the login, as the workshop’s facilitator', async () => {
		const nameless = await new Browser(app.url).post('/signup', {
			login: 'sans.nom',
			password: PASSWORD,
			displayName: '  '
		});
		expect(nameless.status).toBe(400);
		expect(await nameless.text()).toContain('Indiquez votre nom');
		const aminata = new Browser(app.url);
		expect(
			(
				await aminata.post('/signup', {
					login: 'aminata.coulibaly',
					password: PASSWORD,
					displayName: 'Aminata Coulibaly'
				})
			).status
		).toBe(303);
		const created = await aminata.post('/?/create', { title: 'Forum de Nioro' });
		const board = await aminata.get(
			created.headers.get('location')!.replace(/^\/w\//, '/w/') + '/settings'
		);
		const html = await board.text();
		// The settings page lists the workshop's facilitators by the name the room sees.
		expect(html).toMatch(/<li>Aminata Coulibaly<\/li>/);
		expect(html).not.toMatch(/<li>aminata\.coulibaly<\/li>/);
	});

	it("lists only the facilitator's own workshops", async () => {
		const amina = await signUp(app, 'aminata');
		const moussa = await signUp(app, 'moussa.k');
		const created = await amina.post('/?/create', { title: 'Forum de Kayes' });
		expect(created.status).toBe(303);
		expect(created.headers.get('location')).toMatch(/^\/w\/[0-9a-f-]{36}$/);
		expect(await (await amina.get('/')).text()).toContain('Forum de Kayes');
		expect(await (await moussa.get('/')).text()).not.toContain('Forum de Kayes');
	});

	it('refuses a cross-site form post even with a valid session cookie', async () => {
		const browser = await signUp(app, 'salif');
		const response = await browser.post('/account?/everywhere', {}, 'https://evil.example');
		expect(response.status).toBe(403);
		expect(await isSignedIn(browser)).toBe(true);
	});

	it('slows one account down after 5 wrong passwords, even for the right one, but not other accounts', async () => {
		await signUp(app, 'mariam');
		for (let i = 0; i < 5; i++)
			expect((await signIn(app, 'mariam', `faux-mot-${i}-xx`)).response.status).toBe(400);
		const blocked = await signIn(app, 'mariam');
		expect(blocked.response.status).toBe(429);
		expect(await blocked.response.text()).toMatch(TOO_MANY);
		expect(blocked.browser.jar.get('session')).toBeUndefined();
		// An unknown login is slowed down the same way: the limit reveals nothing either.
		for (let i = 0; i < 5; i++) await signIn(app, 'personne', `faux-mot-${i}-xx`);
		expect((await signIn(app, 'personne')).response.status).toBe(429);
		expect((await signIn(app, 'kadi')).response.status).toBe(303);
	});
});

describe('sign-in from one address', () => {
	it('is refused for every account after 20 failures from that address', async () => {
		const app = await startApp();
		await signUp(app, 'amina');
		for (let i = 0; i < 20; i++) {
			expect((await signIn(app, `inconnu-${i}`, 'faux-mot-de-passe')).response.status).toBe(400);
		}
		const blocked = await signIn(app, 'amina');
		expect(blocked.response.status).toBe(429);
		expect(await blocked.response.text()).toMatch(TOO_MANY);
	});
});

describe('with SIGNUP=closed', () => {
	it('refuses to create accounts and offers no sign-up link', async () => {
		const app = await startApp({ SIGNUP: 'closed' });
		const page = await new Browser(app.url).get('/signup');
		expect(page.status).toBe(403);
		expect(await page.text()).toContain('La création de comptes est fermée sur ce serveur.');
		const post = await new Browser(app.url).post('/signup', {
			login: 'amina',
			password: PASSWORD,
			displayName: 'Amina Traoré'
		});
		expect(post.status).toBe(403);
		expect((await signIn(app, 'amina')).response.status).toBe(400);
		expect(await (await new Browser(app.url).get('/signin')).text()).not.toContain(
			'href="/signup"'
		);
	});
});

describe('served over https (ORIGIN=https://…)', () => {
	it('names the cookie __Host-session and marks it Secure', async () => {
		const port = await freePort();
		const origin = `https://127.0.0.1:${port}`;
		const app = await spawnServer({ PORT: String(port), DATA_DIR: tempDataDir(), ORIGIN: origin });
		servers.push(app);
		const browser = new Browser(app.url);
		const response = await browser.post(
			'/signup',
			{ login: 'amina', password: PASSWORD, displayName: 'Amina Traoré' },
			origin
		);
		expect(response.status).toBe(303);
		const setCookie = response.headers
			.getSetCookie()
			.find((header) => header.startsWith('__Host-session='));
		expect(setCookie).toBeDefined();
		const attributes = setCookie!.split(';').map((part) => part.trim().toLowerCase());
		expect(attributes).toEqual(
			expect.arrayContaining(['secure', 'httponly', 'samesite=lax', 'path=/'])
		);
		expect(attributes.some((part) => part.startsWith('domain='))).toBe(false);
		expect(response.headers.getSetCookie().some((header) => header.startsWith('session='))).toBe(
			false
		);
		expect(await isSignedIn(browser)).toBe(true);
	});
});
