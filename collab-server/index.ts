/**
 * The collab server's entry point for code that embeds it (the desktop app's "host on this
 * laptop"): start a server, and the types and logger it takes.
 */
export { startServer, type RunningServer, type ServerOptions } from './server';
export { jsonLogger, silentLogger, type Logger } from './log';
