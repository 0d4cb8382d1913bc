// libFuzzer's driver, as compiler-rt exports it (FuzzerDriver.cpp). Only fuzz builds
// (-sanitize=fuzzer) link it; plain builds never reference it.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
