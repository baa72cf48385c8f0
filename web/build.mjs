// Builds everything convograph serves to a browser into convograph/static/ (or the folder
// given with --out): the conversation page (app/) and GraphiQL (graphiql/). The output
// depends only on the sources here and the packages package-lock.json pins, so two builds
// give the same bytes: tests/test_web_assets.py rebuilds into a temporary folder and
// compares. Run ./build.sh to install the pinned packages first.
import { build } from "esbuild";
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const outFlag = process.argv.indexOf("--out");
const out = resolve(outFlag >= 0 ? process.argv[outFlag + 1] : join(here, "..", "convograph", "static"));
const modules = join(here, "node_modules");

function version(name) {
  return JSON.parse(readFileSync(join(modules, name, "package.json"), "utf8")).version;
}

function copy(from, to) {
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(from, to);
}

// A file that may name where it was built stays the same wherever that is.
function writeText(path, text) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text.endsWith("\n") ? text : `${text}\n`);
}

async function buildApp() {
  const app = join(out, "app");
  rmSync(app, { recursive: true, force: true });
  await build({
    entryPoints: { app: join(here, "src", "main.ts"), "app-style": join(here, "src", "styles.css") },
    bundle: true,
    minify: true,
    format: "esm",
    target: ["es2020"],
    outdir: app,
    legalComments: "none",
    logLevel: "warning",
    // Paths in the output are relative to web/: the same on every machine.
    absWorkingDir: here,
  });
  copy(join(app, "app-style.css"), join(app, "app.css"));
  rmSync(join(app, "app-style.css"));
  copy(join(here, "src", "index.html"), join(app, "index.html"));
}

// GraphiQL's own UMD builds, as published: nothing is rebuilt, only copied and renamed.
const GRAPHIQL_FILES = [
  ["react/umd/react.production.min.js", "react.production.min.js"],
  ["react-dom/umd/react-dom.production.min.js", "react-dom.production.min.js"],
  ["graphiql/graphiql.min.js", "graphiql.min.js"],
  ["graphiql/graphiql.min.css", "graphiql.min.css"],
  ["@graphiql/plugin-explorer/dist/index.umd.js", "plugin-explorer.umd.js"],
  ["@graphiql/plugin-explorer/dist/style.css", "plugin-explorer.css"],
];
const GRAPHIQL_PACKAGES = ["react", "react-dom", "graphiql", "@graphiql/plugin-explorer"];

function buildGraphiQL() {
  const target = join(out, "graphiql");
  rmSync(target, { recursive: true, force: true });
  for (const [from, to] of GRAPHIQL_FILES) copy(join(modules, from), join(target, to));
  copy(join(here, "graphiql", "index.html"), join(target, "index.html"));
  copy(join(here, "graphiql", "boot.js"), join(target, "boot.js"));
  const versions = Object.fromEntries(GRAPHIQL_PACKAGES.map((name) => [name, version(name)]));
  writeText(join(target, "versions.json"), JSON.stringify(versions, null, 2));
  // @graphiql/plugin-explorer ships no LICENSE file; its package.json names the licence.
  const licenses = GRAPHIQL_PACKAGES.map((name) => {
    const file = join(modules, name, "LICENSE");
    const text = existsSync(file)
      ? readFileSync(file, "utf8")
      : `${JSON.parse(readFileSync(join(modules, name, "package.json"), "utf8")).license} licence`;
    return `${name} ${versions[name]}\n\n${text}`;
  });
  writeText(join(target, "LICENSES.txt"), licenses.join("\n\n"));
}

await buildApp();
buildGraphiQL();
console.log(`built ${out}`);
