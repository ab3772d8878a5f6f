// OpenSSL 3's libcrypto, for the HMAC-SHA256 that authenticates nodes to each other and the
// random nonces of that handshake. Only calls into the library: no cryptography of our own.
#include <stddef.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>

// HMAC-SHA256 of `first` followed by `second` under `key`, into `out` (32 bytes). 1 on success.
// Two parts so a frame's sequence number and its payload are authenticated without a copy.
static inline int sluice_hmac_sha256(const unsigned char *key, size_t key_len,
                                     const unsigned char *first, size_t first_len,
                                     const unsigned char *second, size_t second_len,
                                     unsigned char *out) {
    EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    if (mac == NULL) return 0;
    EVP_MAC_CTX *ctx = EVP_MAC_CTX_new(mac);
    EVP_MAC_free(mac);
    if (ctx == NULL) return 0;
    OSSL_PARAM params[2];
    params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)"SHA256", 0);
    params[1] = OSSL_PARAM_construct_end();
    size_t written = 0;
    int ok = EVP_MAC_init(ctx, key, key_len, params)
        && EVP_MAC_update(ctx, first, first_len)
        && EVP_MAC_update(ctx, second, second_len)
        && EVP_MAC_final(ctx, out, &written, 32)
        && written == 32;
    EVP_MAC_CTX_free(ctx);
    return ok;
}
