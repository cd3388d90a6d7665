// Lets `node -r ./test/emulators/swc-register.js x.ts` run the emulators straight from source with the
// @swc/core already in devDependencies (the repo has no ts-node/@swc-node; Node 20 cannot strip types).
// Only files under test/emulators are compiled; they import nothing from apps/ or libs/.
const fs = require('node:fs');
const path = require('node:path');
const { transformSync } = require('@swc/core');

const root = __dirname + path.sep;
const options = {
  swcrc: false,
  sourceMaps: 'inline',
  module: { type: 'commonjs' },
  jsc: { target: 'es2022', parser: { syntax: 'typescript' }, keepClassNames: true },
};

require.extensions['.ts'] = (module, filename) => {
  if (!filename.startsWith(root)) throw new Error(`swc-register only compiles test/emulators, not ${filename}`);
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), { ...options, filename });
  module._compile(code, filename);
};
