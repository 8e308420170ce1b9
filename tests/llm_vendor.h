/* llm_vendor.h: the scripted LLM vendor of the unit suites that call it over HTTP
 * (check_agent, check_llm_client): tests/llmsrv started, and a model allow-list that admits
 * its address and port (the HTTP node's list stays empty). */
#ifndef FRAGENT_LLM_VENDOR_H
#define FRAGENT_LLM_VENDOR_H

#include "llmsrv_ctl.h"
#include "ssrf.h"

/* Starts "srv" and makes "*allow" (asserting both worked). */
void	llm_vendor_up(struct llmsrv *srv, struct ssrf_allow **allow);
/* Stops "srv" and frees "allow". */
void	llm_vendor_down(struct llmsrv *srv, struct ssrf_allow *allow);

#endif
