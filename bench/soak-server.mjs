// The server process of the kill -9 soak (bench/soak-kill9.mjs): our collab server from the
// bundle in bench/.soak-build/, on the data folder and port it is given, with the per-address
// limit lifted (every soak client comes from 127.0.0.1). Prints one line `ready URL` on stdout
// once it listens. The soak ends it with SIGKILL, never gently: that is the point.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const [dataDir, port] = process.argv.slice(2);
const { startServer } = await import('./.soak-build/server.mjs');
const server = await startServer({
  host: '127.0.0.1',
  port: Number(port),
  dataDir,
  limits: { connectionsPerAddress: 100_000 },
});
// The key is read from the folder by the soak's clients; check it is where they look.
readFileSync(join(dataDir, 'signing-key'));
process.stdout.write(`ready ${server.url}\n`);
