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

#endif
