// OpenSSL 3's libssl for TLS on the client listener. Sessions read and write through memory BIOs,
// so every socket call stays in SluiceIO's event loops. Only calls into the library, wrapped
// where the API is a macro Swift cannot call: no cryptography of our own.
#include <stddef.h>
#include <string.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <arpa/inet.h>

// Initializes OpenSSL without its exit-time cleanup: a process that exits while another thread
// still frees a TLS session (a client's connection thread) would otherwise free the library's
// state twice. The operating system reclaims it anyway. Must come before any other OpenSSL call.
static inline void sluice_openssl_init(void) {
    OPENSSL_init_ssl(OPENSSL_INIT_NO_ATEXIT | OPENSSL_INIT_LOAD_SSL_STRINGS | OPENSSL_INIT_LOAD_CRYPTO_STRINGS, NULL);
}

// A context with the settings every Sluice endpoint shares: TLS 1.2 or 1.3 (1.3 only when
// `tls13_only`, 1.2 only when `tls12_only`), no renegotiation, no compression, partial writes.
static inline SSL_CTX *sluice_tls_context_new(int server, int tls13_only, int tls12_only) {
    SSL_CTX *ctx = SSL_CTX_new(server ? TLS_server_method() : TLS_client_method());
    if (ctx == NULL) return NULL;
    if (!SSL_CTX_set_min_proto_version(ctx, tls13_only ? TLS1_3_VERSION : TLS1_2_VERSION)
        || !SSL_CTX_set_max_proto_version(ctx, tls12_only ? TLS1_2_VERSION : TLS1_3_VERSION)) {
        SSL_CTX_free(ctx);
        return NULL;
    }
    SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION | SSL_OP_CIPHER_SERVER_PREFERENCE);
    SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_RELEASE_BUFFERS);
    // Without a session id context, a client resuming a TLS 1.2 session against a server that
    // verifies client certificates has its handshake aborted (SESSION_ID_CONTEXT_UNINITIALIZED).
    static const unsigned char context_id[] = "sluice";
    if (server && !SSL_CTX_set_session_id_context(ctx, context_id, sizeof(context_id) - 1)) {
        SSL_CTX_free(ctx);
        return NULL;
    }
    return ctx;
}

// The passphrase of an encrypted private key: the configured one, or none. Without this callback
// OpenSSL would prompt on the terminal and block start-up.
static inline int sluice_tls_passphrase(char *buf, int size, int rwflag, void *userdata) {
    (void)rwflag;
    if (userdata == NULL || size <= 0) return 0;
    size_t length = strlen((const char *)userdata);
    if (length >= (size_t)size) return 0;
    memcpy(buf, userdata, length);
    return (int)length;
}

// Loads the certificate chain and private key (both PEM, in one file or two). 1 on success.
static inline int sluice_tls_use_identity(SSL_CTX *ctx, const char *chain_path, const char *key_path, const char *password) {
    SSL_CTX_set_default_passwd_cb(ctx, sluice_tls_passphrase);
    SSL_CTX_set_default_passwd_cb_userdata(ctx, (void *)password);
    int ok = SSL_CTX_use_certificate_chain_file(ctx, chain_path) == 1
        && SSL_CTX_use_PrivateKey_file(ctx, key_path, SSL_FILETYPE_PEM) == 1
        && SSL_CTX_check_private_key(ctx) == 1;
    SSL_CTX_set_default_passwd_cb_userdata(ctx, NULL);
    return ok;
}

// Trusts the PEM certificates in `ca_path` for verifying the peer; `mode` 0: no peer
// certificate asked, 1: asked and verified if sent, 2: required. 1 on success.
static inline int sluice_tls_verify_peers(SSL_CTX *ctx, const char *ca_path, int mode, int server) {
    if (ca_path != NULL && SSL_CTX_load_verify_locations(ctx, ca_path, NULL) != 1) return 0;
    if (server && ca_path != NULL) {
        STACK_OF(X509_NAME) *names = SSL_load_client_CA_file(ca_path);
        if (names != NULL) SSL_CTX_set_client_CA_list(ctx, names);
    }
    int flags = SSL_VERIFY_NONE;
    if (mode >= 1) flags = SSL_VERIFY_PEER;
    if (mode >= 2) flags |= SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
    SSL_CTX_set_verify(ctx, flags, NULL);
    return 1;
}

// A session over two memory BIOs: the caller feeds it what the socket read and writes out what
// it produced. NULL on failure.
static inline SSL *sluice_tls_session_new(SSL_CTX *ctx, int server, const char *host_name) {
    SSL *ssl = SSL_new(ctx);
    if (ssl == NULL) return NULL;
    BIO *input = BIO_new(BIO_s_mem());
    BIO *output = BIO_new(BIO_s_mem());
    if (input == NULL || output == NULL) {
        BIO_free(input);
        BIO_free(output);
        SSL_free(ssl);
        return NULL;
    }
    BIO_set_mem_eof_return(input, -1);
    BIO_set_mem_eof_return(output, -1);
    SSL_set_bio(ssl, input, output);
    if (server) {
        SSL_set_accept_state(ssl);
    } else {
        if (host_name != NULL) {
            // An address is checked against the certificate's IP entries; a name is also sent (SNI).
            unsigned char address[16];
            if (inet_pton(AF_INET, host_name, address) == 1 || inet_pton(AF_INET6, host_name, address) == 1) {
                X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host_name);
            } else {
                SSL_set_tlsext_host_name(ssl, host_name);
                SSL_set1_host(ssl, host_name);
            }
        }
        SSL_set_connect_state(ssl);
    }
    return ssl;
}

static inline int sluice_tls_feed(SSL *ssl, const void *bytes, int count) {
    return BIO_write(SSL_get_rbio(ssl), bytes, count);
}

static inline size_t sluice_tls_output_pending(SSL *ssl) {
    return BIO_ctrl_pending(SSL_get_wbio(ssl));
}

static inline int sluice_tls_take_output(SSL *ssl, void *bytes, int count) {
    return BIO_read(SSL_get_wbio(ssl), bytes, count);
}

// The oldest queued error as text (empty when none), and the queue cleared.
static inline void sluice_tls_error_text(char *buffer, size_t size) {
    unsigned long code = ERR_get_error();
    if (code == 0 && size > 0) {
        buffer[0] = 0;
    } else {
        ERR_error_string_n(code, buffer, size);
    }
    ERR_clear_error();
}

// The peer certificate's subject in RFC 2253 form ("CN=alice,O=example"), into `buffer`.
// 0 when the peer sent no certificate.
static inline int sluice_tls_peer_subject(SSL *ssl, char *buffer, int size) {
    X509 *cert = SSL_get1_peer_certificate(ssl);
    if (cert == NULL) return 0;
    BIO *text = BIO_new(BIO_s_mem());
    int written = 0;
    if (text != NULL && X509_NAME_print_ex(text, X509_get_subject_name(cert), 0, XN_FLAG_RFC2253) >= 0) {
        written = BIO_read(text, buffer, size - 1);
        if (written < 0) written = 0;
        buffer[written] = 0;
    }
    BIO_free(text);
    X509_free(cert);
    return written;
}
