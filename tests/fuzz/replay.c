/* replay.c: runs a fuzz harness over its checked-in corpus (FUZZ_CORPUS_DIR/FUZZ_NAME), so
 * `make check` exercises every harness without libFuzzer. */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "fuzz.h"

/* Feeds the file "path" to the harness. Returns 0, or -1 when unreadable. */
static int
replay_file(const char *path)
{
	FILE		*f;
	struct buf	 b;
	char		 chunk[4096];
	size_t		 n;

	if ((f = fopen(path, "rb")) == NULL)
		return -1;
	buf_init(&b);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(&b, chunk, n);
	fclose(f);
	LLVMFuzzerTestOneInput((const uint8_t *)(b.data ? b.data : ""), b.len);
	buf_clear(&b);
	return 0;
}

/* Skips dot files. */
static int
replay_visible(const struct dirent *de)
{
	return de->d_name[0] != '.';
}

int
main(int argc, char *argv[])
{
	const char	*base = getenv("FUZZ_CORPUS_DIR");
	char		 dir[1024], path[2048];
	struct dirent	**names = NULL;
	int		 n, i, rc = 0;

	if (LLVMFuzzerInitialize != NULL)
		LLVMFuzzerInitialize(&argc, &argv);
	snprintf(dir, sizeof(dir), "%s/%s", base ? base : "tests/fuzz/corpus", FUZZ_NAME);
	/* In name order, so that a failure reproduces on the same input. */
	if ((n = scandir(dir, &names, replay_visible, alphasort)) == -1) {
		fprintf(stderr, "cannot open corpus %s\n", dir);
		return 1;
	}
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		if (rc == 0 && replay_file(path) == -1) {
			fprintf(stderr, "cannot read %s\n", path);
			rc = 1;
		}
		free(names[i]);
	}
	free(names);
	if (rc == 0)
		printf("%s: replayed %d corpus inputs\n", FUZZ_NAME, n);
	return rc == 0 && n > 0 ? 0 : 1;
}
