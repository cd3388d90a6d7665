// Compiles a node_modules file with swc only when it is an ES module; CommonJS files pass through
// untouched (swc would otherwise wrap them and change `this` and strict-mode semantics).
const { createTransformer } = require('@swc/jest');

const ESM_SYNTAX = /^\s*(import\s*[\w*{'"]|export\s+(\*|\{|default|const|let|var|function|class|async))/m;

module.exports = {
  createTransformer(options) {
    const swc = createTransformer(options);
    return {
      canInstrument: false,
      getCacheKey(source, path, transformOptions) {
        return swc.getCacheKey(source, path, transformOptions) + (ESM_SYNTAX.test(source) ? ':esm' : ':cjs');
      },
      process(source, path, transformOptions) {
        if (!ESM_SYNTAX.test(source) && !path.endsWith('.mjs')) return { code: source };
        return swc.process(source, path, transformOptions);
      },
    };
  },
};
