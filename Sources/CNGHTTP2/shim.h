#ifndef C_NGHTTP2_SHIM_H
#define C_NGHTTP2_SHIM_H
// Debian 12 ships nghttp2 1.52 with security backports (stream reset rate limit, max
// continuations) whose symbols exist although NGHTTP2_VERSION_NUM still says 1.52.0:
// never gate on the version macro.
#include <nghttp2/nghttp2.h>
#endif
