/* log.h: structured logging, one JSON object per line on standard error. */
#ifndef FRAGENT_LOG_H
#define FRAGENT_LOG_H

#include <stdbool.h>
#include <stddef.h>

enum log_level {
	LOGL_DEBUG,
	LOGL_INFO,
	LOGL_WARN,
	LOGL_ERROR,
	LOGL__MAX
};

/* Identifiers that tie a line to a request or an execution; either may be NULL. */
struct log_ids {
	const char	*request_id;
	const char	*execution_id;
};

/* A pointer to temporary ids, usable as a macro argument: LOG_IDS(request_id, execution_id). */
#define LOG_IDS(req, exec)	(&(struct log_ids){ .request_id = (req), .execution_id = (exec) })

/* Sets the "component" field of every line and the lowest level written. */
void	log_setup(const char *component, enum log_level min);
/* Parses "debug", "info", "warn" or "error". Returns 0, or -1 leaving "out" alone. */
int	log_level_parse(const char *s, enum log_level *out);
/* Writes the current UTC time as ISO 8601 with milliseconds ("…T…Z") into "out" (≥ 32 bytes). */
void	log_timestamp(char *out, size_t len);
/* Writes one line {time, level, component, request_id?, execution_id?, msg}.
 * "ids" may be NULL. Safe to call from several threads. */
void	log_emit(enum log_level lvl, const struct log_ids *ids, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

#define log_debug(ids, ...)	log_emit(LOGL_DEBUG, (ids), __VA_ARGS__)
#define log_info(ids, ...)	log_emit(LOGL_INFO, (ids), __VA_ARGS__)
#define log_warn(ids, ...)	log_emit(LOGL_WARN, (ids), __VA_ARGS__)
#define log_error(ids, ...)	log_emit(LOGL_ERROR, (ids), __VA_ARGS__)

#endif
