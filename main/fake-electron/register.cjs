// Preloaded with `node --require`: makes `require('electron')` load the stand-in beside this file.
'use strict';
const Module = require('node:module');
const path = require('node:path');

const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === 'electron') return path.join(__dirname, 'electron.cjs');
  return resolve.call(this, request, ...rest);
};
