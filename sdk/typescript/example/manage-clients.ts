// The TypeScript SDK in use: obtain an admin token, onboard a client, read it back, find it in the list, delete it, and
// meet the RFC 9457 problem of reading it once more. Prints each step and, last, one JSON summary line.
//
//   npm run build && node dist/example/manage-clients.js https://auth.example.com admin-cli admin-cli-secret-change-me
import { createAdminClient, getAdminAccessToken, type Problem } from "../src/index.js";

const [baseUrl = "http://localhost:5000", clientId = "admin-cli", clientSecret = "admin-cli-secret-change-me"] = process.argv.slice(2);

const accessToken = await getAdminAccessToken(baseUrl, clientId, clientSecret);
const admin = createAdminClient({ baseUrl, accessToken });
const newClientId = `sdk-ts-${Date.now()}`;

// POST /admin/clients: the body is checked against ClientMetadata at compile time.
const created = await admin.POST("/admin/clients", {
  body: { client_id: newClientId, client_name: "Made by the TypeScript SDK", grant_types: ["client_credentials"], scope: "openid" },
});
if (!created.data) throw new Error(`create failed: ${created.response.status} ${JSON.stringify(created.error)}`);
console.log(`created ${created.data.client_id} (secret of ${created.data.client_secret?.length ?? 0} characters)`);

const read = await admin.GET("/admin/clients/{client_id}", { params: { path: { client_id: newClientId } } });
if (!read.data) throw new Error(`read failed: ${read.response.status} ${JSON.stringify(read.error)}`);
console.log(`read ${read.data.client_id}: ${read.data.client_name}`);

const listed = await admin.GET("/admin/clients", { params: { query: { client_id: newClientId } } });
if (!listed.data) throw new Error(`list failed: ${listed.response.status} ${JSON.stringify(listed.error)}`);
const listedIds = (listed.data.items ?? []).map((client) => client.client_id);
console.log(`listed ${listedIds.join(", ")}`);

const deleted = await admin.DELETE("/admin/clients/{client_id}", { params: { path: { client_id: newClientId } } });
if (deleted.error) throw new Error(`delete failed: ${deleted.response.status} ${JSON.stringify(deleted.error)}`);
console.log(`deleted ${newClientId} (${deleted.response.status})`);

const gone = await admin.GET("/admin/clients/{client_id}", { params: { path: { client_id: newClientId } } });
const problem: Problem | undefined = gone.error;
console.log(`read again: ${gone.response.status} ${gone.response.headers.get("content-type")} ${problem?.title ?? ""}`);

console.log(JSON.stringify({
  created: created.data.client_id,
  createdName: created.data.client_name,
  secretIssued: typeof created.data.client_secret === "string" && created.data.client_secret.length > 0,
  read: read.data.client_id,
  listed: listedIds,
  deletedStatus: deleted.response.status,
  goneStatus: gone.response.status,
  goneContentType: gone.response.headers.get("content-type"),
  goneProblemStatus: problem?.status ?? null,
}));
