/* routes.h: the API's route table (defined in routes.c). */
#ifndef FRAGENT_ROUTES_H
#define FRAGENT_ROUTES_H

#include <stddef.h>

#include "router.h"

extern const struct route	api_routes[];
extern const size_t		api_routes_len;

#endif
