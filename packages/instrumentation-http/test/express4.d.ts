// `express4` is Express 4 installed under another name (`npm:express@4`); its API, as used by
// the tests, matches Express 5's types.
declare module 'express4' {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the only way to re-export an `export =` module
  import express = require('express');
  export = express;
}
