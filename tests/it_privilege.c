/* it_privilege.c: least privilege of a stack started by `./fragent up` (run as root by
 * tests/integration.sh): every fragent-api and fragent-jobd process runs as the fragent
 * system user, its /proc/<pid>/environ holds no secret (database and Redis passwords, keys),
 * the key files it reads are fragent's and 0600 while the passwords stay root's, and the
 * FastCGI socket is fragent:www-data 0660. */
#include "config.h"

#include <dirent.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_run.h"

#include "buf.h"
#include "nitems.h"

/* The stack's state folder. */
static const char *
state(void)
{
	const char	*s = getenv("FRAGENT_TEST_STATE_DIR");

	ck_assert_msg(s != NULL, "FRAGENT_TEST_STATE_DIR is not set");
	return s;
}

/* Reads file "path" whole into "b" (NUL-terminated, NULs inside kept). */
static void
read_file(const char *path, struct buf *b)
{
	FILE	*f = fopen(path, "r");
	char	 chunk[4096];
	size_t	 n;

	ck_assert_msg(f != NULL, "cannot read %s", path);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(b, chunk, n);
	fclose(f);
}

/* The secret in STATE/secrets/"name", without its line end (static, one at a time). */
static const char *
secret(const char *name)
{
	static char	 v[512];
	char		 path[1024];
	FILE		*f;

	snprintf(path, sizeof(path), "%s/secrets/%s", state(), name);
	ck_assert_ptr_nonnull(f = fopen(path, "r"));
	ck_assert_ptr_nonnull(fgets(v, sizeof(v), f));
	fclose(f);
	v[strcspn(v, "\r\n")] = '\0';
	ck_assert_uint_ge(strlen(v), 16);
	return v;
}

/* True when the "len" bytes at "p" contain "needle". */
static int
has(const char *p, size_t len, const char *needle)
{
	return memmem(p, len, needle, strlen(needle)) != NULL;
}

/* Checks process "pid": its user and group are fragent's, its environment has no secret. */
static void
check_process(const char *pid, uid_t uid, gid_t gid)
{
	struct buf	 st, env;
	char		 path[320], want[128], cmd[320], user[64] = "";
	FILE		*ps;

	buf_init(&st);
	buf_init(&env);
	snprintf(path, sizeof(path), "/proc/%s/status", pid);
	read_file(path, &st);
	snprintf(want, sizeof(want), "\nUid:\t%u\t%u\t%u\t%u\n", (unsigned)uid, (unsigned)uid,
	    (unsigned)uid, (unsigned)uid);
	ck_assert_msg(strstr(st.data, want) != NULL, "pid %s is not fragent's: %s", pid,
	    st.data);
	snprintf(want, sizeof(want), "\nGid:\t%u\t%u\t%u\t%u\n", (unsigned)gid, (unsigned)gid,
	    (unsigned)gid, (unsigned)gid);
	ck_assert_msg(strstr(st.data, want) != NULL, "pid %s: group: %s", pid, st.data);
	snprintf(cmd, sizeof(cmd), "ps -o user= -p %s", pid);
	ck_assert_ptr_nonnull(ps = popen(cmd, "r"));
	ck_assert_ptr_nonnull(fgets(user, sizeof(user), ps));
	pclose(ps);
	ck_assert_str_eq(user, "fragent\n");
	snprintf(path, sizeof(path), "/proc/%s/environ", pid);
	read_file(path, &env);
	ck_assert(!has(env.data, env.len, "FRAGENT_DATABASE_URL="));
	ck_assert(!has(env.data, env.len, "FRAGENT_REDIS_URL="));
	ck_assert(!has(env.data, env.len, secret("pg_password")));
	ck_assert(!has(env.data, env.len, secret("redis_password")));
	ck_assert(!has(env.data, env.len, secret("jwt_key")));
	ck_assert(!has(env.data, env.len, secret("master_key")));
	/* What is not secret is still there (the scrub is selective). */
	ck_assert(has(env.data, env.len, "FRAGENT_STATE_DIR="));
	buf_clear(&st);
	buf_clear(&env);
}

START_TEST(test_processes)
{
	struct passwd	*pw = getpwnam("fragent");
	struct dirent	*de;
	DIR		*d;
	char		 link[320], exe[1024], api[1024], jobd[1024];
	ssize_t		 n;
	int		 napi = 0, njobd = 0;

	ck_assert_msg(pw != NULL, "no fragent user");
	snprintf(api, sizeof(api), "%s/bin/fragent-api", state());
	snprintf(jobd, sizeof(jobd), "%s/bin/fragent-jobd", state());
	ck_assert_ptr_nonnull(d = opendir("/proc"));
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		snprintf(link, sizeof(link), "/proc/%s/exe", de->d_name);
		if ((n = readlink(link, exe, sizeof(exe) - 1)) <= 0)
			continue;
		exe[n] = '\0';
		if (strcmp(exe, api) != 0 && strcmp(exe, jobd) != 0)
			continue;
		check_process(de->d_name, pw->pw_uid, pw->pw_gid);
		if (strcmp(exe, api) == 0)
			napi++;
		else
			njobd++;
	}
	closedir(d);
	ck_assert_int_ge(napi, 1);
	/* jobd and its listener copies (tests/integration.sh runs FRAGENT_SSE_PROCS = 2): every
	 * one checked above. */
	ck_assert_int_eq(njobd, getenv("FRAGENT_SSE_PROCS") != NULL ?
	    atoi(getenv("FRAGENT_SSE_PROCS")) : 1);
}
END_TEST

/* file under STATE, owner, group, mode */
static const struct { const char *file, *user, *group; unsigned mode; } files[] = {
	{ "secrets/jwt_key", "fragent", "fragent", 0600 },
	{ "secrets/master_key", "fragent", "fragent", 0600 },
	{ "secrets/pg_password", "root", "root", 0600 },
	{ "secrets/redis_password", "root", "root", 0600 },
	{ "secrets", "root", "fragent", 0710 },
	{ "fragent.env", "root", "fragent", 0640 },
	{ "supervisord.conf", "root", "root", 0600 },
	{ "run/api.sock", "fragent", "www-data", 0660 },
	{ "log", "root", "fragent", 0710 },
	{ "log/fragent", "fragent", "fragent", 0750 },
};

START_TEST(test_files)
{
	struct stat	 sb;
	struct passwd	*pw;
	struct group	*gr;
	char		 path[1024];

	snprintf(path, sizeof(path), "%s/%s", state(), files[_i].file);
	ck_assert_msg(stat(path, &sb) == 0, "%s missing", path);
	ck_assert_ptr_nonnull(pw = getpwnam(files[_i].user));
	ck_assert_ptr_nonnull(gr = getgrnam(files[_i].group));
	ck_assert_msg(sb.st_uid == pw->pw_uid && sb.st_gid == gr->gr_gid, "%s: owner %u:%u",
	    path, (unsigned)sb.st_uid, (unsigned)sb.st_gid);
	ck_assert_msg((sb.st_mode & 07777) == files[_i].mode, "%s: mode %o", path,
	    (unsigned)(sb.st_mode & 07777));
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("privilege");
	TCase	*tc = tcase_create("privilege");

	tcase_add_test(tc, test_processes);
	tcase_add_loop_test(tc, test_files, 0, NITEMS(files));
	suite_add_tcase(s, tc);
	return check_run(s);
}
