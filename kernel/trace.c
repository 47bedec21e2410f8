// SPDX-License-Identifier: GPL-2.0-or-later
/* Instantiates the klpx tracepoints declared in trace.h. */
#define CREATE_TRACE_POINTS
#include "trace.h"
