namespace AuthService.WebApi.Interaction;

/// <summary>
/// <c>GET /passkeys.js</c>: the one script of the passkey ceremony pages. It reads the options from the form's data
/// attribute, calls <c>navigator.credentials.create</c> or <c>get</c> (WebAuthn L3 §5.1.3, §5.1.4), writes the answer as
/// JSON (base64url binary fields, as PublicKeyCredential.toJSON() does, §5.1) into the form's hidden field and posts it.
/// </summary>
public static class PasskeyScript
{
    public const string Source = """
        (function () {
          'use strict';
          var form = document.getElementById('passkey-form');
          var status = document.getElementById('passkey-status');
          if (!form || !window.PublicKeyCredential) {
            if (status) { status.textContent = 'This browser does not support passkeys. Go back and use your password.'; }
            return;
          }
          function encode(buffer) {
            var bytes = new Uint8Array(buffer), text = '';
            for (var i = 0; i < bytes.length; i++) { text += String.fromCharCode(bytes[i]); }
            return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
          }
          function decode(value) {
            var text = atob(value.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((value.length + 3) % 4));
            var bytes = new Uint8Array(text.length);
            for (var i = 0; i < text.length; i++) { bytes[i] = text.charCodeAt(i); }
            return bytes.buffer;
          }
          function ids(list) { (list || []).forEach(function (c) { c.id = decode(c.id); }); }
          function answer(credential) {
            var r = credential.response;
            var json = { id: credential.id, rawId: encode(credential.rawId), type: credential.type,
              clientExtensionResults: credential.getClientExtensionResults ? credential.getClientExtensionResults() : {},
              response: { clientDataJSON: encode(r.clientDataJSON) } };
            if (r.attestationObject) {
              json.response.attestationObject = encode(r.attestationObject);
              json.response.transports = r.getTransports ? r.getTransports() : [];
            } else {
              json.response.authenticatorData = encode(r.authenticatorData);
              json.response.signature = encode(r.signature);
              if (r.userHandle) { json.response.userHandle = encode(r.userHandle); }
            }
            return json;
          }
          form.addEventListener('submit', function (event) {
            event.preventDefault();
            var options = JSON.parse(form.getAttribute('data-options'));
            options.challenge = decode(options.challenge);
            var call;
            if (form.getAttribute('data-mode') === 'create') {
              options.user.id = decode(options.user.id);
              ids(options.excludeCredentials);
              call = navigator.credentials.create({ publicKey: options });
            } else {
              ids(options.allowCredentials);
              call = navigator.credentials.get({ publicKey: options });
            }
            status.textContent = 'Waiting for your passkey…';
            call.then(function (credential) {
              form.elements.credential.value = JSON.stringify(answer(credential));
              form.submit();
            }).catch(function () {
              status.textContent = 'The passkey was not used. Try again, or cancel.';
            });
          });
        })();
        """;

    public static IResult Serve() => Results.Text(Source, "text/javascript; charset=utf-8");
}
