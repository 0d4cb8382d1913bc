#ifndef C_OPENSSL_SHIM_H
#define C_OPENSSL_SHIM_H
// Debian 12's libssl-dev is OpenSSL 3.0 (pkg-config openssl). Only 3.x APIs are used: keys are
// built with OSSL_PARAM_BLD + EVP_PKEY_fromdata and decoded with OSSL_DECODER, never through
// the deprecated RSA_* structs, so nothing here needs OPENSSL_API_COMPAT.
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/hmac.h>
#include <openssl/crypto.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/param_build.h>
#include <openssl/decoder.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

// Selection macros are built from other macros with `|`, which Swift does not import.
static inline int c_openssl_selection_public_key(void) { return EVP_PKEY_PUBLIC_KEY; }
static inline int c_openssl_selection_keypair(void) { return EVP_PKEY_KEYPAIR; }


// Some OpenSSL 3 objects keep a `const char *` argument without copying it: OSSL_PARAM keeps its
// key name, EVP_PKEY_CTX_new_from_name its key type, OSSL_DECODER_CTX its input type. A Swift
// string passed where C wants `const char *` is only guaranteed to live for the call, so such
// names must come from here, as static C literals. (With a temporary name, EVP_PKEY_fromdata
// failed with no error queued.) Names only read during the call may be Swift strings.
static inline const char *c_openssl_param_rsa_n(void) { return OSSL_PKEY_PARAM_RSA_N; }
static inline const char *c_openssl_param_rsa_e(void) { return OSSL_PKEY_PARAM_RSA_E; }
static inline const char *c_openssl_name_rsa(void) { return "RSA"; }
static inline const char *c_openssl_name_pem(void) { return "PEM"; }

// TLS settings that libssl spells as macros over SSL_CTX_ctrl or as `uint64_t` shifts, neither
// of which Swift imports.
static inline int c_openssl_ctx_set_min_tls12(SSL_CTX *ctx) {
    return (int)SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
}
/// Options of a public server: the server picks the cipher from OpenSSL's default list, and
/// neither side may renegotiate (a client-started renegotiation costs the server a handshake).
static inline void c_openssl_ctx_set_server_options(SSL_CTX *ctx) {
    SSL_CTX_set_options(ctx, SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION);
}
/// Idle connections give their record buffers back (tens of KiB each), and no session cache
/// grows with clients: TLS 1.3 and 1.2 resume through stateless tickets only.
static inline void c_openssl_ctx_set_server_modes(SSL_CTX *ctx) {
    SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS);
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
}

#endif
