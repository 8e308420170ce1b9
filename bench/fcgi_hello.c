/* fcgi_hello.c: the smallest libfcgi responder, for bench/fcgi_ceiling.sh: opens the unix
 * socket "argv[1]", forks "argv[2]" single-threaded processes that answer every request with
 * a fixed 15-byte JSON body, the shape of GET /api/v1/health, and nothing else (no routing,
 * no logging, no JWT, no database). Runs until killed. */
#include <fcgiapp.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static void
serve(int sock)
{
	FCGX_Request	 rq;

	if (FCGX_InitRequest(&rq, sock, 0) != 0)
		exit(1);
	while (FCGX_Accept_r(&rq) >= 0) {
		FCGX_PutS("Status: 200 OK\r\nContent-Type: application/json\r\n\r\n"
		    "{\"status\":\"ok\"}", rq.out);
		FCGX_Finish_r(&rq);
	}
	exit(0);
}

int
main(int argc, char *argv[])
{
	int	 sock, n, i;

	if (argc != 3 || (n = atoi(argv[2])) < 1 || n > 64) {
		fprintf(stderr, "usage: fcgi_hello SOCKET PROCESSES\n");
		return 2;
	}
	if (FCGX_Init() != 0 || (sock = FCGX_OpenSocket(argv[1], 128)) < 0) {
		fprintf(stderr, "fcgi_hello: cannot listen on %s\n", argv[1]);
		return 1;
	}
	chmod(argv[1], 0666);
	for (i = 0; i < n; i++)
		if (fork() == 0)
			serve(sock);
	while (wait(NULL) > 0)
		;
	return 0;
}
