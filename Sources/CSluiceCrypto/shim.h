// OpenSSL 3's libcrypto: the HMAC-SHA256 that authenticates nodes to each other, SCRAM's
// digests, HMACs and PBKDF2, and random nonces. Only calls into the library: no cryptography of our own.
#include <stddef.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>
#include <openssl/crypto.h>

// Initializes libcrypto without its exit-time cleanup (see CSluiceTLS's sluice_openssl_init):
// threads still working when the process exits must not meet freed library state.
static inline void sluice_crypto_init(void) {
    OPENSSL_init_crypto(OPENSSL_INIT_NO_ATEXIT, NULL);
}

// HMAC of `first` followed by `second` under `key`, with the named digest ("SHA256", "SHA512"),
// into `out` (`out_len` bytes: the digest's size). 1 on success. Two parts so a frame's sequence
// number and its payload are authenticated without a copy.
static inline int sluice_hmac(const char *digest, const unsigned char *key, size_t key_len,
                              const unsigned char *first, size_t first_len,
                              const unsigned char *second, size_t second_len,
                              unsigned char *out, size_t out_len) {
    EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    if (mac == NULL) return 0;
    EVP_MAC_CTX *ctx = EVP_MAC_CTX_new(mac);
    EVP_MAC_free(mac);
    if (ctx == NULL) return 0;
    OSSL_PARAM params[2];
    params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)digest, 0);
    params[1] = OSSL_PARAM_construct_end();
    size_t written = 0;
    int ok = EVP_MAC_init(ctx, key, key_len, params)
        && EVP_MAC_update(ctx, first, first_len)
        && EVP_MAC_update(ctx, second, second_len)
        && EVP_MAC_final(ctx, out, &written, out_len)
        && written == out_len;
    EVP_MAC_CTX_free(ctx);
    return ok;
}

// The named digest of `data` into `out` (`out_len` bytes). 1 on success.
static inline int sluice_digest(const char *digest, const unsigned char *data, size_t data_len,
                                unsigned char *out, size_t out_len) {
    EVP_MD *md = EVP_MD_fetch(NULL, digest, NULL);
    if (md == NULL) return 0;
    unsigned int written = 0;
    int ok = (size_t)EVP_MD_get_size(md) == out_len && EVP_Digest(data, data_len, out, &written, md, NULL) && written == out_len;
    EVP_MD_free(md);
    return ok;
}

// PBKDF2 with HMAC of the named digest (RFC 8018), `out_len` bytes. 1 on success.
static inline int sluice_pbkdf2(const char *digest, const char *password, size_t password_len,
                                const unsigned char *salt, size_t salt_len, int iterations,
                                unsigned char *out, size_t out_len) {
    EVP_MD *md = EVP_MD_fetch(NULL, digest, NULL);
    if (md == NULL) return 0;
    int ok = PKCS5_PBKDF2_HMAC(password, (int)password_len, salt, (int)salt_len, iterations, md, (int)out_len, out);
    EVP_MD_free(md);
    return ok;
}
