/* check_crypto.c: unit tests of crypto.c (AES-256-GCM sealing, base64, constant-time
 * comparison, hashing) and password.c (yescrypt). */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "check_run.h"
#include "crypto.h"
#include "password.h"

static const unsigned char key1[CRYPTO_KEY_LEN] = "0123456789abcdef0123456789abcdef";
static const unsigned char key2[CRYPTO_KEY_LEN] = "fedcba9876543210fedcba9876543210";

START_TEST(test_seal_open)
{
	unsigned char	*blob, *pt;
	size_t		 n, m;

	ck_assert_int_eq(crypto_seal(key1, 1, "owner-id", 8, "sk-secret", 9, &blob, &n), 0);
	ck_assert_uint_eq(n, 9 + CRYPTO_SEAL_OVERHEAD);
	ck_assert_int_eq(blob[0], CRYPTO_SEAL_VERSION);
	ck_assert_int_eq(crypto_open(key1, "owner-id", 8, blob, n, &pt, &m), 0);
	ck_assert_uint_eq(m, 9);
	ck_assert_str_eq((char *)pt, "sk-secret");
	free(pt);
	/* Wrong key, wrong AAD (another row), a flipped bit: all refused. */
	ck_assert_int_eq(crypto_open(key2, "owner-id", 8, blob, n, &pt, &m), -1);
	ck_assert_ptr_null(pt);
	ck_assert_int_eq(crypto_open(key1, "other-id", 8, blob, n, &pt, &m), -1);
	blob[n / 2] ^= 1;
	ck_assert_int_eq(crypto_open(key1, "owner-id", 8, blob, n, &pt, &m), -1);
	ck_assert_int_eq(crypto_open(key1, "owner-id", 8, blob, 5, &pt, &m), -1);
	free(blob);
}
END_TEST

START_TEST(test_seal_nonce_fresh)
{
	unsigned char	*a, *b;
	size_t		 n, m;

	ck_assert_int_eq(crypto_seal(key1, 1, "x", 1, "same", 4, &a, &n), 0);
	ck_assert_int_eq(crypto_seal(key1, 1, "x", 1, "same", 4, &b, &m), 0);
	ck_assert(memcmp(a + 2, b + 2, CRYPTO_NONCE_LEN) != 0);
	free(a);
	free(b);
}
END_TEST

static const struct {
	const char	*in;
	long		 len;
} b64[] = {
	{ "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=", 32 },
	{ "  Zm9v\n", 3 }, { "Zm8=", 2 }, { "Zg==", 1 },
	{ "", -1 }, { "Zm9", -1 }, { "Zm9v!", -1 }, { "Z=9v", -1 }, { "=", -1 },
};

START_TEST(test_b64_decode)
{
	unsigned char	 out[64];

	ck_assert_int_eq(crypto_b64_decode(b64[_i].in, out, sizeof(out)), b64[_i].len);
}
END_TEST

START_TEST(test_helpers)
{
	char		 out[64], h[2 + 2 * CRYPTO_SHA256_LEN + 1];
	unsigned char	 raw[3] = { 0xfb, 0xff, 0x00 };

	ck_assert_int_eq(crypto_b64url(raw, 3, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "-_8A");
	ck_assert_int_eq(crypto_b64url(raw, 3, out, 4), -1);
	ck_assert(crypto_equal("abc", "abc", 3));
	ck_assert(!crypto_equal("abc", "abd", 3));
	crypto_sha256_bytea("abc", h);
	ck_assert_str_eq(h, "\\xba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}
END_TEST

/* Every byte's two digits, written by crypto_hex, read back in either case; any other
 * character is not a digit. */
START_TEST(test_hex_digit)
{
	unsigned char	 b;
	char		 hex[3];
	int		 c;

	for (c = 0; c < 256; c++) {
		b = (unsigned char)c;
		crypto_hex(&b, 1, hex);
		ck_assert_int_eq(crypto_hex_digit(hex[0]) << 4 | crypto_hex_digit(hex[1]), c);
		ck_assert_int_eq(crypto_hex_digit(toupper((unsigned char)hex[0])) << 4 |
		    crypto_hex_digit(toupper((unsigned char)hex[1])), c);
		if (!isxdigit(c))
			ck_assert_int_eq(crypto_hex_digit(c), -1);
	}
	ck_assert_int_eq(crypto_hex_digit(-1), -1);
}
END_TEST

START_TEST(test_password)
{
	char	 h[PASSWORD_HASH_MAX], h2[PASSWORD_HASH_MAX];

	ck_assert_int_eq(password_hash("correct horse", h), PASSWORD_OK);
	ck_assert(strncmp(h, "$y$", 3) == 0);
	ck_assert_int_eq(password_hash("correct horse", h2), PASSWORD_OK);
	ck_assert_str_ne(h, h2);	/* fresh salt */
	ck_assert_int_eq(password_verify("correct horse", h), PASSWORD_OK);
	ck_assert_int_eq(password_verify("correct horsE", h), PASSWORD_MISMATCH);
	ck_assert_int_eq(password_verify("x", "$1$md5$nope"), PASSWORD_ERROR);
	ck_assert_int_eq(password_verify_dummy("anything"), PASSWORD_MISMATCH);
	ck_assert(password_acceptable("12345678", 8));
	ck_assert(!password_acceptable("1234567", 7));
	ck_assert(!password_acceptable("1234\0" "5678", 9));
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("crypto");
	TCase	*tc = tcase_create("crypto");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_seal_open);
	tcase_add_test(tc, test_seal_nonce_fresh);
	tcase_add_loop_test(tc, test_b64_decode, 0, sizeof(b64) / sizeof(b64[0]));
	tcase_add_test(tc, test_helpers);
	tcase_add_test(tc, test_hex_digit);
	tcase_add_test(tc, test_password);
	suite_add_tcase(s, tc);
	return check_run(s);
}
