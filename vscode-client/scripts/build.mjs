// Build: copies the policy JSON Schema from the project (never kept in this folder's
// sources) and bundles the extension with esbuild into dist/extension.js.
//   node scripts/build.mjs               development build, with a source map
//   node scripts/build.mjs --production  minified, no source map (what the .vsix ships)
//   node scripts/build.mjs --watch       rebuild on change
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const schemaSource = join(root, '..', 'schemas', 'iam-policy.schema.json');
const schemaTarget = join(root, 'schemas', 'iam-policy.schema.json');
await mkdir(dirname(schemaTarget), { recursive: true });
await copyFile(schemaSource, schemaTarget);
console.log(`copied ${schemaSource} -> schemas/`);

await rm(join(root, 'dist'), { recursive: true, force: true });
const options = {
  absWorkingDir: root,
  entryPoints: ['src/extension.ts'],
  outfile: 'dist/extension.js',
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external: ['vscode'],
  sourcemap: !production,
  minify: production,
  logLevel: 'info',
};
if (watch) {
  const context = await esbuild.context(options);
  await context.watch();
} else {
  await esbuild.build(options);
}
