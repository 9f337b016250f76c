'use strict';
// Jest transform of the `*.legacy-decorators.test.ts` files: TypeScript's own transpiler with the
// compiler options of tsconfig.legacy-decorators.json (`experimentalDecorators`). ts-jest cannot
// serve two tsconfigs in one run: it shares one configuration per jest project, whichever file it
// transforms first, so half the runs would compile these tests with standard decorators.
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');

const TSCONFIG = path.join(__dirname, '..', 'tsconfig.legacy-decorators.json');

function compilerOptions() {
  const { config, error } = ts.readConfigFile(TSCONFIG, ts.sys.readFile);
  if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, path.dirname(TSCONFIG));
  if (!parsed.options.experimentalDecorators) throw new Error(`${TSCONFIG} must set experimentalDecorators`);
  // CommonJS for jest, with inline source maps so that stack traces point at the .ts lines.
  return { ...parsed.options, module: ts.ModuleKind.CommonJS, noEmit: false, inlineSourceMap: true, sourceMap: false };
}

const options = compilerOptions();

module.exports = {
  process(sourceText, sourcePath) {
    const { outputText } = ts.transpileModule(sourceText, { compilerOptions: options, fileName: sourcePath });
    return { code: outputText };
  },
  getCacheKey(sourceText, sourcePath) {
    return crypto
      .createHash('sha256')
      .update(sourceText)
      .update(sourcePath)
      .update(fs.readFileSync(TSCONFIG))
      .update(fs.readFileSync(__filename))
      .update(ts.version)
      .digest('hex');
  },
};
