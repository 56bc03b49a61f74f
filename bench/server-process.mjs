// Our collab server in a process of its own, on the data folder and port it is given, so that it
// can be restarted on them and its CPU and memory read from /proc (scenarios reconnect-storm,
// merge-1k and merge-10k; started by lib/server-process.mjs). The server comes from the bundle in
// bench/.build/, with the per-address limit lifted (every bench client comes from 127.0.0.1).
// Prints `ready URL` on stdout once it listens; stops on SIGTERM as `npm run server` does (storing
// first). Exits when its parent does (its stdin closes).
const [dataDir, port] = process.argv.slice(2);
const { startServer } = await import('./.build/server.mjs');
const server = await startServer({
  host: '127.0.0.1',
  port: Number(port),
  dataDir,
  limits: { connectionsPerAddress: 100_000 },
});
process.stdout.write(`ready ${server.url}\n`);
process.once('SIGTERM', () => {
  void server.close().then(() => process.exit(0));
});
// The bench gone (its pipe closed): go too, rather than hold the port.
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
