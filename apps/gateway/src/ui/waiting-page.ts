/** The waiting page's script, served from this origin (the Content-Security-Policy allows no inline script). */
export const WAITING_SCRIPT_PATH = '/apps/__homehelper/waiting.js';

/** The event stream the waiting page follows: `ready` once the app answers, `failed` with the reason. */
export const readyStreamPath = (appId: string) => `/apps/${appId}/__homehelper/ready`;

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);

/**
 * What a browser gets at once when it opens a sleeping UI app: a small self-contained page (no external
 * resources, inline styles only) that follows the app's readiness and reloads the moment it is ready.
 */
export function waitingPage(appId: string): string {
  const id = escapeHtml(appId);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Starting ${id}…</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; color: #1f2933; background: #f5f7fa; display: grid; place-items: center; min-height: 100vh; margin: 0; }
  main { text-align: center; padding: 2rem; }
  .spinner { width: 2.5rem; height: 2.5rem; margin: 0 auto 1rem; border: 0.25rem solid #cbd2d9; border-top-color: #3e4c59; border-radius: 50%; animation: spin 0.9s linear infinite; }
  .failed .spinner { display: none; }
  #reason { color: #ab091e; }
  button { font: inherit; padding: 0.4rem 1rem; margin-top: 0.5rem; cursor: pointer; }
  @keyframes spin { to { transform: rotate(360deg); } }
  @media (prefers-reduced-motion: reduce) { .spinner { animation: none; } }
</style>
</head>
<body>
<main id="waiting">
  <div class="spinner" aria-hidden="true"></div>
  <h1>Starting ${id}</h1>
  <p id="status" role="status" aria-live="polite">The app was asleep; it opens here as soon as it is ready.</p>
  <p id="reason" hidden></p>
  <button id="retry" type="button" hidden>Try again</button>
</main>
<script src="${WAITING_SCRIPT_PATH}" data-app="${id}" data-ready="${escapeHtml(readyStreamPath(appId))}" defer></script>
</body>
</html>
`;
}

/**
 * Follows `/apps/<id>/__homehelper/ready` (cookie-authenticated Server-Sent Events) and reloads the page on
 * `ready`: no polling, no fixed refresh. EventSource reconnects by itself if the connection drops (a gateway
 * restart); a refusal (401: the session cookie is missing or expired) or `failed` shows the reason and a button.
 */
export const WAITING_SCRIPT = `'use strict';
(function () {
  var script = document.currentScript;
  var readyUrl = script.getAttribute('data-ready');
  var main = document.getElementById('waiting');
  var status = document.getElementById('status');
  var reason = document.getElementById('reason');
  var retry = document.getElementById('retry');
  var source = null;

  function fail(text) {
    if (source) source.close();
    main.className = 'failed';
    status.textContent = 'The app could not be opened.';
    reason.textContent = text;
    reason.hidden = false;
    retry.hidden = false;
  }

  function follow() {
    main.className = '';
    reason.hidden = true;
    retry.hidden = true;
    status.textContent = 'The app was asleep; it opens here as soon as it is ready.';
    source = new EventSource(readyUrl);
    source.addEventListener('ready', function () {
      source.close();
      status.textContent = 'Ready, opening…';
      window.location.reload();
    });
    source.addEventListener('failed', function (event) {
      var message = 'It did not start.';
      try { message = JSON.parse(event.data).message || message; } catch (ignored) {}
      fail(message);
    });
    source.onerror = function () {
      // CONNECTING: the browser reconnects by itself. CLOSED: refused (signed out), it will not.
      if (source.readyState === EventSource.CLOSED) fail('Your session has ended: sign in again, then reload this page.');
    };
  }

  retry.addEventListener('click', follow);
  follow();
})();
`;
