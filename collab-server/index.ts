/**
 * The collab server's entry point for code that embeds it (the desktop app's "host on this
 * laptop"): start a server, the types and logger it takes, and the addresses it is reachable at.
 */
export { startServer, type RunningServer, type ServerOptions } from './server';
export { lanAddresses } from './http/lan';
export { jsonLogger, silentLogger, type Logger } from './log';
export { openLevelStorage, type DocumentStorage } from './storage/level-storage';
