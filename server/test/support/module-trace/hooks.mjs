// Module hooks (node:module register): every file module that is loaded is reported on stderr,
// so a test can see what a command imports.
export async function load(url, context, nextLoad) {
  if (url.startsWith('file:')) process.stderr.write(`weir-module-trace ${url}\n`);
  return nextLoad(url, context);
}
