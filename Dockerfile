# AuthService — OAuth 2.1 authorization server (ASP.NET Core, .NET 10)
#
# Build and run:
#   docker build -t authservice .
#   docker run -p 8080:8080 -e Auth__Issuer=http://localhost:8080 authservice
#
# The issuer (Auth__Issuer) must be the public base URL that clients see. When the
# container runs behind a reverse proxy / load balancer / TLS terminator, set it to the
# external URL (e.g. -e Auth__Issuer=https://auth.example.com), not the container's own
# http://+:8080 address, or tokens and discovery metadata will carry the wrong issuer.
#
# Data (embedded SQLite database, signing keys) lives in /app/data; mount a volume there
# to keep it across container restarts:  -v authservice-data:/app/data
# To use PostgreSQL instead, pass -e ConnectionStrings__AuthDb="Host=...;Database=...;...".

# ---------- build stage ----------
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src

# Restore first, from the project files only, so the restore layer is cached until a
# project file or the central package versions change. (Docker's COPY flattens globs,
# so each project file is listed with its own folder; add new src/ projects here.)
COPY *.sln Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/Domain/AuthService.Domain.csproj                 src/Domain/
COPY src/Application/AuthService.Application.csproj       src/Application/
COPY src/Infrastructure/AuthService.Infrastructure.csproj src/Infrastructure/
COPY src/WebApi/AuthService.WebApi.csproj                 src/WebApi/
# linux-x64: the restore fetches the ReadyToRun compiler (Crossgen2) for the publish below.
RUN dotnet restore src/WebApi/AuthService.WebApi.csproj -r linux-x64

# ReadyToRun (docs/adr/0044, docs/benchmarks.md "Cold start"): the assemblies carry precompiled x64 code, so a new
# container starts sooner and spends less of its warm-up in the JIT; the runtime still re-compiles the hot methods
# with dynamic PGO, so the steady rate is kept. Framework-dependent, as before. On another architecture the
# precompiled code is ignored and the server runs JIT-only.
COPY src/ src/
RUN dotnet publish src/WebApi/AuthService.WebApi.csproj -c Release -o /app --no-restore \
    -r linux-x64 --self-contained false /p:PublishReadyToRun=true /p:UseAppHost=false

# ---------- runtime stage ----------
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app

# Writable data folder for the non-root "app" user (uid 1654, provided by the image).
RUN mkdir -p /app/data && chown -R app:app /app/data

COPY --from=build /app ./

ENV ASPNETCORE_URLS=http://+:8080 \
    Auth__DataDirectory=/app/data

USER $APP_UID
EXPOSE 8080

# The image has no curl: the server itself probes http://127.0.0.1:8080/healthz and exits 0/1.
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=3 \
    CMD ["dotnet", "AuthService.WebApi.dll", "healthcheck"]

ENTRYPOINT ["dotnet", "AuthService.WebApi.dll"]
