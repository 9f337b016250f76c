// `express4` is Express 4 installed under another name (`npm:express@4`); its API, as used by
// the tests, matches Express 5's types.
declare module 'express4' {
  import express = require('express');
  export = express;
}
