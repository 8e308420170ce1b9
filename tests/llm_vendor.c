/* llm_vendor.c: the unit suites' scripted LLM vendor (see llm_vendor.h). */
#include "config.h"

#include <stdio.h>

#include <check.h>

#include "llm_vendor.h"

void
llm_vendor_up(struct llmsrv *srv, struct ssrf_allow **allow)
{
	char	 spec[64], err[128];

	ck_assert_int_eq(llmsrv_start(srv), 0);
	ck_assert_ptr_nonnull(*allow = ssrf_allow_new());
	snprintf(spec, sizeof(spec), "%s:%d", llmsrv_addr(), srv->port);
	ck_assert_int_eq(ssrf_allow_add(*allow, SSRF_USE_MODEL, spec, err, sizeof(err)), 0);
}

void
llm_vendor_down(struct llmsrv *srv, struct ssrf_allow *allow)
{
	llmsrv_stop(srv);
	ssrf_allow_free(allow);
}
