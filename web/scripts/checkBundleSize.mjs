// Fails the build when the main chunk (the entry script of index.html) exceeds the budget, gzipped.
// Lazy chunks (the dashboard's charts) are reported but load only when needed.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const BUDGET_BYTES = Number(process.env.VOYCE_WEB_MAIN_CHUNK_BUDGET ?? 250 * 1024);
const dist = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
const entry = /<script type="module"[^>]*src="\/([^"]+\.js)"/.exec(html)?.[1];
if (!entry) {
  console.error('bundle budget: no entry script found in dist/index.html');
  process.exit(1);
}
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const gz = (file) => gzipSync(fs.readFileSync(path.join(dist, file)), { level: 9 }).length;
for (const file of fs.readdirSync(path.join(dist, 'assets')).sort()) {
  if (!/\.(js|css)$/.test(file)) continue;
  console.log(`  ${`assets/${file}`.padEnd(44)} ${kb(gz(`assets/${file}`)).padStart(10)} gzip${`assets/${file}` === entry ? '  (main chunk)' : ''}`);
}
const size = gz(entry);
if (size > BUDGET_BYTES) {
  console.error(`bundle budget: main chunk ${entry} is ${kb(size)} gzip, over the ${kb(BUDGET_BYTES)} budget`);
  process.exit(1);
}
console.log(`bundle budget: main chunk ${kb(size)} gzip of ${kb(BUDGET_BYTES)} allowed`);
