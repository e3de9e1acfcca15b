/**
 * One esbuild build in a child process, for callers that must stay synchronous (a construct
 * bundles in its constructor): esbuild runs plugins only in its asynchronous API. Reads the
 * build options as JSON on stdin, writes { outputFiles, metafile } or { errors } as JSON on
 * stdout. Plain JavaScript, so it needs no TypeScript loader.
 */
const { build } = require('esbuild');
const { handlerBuildPlugins } = require('./lambda-sdk/plugins.cjs');

async function main() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const options = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  let reply;
  try {
    const result = await build({ ...options, plugins: handlerBuildPlugins() });
    reply = {
      outputFiles: result.outputFiles.map((f) => ({ path: f.path, contents: Buffer.from(f.contents).toString('base64') })),
      // Only what the caller reads (each output's input files): the full metafile of six SDK
      // bundles is megabytes of JSON to serialize and parse.
      metafile: {
        outputs: Object.fromEntries(
          Object.entries(result.metafile.outputs).map(([out, o]) => [
            out,
            { inputs: Object.fromEntries(Object.keys(o.inputs).map((i) => [i, {}])) },
          ]),
        ),
      },
    };
  } catch (e) {
    reply = { errors: e?.errors || [{ text: String(e), location: null }] };
  }
  process.stdout.write(JSON.stringify(reply));
}

main();
