#!/usr/bin/env bash
# Runs AuthService locally on the embedded SQLite database with the demo clients of
# src/WebApi/demo-seed.json. Extra arguments go to the server (ASP.NET configuration syntax,
# e.g. --Auth:AccessTokenSigningAlgorithm=RS256).
#   AUTHSERVICE_URLS  where to listen (default http://localhost:5000)
#   AUTHSERVICE_SEED  seed file, relative to src/WebApi (default demo-seed.json)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
exec dotnet run --project src/WebApi -c Release -- \
  --urls "${AUTHSERVICE_URLS:-http://localhost:5000}" \
  --Auth:SeedFile="${AUTHSERVICE_SEED:-demo-seed.json}" \
  --Auth:SwaggerEnabled=true \
  "$@"
