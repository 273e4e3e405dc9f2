/* OpenSSL libcrypto workload: message digests, HMAC, AES-256-GCM authenticated
 * encryption (including a rejected forged tag), PBKDF2, HKDF, ChaCha20-Poly1305,
 * base64 and big-number arithmetic, printed in hex. Everything is deterministic. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/opensslv.h>

static void hex(const char *label, const unsigned char *p, size_t n) {
    printf("%-22s ", label);
    for (size_t i = 0; i < n; i++)
        printf("%02x", p[i]);
    printf("\n");
}

static void fail(const char *what) {
    fprintf(stderr, "%s failed\n", what);
    ERR_print_errors_fp(stderr);
    exit(1);
}

static void digest(const char *name, const void *data, size_t n) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_MD *md_alg = EVP_MD_fetch(NULL, name, NULL);
    if (md_alg == NULL)
        fail(name);
    /* one-shot and incremental must agree */
    if (!EVP_Digest(data, n, md, &len, md_alg, NULL))
        fail("EVP_Digest");
    unsigned char md2[EVP_MAX_MD_SIZE];
    unsigned int len2 = 0;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (!EVP_DigestInit_ex(ctx, md_alg, NULL))
        fail("EVP_DigestInit_ex");
    for (size_t i = 0; i < n; i += 7)
        EVP_DigestUpdate(ctx, (const char *)data + i, n - i < 7 ? n - i : 7);
    EVP_DigestFinal_ex(ctx, md2, &len2);
    EVP_MD_CTX_free(ctx);
    char label[64];
    snprintf(label, sizeof label, "%s(%zu)%s", name, n, len == len2 && !memcmp(md, md2, len) ? "" : " MISMATCH");
    hex(label, md, len);
    EVP_MD_free(md_alg);
}

static int gcm(const EVP_CIPHER *c, const unsigned char *key, const unsigned char *iv, int ivlen,
               const unsigned char *aad, int aadlen, const unsigned char *in, int inlen, unsigned char *out,
               unsigned char *tag, int enc) {
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    int len, total = 0, ok = 1;
    if (!EVP_CipherInit_ex(ctx, c, NULL, NULL, NULL, enc) ||
        !EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_IVLEN, ivlen, NULL) ||
        !EVP_CipherInit_ex(ctx, NULL, NULL, key, iv, enc))
        fail("cipher init");
    if (aadlen && !EVP_CipherUpdate(ctx, NULL, &len, aad, aadlen))
        fail("aad");
    if (!EVP_CipherUpdate(ctx, out, &len, in, inlen))
        fail("update");
    total = len;
    if (!enc && !EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, 16, tag))
        fail("set tag");
    if (!EVP_CipherFinal_ex(ctx, out + total, &len))
        ok = 0; /* authentication failure on decrypt */
    else
        total += len;
    if (enc && !EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, 16, tag))
        fail("get tag");
    EVP_CIPHER_CTX_free(ctx);
    return ok ? total : -1;
}

static void aead(const char *name) {
    EVP_CIPHER *c = EVP_CIPHER_fetch(NULL, name, NULL);
    if (c == NULL)
        fail(name);
    unsigned char key[32], iv[12], tag[16], ct[128], pt[128];
    for (int i = 0; i < 32; i++)
        key[i] = (unsigned char)(i * 7 + 1);
    for (int i = 0; i < 12; i++)
        iv[i] = (unsigned char)(0xa0 + i);
    const char *msg = "Attack at dawn! The JIT-linked libcrypto encrypts this message.";
    const char *aad = "header v1";
    int n = gcm(c, key, iv, 12, (const unsigned char *)aad, (int)strlen(aad), (const unsigned char *)msg,
                (int)strlen(msg), ct, tag, 1);
    printf("%s: %d bytes\n", name, n);
    hex("  ciphertext", ct, (size_t)n);
    hex("  tag", tag, 16);
    int m = gcm(c, key, iv, 12, (const unsigned char *)aad, (int)strlen(aad), ct, n, pt, tag, 0);
    printf("  decrypt: %d %s\n", m, m == (int)strlen(msg) && !memcmp(pt, msg, (size_t)m) ? "roundtrip ok" : "MISMATCH");
    tag[5] ^= 1;
    m = gcm(c, key, iv, 12, (const unsigned char *)aad, (int)strlen(aad), ct, n, pt, tag, 0);
    printf("  forged tag: %s\n", m < 0 ? "rejected" : "ACCEPTED");
    tag[5] ^= 1;
    ct[0] ^= 0x80;
    m = gcm(c, key, iv, 12, (const unsigned char *)aad, (int)strlen(aad), ct, n, pt, tag, 0);
    printf("  modified ciphertext: %s\n", m < 0 ? "rejected" : "ACCEPTED");
    EVP_CIPHER_free(c);
}

int main(void) {
    printf("%s\n", OPENSSL_VERSION_TEXT);
    static const char *algs[] = {"MD5", "SHA1", "SHA224", "SHA256", "SHA384", "SHA512", "SHA3-256", "SHA3-512",
                                 "BLAKE2b512", "SHA512-256"};
    static const char *inputs[] = {"", "abc", "The quick brown fox jumps over the lazy dog"};
    for (size_t a = 0; a < sizeof algs / sizeof algs[0]; a++)
        for (size_t i = 0; i < 3; i++)
            digest(algs[a], inputs[i], strlen(inputs[i]));
    unsigned char *big = malloc(1 << 20);
    for (int i = 0; i < 1 << 20; i++)
        big[i] = (unsigned char)(i * 31 + (i >> 8));
    digest("SHA256", big, 1 << 20);
    digest("SHA3-256", big, 1 << 20);

    /* HMAC: RFC 4231 test case 2 and a long key. */
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int maclen;
    HMAC(EVP_sha256(), "Jefe", 4, (const unsigned char *)"what do ya want for nothing?", 28, mac, &maclen);
    hex("HMAC-SHA256 rfc4231#2", mac, maclen);
    HMAC(EVP_sha512(), big, 200, big + 200, 5000, mac, &maclen);
    hex("HMAC-SHA512 long key", mac, maclen);
    EVP_MAC *hm = EVP_MAC_fetch(NULL, "HMAC", NULL);
    EVP_MAC_CTX *mctx = EVP_MAC_CTX_new(hm);
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string("digest", "SHA3-256", 0), OSSL_PARAM_construct_end()};
    size_t ml;
    if (!EVP_MAC_init(mctx, (const unsigned char *)"key", 3, params) ||
        !EVP_MAC_update(mctx, (const unsigned char *)"message", 7) || !EVP_MAC_final(mctx, mac, &ml, sizeof mac))
        fail("EVP_MAC");
    hex("HMAC-SHA3-256 EVP_MAC", mac, ml);
    EVP_MAC_CTX_free(mctx);
    EVP_MAC_free(hm);

    aead("AES-256-GCM");
    aead("ChaCha20-Poly1305");

    /* PBKDF2: RFC 6070 vectors (SHA1) and SHA256. */
    unsigned char dk[64];
    PKCS5_PBKDF2_HMAC_SHA1("password", 8, (const unsigned char *)"salt", 4, 4096, 20, dk);
    hex("PBKDF2-SHA1 4096", dk, 20);
    PKCS5_PBKDF2_HMAC("passwordPASSWORDpassword", 24, (const unsigned char *)"saltSALTsaltSALTsaltSALTsaltSALTsalt", 36,
                      4096, EVP_sha256(), 40, dk);
    hex("PBKDF2-SHA256 4096", dk, 40);
    PKCS5_PBKDF2_HMAC("pw", 2, (const unsigned char *)"NaCl", 4, 100000, EVP_sha512(), 64, dk);
    hex("PBKDF2-SHA512 100000", dk, 64);

    /* HKDF (RFC 5869 test case 1). */
    EVP_PKEY_CTX *pctx = EVP_PKEY_CTX_new_id(EVP_PKEY_HKDF, NULL);
    unsigned char ikm[22], salt[13], info[10], okm[42];
    size_t okmlen = sizeof okm;
    memset(ikm, 0x0b, sizeof ikm);
    for (int i = 0; i < 13; i++)
        salt[i] = (unsigned char)i;
    for (int i = 0; i < 10; i++)
        info[i] = (unsigned char)(0xf0 + i);
    if (EVP_PKEY_derive_init(pctx) <= 0 || EVP_PKEY_CTX_set_hkdf_md(pctx, EVP_sha256()) <= 0 ||
        EVP_PKEY_CTX_set1_hkdf_salt(pctx, salt, sizeof salt) <= 0 ||
        EVP_PKEY_CTX_set1_hkdf_key(pctx, ikm, sizeof ikm) <= 0 ||
        EVP_PKEY_CTX_add1_hkdf_info(pctx, info, sizeof info) <= 0 || EVP_PKEY_derive(pctx, okm, &okmlen) <= 0)
        fail("HKDF");
    hex("HKDF-SHA256", okm, okmlen);
    EVP_PKEY_CTX_free(pctx);

    /* Base64 */
    unsigned char b64[128];
    int bl = EVP_EncodeBlock(b64, (const unsigned char *)"jitrun links libcrypto", 22);
    printf("%-22s %.*s\n", "base64", bl, b64);

    /* Big numbers: 2^521 - 1 is prime; 3^(p-1) mod p == 1. */
    BN_CTX *bctx = BN_CTX_new();
    BIGNUM *p = BN_new(), *r = BN_new(), *three = BN_new(), *e = BN_new();
    BN_set_bit(p, 521);
    BN_sub_word(p, 1);
    BN_set_word(three, 3);
    BN_sub(e, p, BN_value_one());
    BN_mod_exp(r, three, e, p, bctx);
    printf("%-22s %s prime=%d\n", "fermat(2^521-1)", BN_is_one(r) ? "1" : "NOT ONE", BN_check_prime(p, bctx, NULL));
    BN_set_word(e, 65537);
    BN_mod_exp(r, three, e, p, bctx);
    char *dec = BN_bn2dec(r);
    printf("%-22s %s\n", "3^65537 mod M521", dec);
    OPENSSL_free(dec);
    BN_free(p), BN_free(r), BN_free(three), BN_free(e);
    BN_CTX_free(bctx);

    /* An unknown algorithm is an error reported through the error queue. */
    EVP_MD *none = EVP_MD_fetch(NULL, "NO-SUCH-DIGEST", NULL);
    unsigned long err = ERR_peek_last_error();
    printf("unknown digest: %s, error reason %d\n", none ? "found?!" : "NULL", ERR_GET_REASON(err));
    ERR_clear_error();
    free(big);
    return 0;
}
