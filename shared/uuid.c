/* uuid.c: time-ordered random UUIDs (version 7) from the clock and OpenSSL's CSPRNG (see uuid.h). */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <openssl/rand.h>

#include "uuid.h"

int
uuid_new(char out[UUID_STRLEN + 1])
{
	unsigned char	 b[16];
	struct timespec	 ts;
	unsigned long long ms;
	int		 i;

	if (clock_gettime(CLOCK_REALTIME, &ts) != 0 || RAND_bytes(b, sizeof(b)) != 1)
		return -1;
	/* RFC 9562 §5.7: 48-bit big-endian Unix time in milliseconds, then 74 random bits. */
	ms = (unsigned long long)ts.tv_sec * 1000ULL + (unsigned long long)ts.tv_nsec / 1000000ULL;
	for (i = 5; i >= 0; i--, ms >>= 8)
		b[i] = (unsigned char)(ms & 0xff);
	b[6] = (b[6] & 0x0f) | 0x70;	/* version 7 */
	b[8] = (b[8] & 0x3f) | 0x80;	/* RFC 4122 variant */
	snprintf(out, UUID_STRLEN + 1,
	    "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
	    b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
	    b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
	return 0;
}

bool
uuid_valid(const char *s)
{
	size_t	 i;

	if (s == NULL || strlen(s) != UUID_STRLEN)
		return false;
	for (i = 0; i < UUID_STRLEN; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return false;
		} else if (!isxdigit((unsigned char)s[i]))
			return false;
	}
	return true;
}
