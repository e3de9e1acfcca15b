/**
 * Child process running s3rver (started by local/s3-server.ts with
 * --openssl-legacy-provider: on Node >= 17 s3rver's ListObjectsV2 continuation tokens
 * use a cipher that OpenSSL 3 only offers through the legacy provider).
 *
 * Protocol over the IPC channel: sends { ready: true, port } once listening or
 * { error } on failure; on { stop: true } (or when the parent goes away) closes and exits.
 */
'use strict';
const S3rver = require('s3rver');

const options = JSON.parse(process.argv[2]);
const server = new S3rver({
  address: options.host,
  port: options.port,
  directory: options.directory,
  silent: true,
  // Buckets are addressed path-style (the SDK does so for an IP-address endpoint).
  vhostBuckets: false,
  configureBuckets: options.buckets.map((name) => ({ name })),
});

let stopping = false;
function stop() {
  if (stopping) return;
  stopping = true;
  server.close().then(
    () => process.exit(0),
    () => process.exit(0),
  );
  // Keep-alive sockets may hold close() open; never hang the parent's shutdown.
  setTimeout(() => process.exit(0), 1000).unref();
}

server.run().then(
  (address) => process.send({ ready: true, port: address.port }),
  (error) => {
    process.send({ error: String(error?.message) }, () => process.exit(1));
  },
);
process.on('message', (msg) => msg?.stop && stop());
process.on('disconnect', stop);
process.on('SIGTERM', stop);
process.on('SIGINT', () => undefined); // the parent decides when to stop (Ctrl-C reaches the whole group)
