/* schemas.h: JSON Schemas the API validates bodies with and publishes in GET /openapi.json. */
#ifndef FRAGENT_SCHEMAS_H
#define FRAGENT_SCHEMAS_H

/* An agent's `configuration` (agents.c). */
extern const char agent_config_schema[];

#endif
