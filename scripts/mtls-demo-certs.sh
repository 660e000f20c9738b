#!/usr/bin/env bash
# Generates the certificates of the mutual-TLS demo (README "Mutual TLS"), with openssl:
#   ca.pem / ca.key                 a demo CA (the trust anchor of tls_client_auth)
#   server.pem / server.key         the mTLS listener's certificate for localhost and 127.0.0.1, issued by the CA
#   client.pem / client.key         the demo-mtls client: subject "CN=demo-mtls-client,O=AuthService Demo",
#                                   SAN DNS demo-mtls-client.example, extended key usage clientAuth, issued by the CA
#   self-signed.pem / self-signed.key  a self-signed client certificate (for self_signed_tls_client_auth)
# Usage: bash scripts/mtls-demo-certs.sh [folder]   (default: .mtls-demo in the repository; never commit it)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out="${1:-.mtls-demo}"
mkdir -p "$out"
cd "$out"

key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; chmod 600 "$1"; }

key ca.key
openssl req -x509 -new -key ca.key -sha256 -days 365 -subj "/CN=AuthService Demo CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" -out ca.pem

issue() { # name subject extensions
  key "$1.key"
  openssl req -new -key "$1.key" -subj "$2" -out "$1.csr"
  printf '%s\n' "$3" > "$1.ext"
  openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -sha256 -days 90 -extfile "$1.ext" -out "$1.pem" 2>/dev/null
  rm -f "$1.csr" "$1.ext"
}

issue server "/CN=localhost" "$(printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1')"
issue client "/O=AuthService Demo/CN=demo-mtls-client" "$(printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\nsubjectAltName=DNS:demo-mtls-client.example')"

key self-signed.key
openssl req -x509 -new -key self-signed.key -sha256 -days 90 -subj "/CN=demo-self-signed-client" -out self-signed.pem

echo "Certificates in $(pwd):"
ls -1 ./*.pem
echo
echo "Client certificate subject (RFC 4514): $(openssl x509 -in client.pem -noout -subject -nameopt RFC2253 | sed 's/^subject=//')"
