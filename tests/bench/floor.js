// The sign-in floor: the least a page can do for the app's sign-in, in plain script and no wasm.
// `cargo xtask bench` deploys it as a site of its own (xtask/src/bench/floor.rs) and signs in with it
// as it does with the app, so the app's time can be read against what the network and the servers
// cost on this machine at this moment.
//
// On the start page: read config.json, enable the first paint's "Sign in with Webex" button, and on
// a click go to the authorize URL with state and a PKCE challenge, as the app does. On the callback
// page: the code exchange through the token proxy with the app's headers and body, the call the
// app's first data comes from, that figure on screen, each step marked with the app's mark names.
// A failure is written on the <html> element (data-floor-error) for the bench to report.

const PENDING = 'wxcc-floor-pending';

function base64url(bytes) {
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

function randomText() {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

function fail(message) {
  document.documentElement.dataset.floorError = message;
  const status = document.querySelector('[role=status]') || document.body;
  status.textContent = message;
}

async function start() {
  const config = await (await fetch('config.json')).json();
  const button = document.querySelector('#first-paint button.primary');
  button.removeAttribute('aria-describedby');
  button.disabled = false;
  button.addEventListener('click', async () => {
    const state = randomText();
    const verifier = randomText();
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
    sessionStorage.setItem(PENDING, JSON.stringify({ state, verifier, config }));
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: config.client_id,
      redirect_uri: config.redirect_uri,
      scope: config.scopes.join(' '),
      state,
      code_challenge: base64url(new Uint8Array(digest)),
      code_challenge_method: 'S256',
    });
    location.assign(`${config.authorize_url}?${query}`);
  });
}

async function callback() {
  const query = new URLSearchParams(location.search);
  const pending = JSON.parse(sessionStorage.getItem(PENDING) || 'null');
  sessionStorage.removeItem(PENDING);
  history.replaceState(null, '', location.pathname);
  if (!pending || !query.get('code') || query.get('state') !== pending.state) {
    return fail(`the callback's code or state is not this tab's sign-in: ${query}`);
  }
  const { config } = pending;

  performance.mark('wxcc:exchange-start');
  const exchange = await fetch(`${config.token_proxy_url.replace(/\/$/, '')}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-wxcc-request': '1' },
    body: JSON.stringify({ code: query.get('code'), code_verifier: pending.verifier }),
    credentials: config.proxy_mode === 'cookie' ? 'include' : 'same-origin',
  });
  if (!exchange.ok) return fail(`POST /token answered ${exchange.status}`);
  const token = await exchange.json();
  performance.mark('wxcc:exchange-end');

  // The orgId is the access token's last `_` part, as the app reads it.
  const org = token.access_token.split('_').pop();
  performance.mark('wxcc:first-api-start');
  const call = await fetch(`${config.api_base_url.replace(/\/$/, '')}/organization/${org}/v2/user?page=0&pageSize=1`, {
    headers: { authorization: `Bearer ${token.access_token}`, accept: 'application/json' },
  });
  if (!call.ok) return fail(`the first API call answered ${call.status}`);
  const page = await call.json();
  performance.mark('wxcc:first-api-end');

  const count = document.createElement('p');
  count.className = 'count';
  count.textContent = String(page.meta?.totalRecords ?? page.data.length);
  document.querySelector('[role=status]').replaceWith(count);
  performance.mark('wxcc:first-data-rendered');
}

const onCallback = location.pathname.replace(/\/$/, '').endsWith('/callback');
(onCallback ? callback() : start()).catch((error) => fail(String(error)));
