/* nitems.h: NITEMS, the number of elements of an array (not of a pointer). */
#ifndef FRAGENT_NITEMS_H
#define FRAGENT_NITEMS_H

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))

#endif
