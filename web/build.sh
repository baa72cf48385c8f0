#!/usr/bin/env bash
# Rebuilds convograph/static/ from the npm registry: installs exactly the packages
# package-lock.json pins, regenerates the operation types from ../schema.graphql, checks
# the page with tsc, then builds (node build.mjs; pass --out DIR to build elsewhere).
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --loglevel=error
npx graphql-codegen --config codegen.yml --silent
npx tsc --noEmit
node build.mjs "$@"
