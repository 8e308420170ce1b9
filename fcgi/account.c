/* account.c: making a user account (see account.h). */
#include "config.h"

#include <string.h>

#include "account.h"
#include "db.h"
#include "handlers.h"
#include "jsonh.h"
#include "session.h"
#include "validate.h"

/* $5: anyone may sign up; $6: the role, or NULL for a sign-up's (the first user is admin). */
static const char SQL_ACCOUNT_INSERT[] =
	"INSERT INTO users AS u (id, username, email, password_hash, role) "
	"SELECT $1, $2, $3, $4, COALESCE($6, CASE WHEN n = 0 THEN 'admin' ELSE 'viewer' END) "
	"FROM (SELECT count(*) AS n FROM users) c WHERE n = 0 OR $5::boolean "
	"RETURNING u.role, u.token_epoch, " USER_JSON;

int
account_prepare(struct req *rq, json_object *body, json_object *errors, const char *invalid,
    struct account_new *a)
{
	const char	*pw;

	pw = validate_account(body, errors);
	if (json_object_array_length(errors) > 0 || pw == NULL)
		return resp_problem(rq, 422, invalid, errors), -1;
	if (uuid_new(a->id) == -1 || password_hash(pw, a->hash) != PASSWORD_OK)
		return resp_problem(rq, 503, "cannot hash the password now, try again", NULL), -1;
	return 0;
}

int
account_insert(struct req *rq, struct account_new *a, json_object *body, const char *role,
    bool open, PGresult **res)
{
	enum db_rc	 drc;

	drc = db_row(rq->app->db, SQL_ACCOUNT_INSERT, 6, (const char *[]){ a->id,
	    jsonh_get_string(body, "username"), jsonh_get_string(body, "email"), a->hash,
	    open ? "true" : "false", role }, res);
	explicit_bzero(a->hash, sizeof(a->hash));
	return drc;
}
