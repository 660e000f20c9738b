// The hand-written entry point of the TypeScript SDK of the AuthService admin API. The types in ./schema.d.ts are
// generated from ../openapi.json by openapi-typescript (bash scripts/generate-sdks.sh; never edit them by hand); the
// calls are made by openapi-fetch, which checks paths, parameters and bodies against those types at compile time.
import createClient, { type Client } from "openapi-fetch";
import type { components, paths } from "./schema.js";

export type { components, paths };

/** A typed client of the admin API: `client.GET("/admin/clients/{client_id}", { params: { path: { client_id } } })`. */
export type AdminClient = Client<paths>;

/** An RFC 9457 problem, the body of every admin API error. */
export type Problem = components["schemas"]["ProblemDetails"];

/** The scope the admin API requires. */
export const ADMIN_SCOPE = "admin";

export interface AdminClientOptions {
  /** The server's issuer URL, e.g. `https://auth.example.com`. */
  baseUrl: string;
  /** An access token of that server with the `admin` scope (see {@link getAdminAccessToken}). */
  accessToken: string;
  /** Another fetch implementation (tests, proxies); the global one by default. */
  fetch?: typeof globalThis.fetch;
}

/** A client of the admin API at `baseUrl` that sends `accessToken` as a bearer token (RFC 6750 §2.1). */
export function createAdminClient(options: AdminClientOptions): AdminClient {
  return createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ""),
    headers: { Authorization: `Bearer ${options.accessToken}` },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}

/**
 * An access token with the `admin` scope for an admin client, from the client credentials grant (RFC 6749 §4.4) at
 * `/connect/token`, authenticating with HTTP Basic (`client_secret_basic`; §2.3.1: id and secret form-encoded first).
 */
export async function getAdminAccessToken(
  baseUrl: string,
  clientId: string,
  clientSecret: string,
  fetchImpl: typeof globalThis.fetch = globalThis.fetch,
): Promise<string> {
  const basic = Buffer.from(`${formEncode(clientId)}:${formEncode(clientSecret)}`).toString("base64");
  const response = await fetchImpl(`${baseUrl.replace(/\/+$/, "")}/connect/token`, {
    method: "POST",
    headers: { Authorization: `Basic ${basic}`, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "client_credentials", scope: ADMIN_SCOPE }),
  });
  const body = (await response.json()) as { access_token?: string; error?: string; error_description?: string };
  if (!response.ok || typeof body.access_token !== "string") {
    throw new Error(`The token request failed with ${response.status}: ${body.error ?? ""} ${body.error_description ?? ""}`.trim());
  }
  return body.access_token;
}

function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}
