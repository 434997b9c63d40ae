// The system zlib (Debian: zlib1g-dev), for inflating compressed OTLP request bodies.
#include <zlib.h>
