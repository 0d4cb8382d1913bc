#ifndef C_LIBPQ_SHIM_H
#define C_LIBPQ_SHIM_H
// Debian's libpq-dev puts the header in /usr/include/postgresql (pkg-config libpq adds it).
// libpq 15: PQconnectdbParams, PQprepare/PQexecPrepared, PQresultErrorField all exist since 9.x;
// nothing here is gated on a version.
#include <libpq-fe.h>
#endif
