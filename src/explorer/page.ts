// One self-contained HTML page: the bundled script and style sheet inline, and what to show as JSON,
// so `interleave trace --html` writes a file that opens from disk with no server and no network.
import type { ExplorerBoot } from './document.ts';
import type { UiBundle } from './bundle.ts';

/** JSON that cannot close the script element it sits in. */
const inScript = (json: string) => json.replace(/</g, '\\u003c');

export function explorerPage(boot: ExplorerBoot, ui: UiBundle): string {
  const title = boot.mode === 'trace' ? boot.doc.title : boot.title;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'">
<title>${escapeHtml(title)} · Interleave</title>
<style>${ui.css.replace(/<\/style/gi, '<\\/style')}</style>
</head>
<body>
<div id="app"></div>
<script type="application/json" id="interleave-data">${inScript(JSON.stringify(boot))}</script>
<script>${ui.js.replace(/<\/script/gi, '<\\/script')}</script>
</body>
</html>
`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}
