// Handle mode end to end (issue 24): the sealed refresh handle is bound to a browser key. Run by
// `cargo xtask test` against a stack of its own: the token proxy with WXCC_PROXY_MODE=handle and
// the app's config.json with "proxy_mode": "handle".
import type { Page } from '@playwright/test';
import { test, expect, signIn } from './fixtures';

const signedOut = (page: Page) => page.locator('#app').getByRole('button', { name: 'Sign in with Webex' });

/** A compact JWS's header and payload. */
function decode(proof: string): { header: Record<string, any>; payload: Record<string, any> } {
  const [header, payload] = proof.split('.').slice(0, 2).map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()));
  return { header, payload };
}

test('@handle handle mode: the key-bound handle refreshes with a proof, sign-out revokes it, and its copy is refused', async ({
  page,
  request,
}) => {
  // Sign-in: the SPA makes its key and sends the key's thumbprint with the code.
  const exchanging = page.waitForRequest((r) => r.url().endsWith('/proxy/token'));
  await signIn(page);
  const exchange = await exchanging;
  const thumbprint: string = exchange.postDataJSON().key_thumbprint;
  expect(thumbprint).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect((await (await exchange.response())!.json()).refresh_handle).toBeTruthy();
  const record = JSON.parse((await page.evaluate(() => sessionStorage.getItem('wxcc.session')))!);
  expect(record.key_thumbprint).toBe(thumbprint);
  expect(record.refresh_handle).toBeTruthy();

  // A refresh carries the handle and a DPoP proof signed by that key, and succeeds.
  await page.getByRole('link', { name: 'Token', exact: true }).click();
  const refreshing = page.waitForResponse((r) => r.url().endsWith('/proxy/refresh'));
  await page.getByRole('button', { name: 'Refresh now' }).click();
  const refreshed = await refreshing;
  expect(refreshed.status(), await refreshed.text()).toBe(200);
  const refreshHeaders = await refreshed.request().allHeaders();
  const refreshProof = refreshHeaders['dpop'];
  expect(refreshProof).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  const { header, payload } = decode(refreshProof);
  expect(header).toMatchObject({ typ: 'dpop+jwt', alg: 'ES256', jwk: { kty: 'EC', crv: 'P-256' } });
  expect(payload.htm).toBe('POST');
  expect(payload.htu).toMatch(/\/proxy\/refresh$/);
  expect(refreshed.request().postDataJSON().refresh_handle).toBe(record.refresh_handle);
  expect((await refreshed.json()).refresh_handle).toBeTruthy();

  // The key is non-extractable; keep a reference to it (IndexedDB forgets it at sign-out) so that
  // a fresh, valid proof can be made afterwards: only the revocation can then refuse the handle.
  await page.evaluate(async (thumbprint) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('wxcc.keys');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const kept = await new Promise<any>((resolve, reject) => {
      const get = db.transaction('keys').objectStore('keys').get(thumbprint);
      get.onsuccess = () => resolve(get.result);
      get.onerror = () => reject(get.error);
    });
    db.close();
    if (!(kept?.private instanceof CryptoKey)) throw new Error('no key kept for the thumbprint');
    (window as any).keptKey = kept.private;
  }, thumbprint);

  // Sign-out sends the handle and a proof for /logout; the proxy answers 204.
  const loggingOut = page.waitForResponse((r) => r.url().endsWith('/proxy/logout'));
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  const loggedOut = await loggingOut;
  expect(loggedOut.status()).toBe(204);
  const logout = loggedOut.request();
  const logoutHeaders = await logout.allHeaders();
  const handle: string = logout.postDataJSON().refresh_handle;
  expect(handle).toBeTruthy();
  expect(decode(logoutHeaders['dpop']).payload.htu).toMatch(/\/proxy\/logout$/);
  await expect(signedOut(page)).toBeVisible();

  // The copied handle, replayed with the refresh's own headers, mints nothing.
  const same: Record<string, string> = {};
  for (const name of ['content-type', 'x-wxcc-request', 'origin']) if (refreshHeaders[name]) same[name] = refreshHeaders[name];
  const replay = async (proof?: string) => {
    const answer = await request.post(refreshed.url(), {
      headers: proof ? { ...same, DPoP: proof } : same,
      data: JSON.stringify({ refresh_handle: handle }),
    });
    const body = await answer.json();
    expect(body.access_token, 'no token was minted').toBeUndefined();
    return { status: answer.status(), error: body.error };
  };
  expect(await replay(), 'without a proof').toEqual({ status: 401, error: 'dpop_proof_missing' });
  expect(await replay(refreshProof), 'with the refresh’s (used) proof').toEqual({ status: 400, error: 'dpop_proof_invalid' });
  expect(await replay(logoutHeaders['dpop']), 'with the sign-out’s proof').toEqual({ status: 400, error: 'dpop_proof_invalid' });
  // A fresh proof from the very key: valid, so what refuses it is the sign-out's revocation.
  const fresh = await page.evaluate(
    async ({ header, htu }) => {
      const b64 = (bytes: ArrayBuffer | Uint8Array) =>
        btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
      const claims = { jti: b64(crypto.getRandomValues(new Uint8Array(16))), htm: 'POST', htu, iat: Math.floor(Date.now() / 1000) };
      const input = `${header}.${b64(new TextEncoder().encode(JSON.stringify(claims)))}`;
      const key = (window as any).keptKey as CryptoKey;
      const signature = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, key, new TextEncoder().encode(input));
      return `${input}.${b64(signature)}`;
    },
    { header: refreshProof.split('.')[0], htu: payload.htu },
  );
  expect(await replay(fresh), 'with a fresh proof of the key').toEqual({ status: 401, error: 'session_expired' });
});
