/* routes.c: the API's route table. */
#include "config.h"

#include "handlers.h"
#include "routes.h"

const struct route api_routes[] = {
	{ "GET", "/api/v1/health", health_get },
	{ "GET", "/api/v1/ready", ready_get },
	{ "GET", "/api/v1/workflows", workflows_list },
	{ "POST", "/api/v1/workflows", workflows_create },
	{ "GET", "/api/v1/workflows/{id}", workflows_get },
	{ "POST", "/api/v1/workflows/{id}/executions", executions_create },
	{ "GET", "/api/v1/executions/{id}", executions_get },
};

const size_t api_routes_len = sizeof(api_routes) / sizeof(api_routes[0]);
