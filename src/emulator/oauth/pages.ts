import type { CompanyFile } from '../contract.js';
import { OAUTH_PATHS } from './discovery.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => ESCAPES[ch] ?? ch);
}

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body{font-family:system-ui,sans-serif;background:#f4f5f8;margin:0;padding:2rem;color:#1a1a1a}
main{max-width:32rem;margin:0 auto;background:#fff;border-radius:8px;padding:2rem;box-shadow:0 1px 4px #0002}
h1{font-size:1.25rem;margin-top:0}
fieldset{border:1px solid #ccd;border-radius:6px;padding:1rem;margin:1rem 0}
label{display:block;padding:.4rem 0}
.env{font-size:.8rem;color:#555}
.actions{display:flex;gap:.75rem;justify-content:flex-end}
button{font-size:1rem;padding:.5rem 1.25rem;border-radius:4px;border:1px solid #2ca01c;cursor:pointer}
button[value=approve]{background:#2ca01c;color:#fff}
button[value=deny]{background:#fff;color:#2ca01c}
.note{font-size:.8rem;color:#666}
</style>
</head>
<body><main>${body}</main></body>
</html>`;
}

const ENVIRONMENT_LABEL = { sandbox: 'Sandbox', production: 'Production' } as const;

/** Intuit's consent screen with its company selector; plain HTML so a browser test can drive it. */
export function renderConsentPage(input: { appName: string; pendingId: string; companies: CompanyFile[] }): string {
  const { appName, pendingId, companies } = input;
  const choices = companies
    .map(
      (company, index) => `<label>
<input type="radio" name="realmId" value="${escapeHtml(company.realmId)}"${index === 0 ? ' checked' : ''}>
${escapeHtml(company.name)} <span class="env">(${ENVIRONMENT_LABEL[company.environment]}, company ID ${escapeHtml(company.realmId)})</span>
</label>`,
    )
    .join('\n');
  const picker =
    companies.length === 0
      ? '<p>There is no QuickBooks company this app can connect to.</p>'
      : `<fieldset><legend>Choose a company</legend>\n${choices}\n</fieldset>`;
  return layout(
    `Connect ${appName} to QuickBooks`,
    `<h1>${escapeHtml(appName)} wants to connect to your QuickBooks Online company</h1>
<p>${escapeHtml(appName)} will be able to read and change accounting data in the company you choose.</p>
<form method="post" action="${OAUTH_PATHS.decision}">
<input type="hidden" name="pending" value="${escapeHtml(pendingId)}">
${picker}
<div class="actions">
<button type="submit" name="decision" value="deny">Cancel</button>
${companies.length === 0 ? '' : '<button type="submit" name="decision" value="approve">Connect</button>'}
</div>
</form>
<p class="note">Local QuickBooks Online emulator: nothing here reaches Intuit.</p>`,
  );
}

export function renderErrorPage(message: string): string {
  return layout(
    'QuickBooks authorization error',
    `<h1>Something went wrong</h1>\n<p role="alert">${escapeHtml(message)}</p>`,
  );
}
