// Preloaded with `node --require` after register.cjs: `require('classic-level')` fails as a native
// module built for another platform or Electron version does (ERR_DLOPEN_FAILED), so a test sees
// what the app does when the laptop's server cannot load.
'use strict';
const Module = require('node:module');

const load = Module._load;
Module._load = function (request, ...rest) {
  if (request === 'classic-level') {
    const error = new Error(`${request}: invalid ELF header (a native module built for another platform)`);
    error.code = 'ERR_DLOPEN_FAILED';
    throw error;
  }
  return load.call(this, request, ...rest);
};
