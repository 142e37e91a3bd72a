// Builds the extension: bundles the TypeScript entry points with esbuild into dist/ (load it unpacked), writes
// the manifest for the configured server, draws the icons, and zips dist/ for the Chrome Web Store.
//
//   node build.mjs [--server https://voyce.example.com] [--out dir] [--no-zip] [--e2e]
//
// --server (or VOYCE_SERVER) is the server the extension gets host access to at install; other servers are
// asked for at run time (optional host permission). --e2e is for the browser tests only: it adds <all_urls>,
// which stands in for the activeTab grant that a click on the toolbar button gives (a headless browser has no
// toolbar to click). Never ship an --e2e build.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';
import { build } from 'esbuild';
import { zipSync } from 'fflate';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const option = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const pkg = JSON.parse(readFileSync(path.join(here, 'package.json'), 'utf8'));
const server = new URL(option('--server') ?? process.env.VOYCE_SERVER ?? 'http://127.0.0.1:3000').origin;
const out = path.resolve(option('--out') ?? path.join(here, 'dist'));
const e2e = args.includes('--e2e');

rmSync(out, { recursive: true, force: true });
mkdirSync(path.join(out, 'icons'), { recursive: true });

await build({
  entryPoints: { background: 'src/background/index.ts', popup: 'src/popup/index.ts', options: 'src/options/index.ts', offscreen: 'src/offscreen/index.ts', permission: 'src/permission/index.ts' },
  absWorkingDir: here,
  outdir: out,
  bundle: true,
  format: 'esm',
  target: 'chrome116',
  sourcemap: 'linked',
  minify: false, // reviewers of the Web Store read the code; it is small anyway
  define: { __VOYCE_SERVER__: JSON.stringify(server) },
  logLevel: 'warning',
});
cpSync(path.join(here, 'static'), out, { recursive: true });

const manifest = {
  manifest_version: 3,
  name: 'Voyce — voice feedback',
  short_name: 'Voyce',
  version: pkg.version,
  description: 'Record spoken feedback about the page you are on and send it, with the page context, to your Voyce server.',
  minimum_chrome_version: '116',
  icons: { 16: 'icons/icon-16.png', 32: 'icons/icon-32.png', 48: 'icons/icon-48.png', 128: 'icons/icon-128.png' },
  action: { default_popup: 'popup.html', default_title: 'Voyce: record feedback about this page', default_icon: { 16: 'icons/icon-16.png', 32: 'icons/icon-32.png' } },
  options_ui: { page: 'options.html', open_in_tab: true },
  background: { service_worker: 'background.js', type: 'module' },
  // Why each is needed: README.md, "Permissions".
  permissions: ['activeTab', 'scripting', 'offscreen', 'storage', 'contextMenus', 'notifications', 'alarms', 'identity'],
  host_permissions: [`${server}/*`, ...(e2e ? ['<all_urls>'] : [])],
  optional_host_permissions: ['https://*/*', 'http://*/*'],
  commands: { 'toggle-recording': { suggested_key: { default: 'Alt+Shift+V' }, description: 'Start or stop recording feedback about this page' } },
};
writeFileSync(path.join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);

// ---- icons: a white microphone-ish dot on the Voyce blue, drawn without an image library ----------------------
function crc32(buf) {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}
function png(size) {
  const raw = Buffer.alloc((size * 4 + 1) * size);
  const r = size / 2;
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      const dx = x + 0.5 - r, dy = y + 0.5 - r, d = Math.hypot(dx, dy);
      const inside = d <= r - 0.5;
      const mic = Math.abs(dx) < size * 0.12 && dy > -size * 0.28 && dy < size * 0.12; // the capsule
      const stand = (Math.abs(dy - size * 0.2) < size * 0.04 && Math.abs(dx) < size * 0.2) || (Math.abs(dx) < size * 0.035 && dy > size * 0.12 && dy < size * 0.3);
      const o = y * (size * 4 + 1) + 1 + x * 4;
      const [R, G, B] = mic || stand ? [255, 255, 255] : [37, 99, 235];
      raw.set([R, G, B, inside ? 255 : 0], o);
    }
  }
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}
for (const size of [16, 32, 48, 128]) writeFileSync(path.join(out, 'icons', `icon-${size}.png`), png(size));

// ---- the Web Store zip (no source maps: the store does not need them) ---------------------------------------
if (!args.includes('--no-zip')) {
  const files = {};
  const walk = (dir) => {
    for (const name of readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (!name.endsWith('.map')) files[path.relative(out, full).split(path.sep).join('/')] = readFileSync(full);
    }
  };
  walk(out);
  const zip = zipSync(files, { level: 9, mtime: new Date('2026-01-01T00:00:00Z') });
  mkdirSync(path.join(here, 'release'), { recursive: true });
  const zipFile = path.join(here, 'release', `voyce-extension-${pkg.version}.zip`);
  writeFileSync(zipFile, zip);
  console.log(`built ${path.relative(process.cwd(), out) || '.'} for ${server}${e2e ? ' (e2e)' : ''}; ${path.relative(process.cwd(), zipFile)} ${(zip.length / 1024).toFixed(1)} kB`);
} else {
  console.log(`built ${out} for ${server}${e2e ? ' (e2e)' : ''}`);
}
