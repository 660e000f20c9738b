// The oidc-client-ts UserManager of the app (browser build, global `oidc`), configured from /config.json.
const config = await (await fetch('/config.json')).json();

export const userManager = new oidc.UserManager({
  authority: config.issuer,
  client_id: config.client_id,
  redirect_uri: `${config.origin}/callback.html`,
  post_logout_redirect_uri: `${config.origin}/`,
  response_type: 'code',
  scope: 'openid profile offline_access',
  loadUserInfo: true,
  automaticSilentRenew: false, // renewed on demand here, to show it; true renews before expiry
});
