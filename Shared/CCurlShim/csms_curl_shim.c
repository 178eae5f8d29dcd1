// Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.

// The option is a run-time value here, so the compile-time type checks of curl.h cannot apply.
#define CURL_DISABLE_TYPECHECK 1

#include "csms_curl_shim.h"

#include <curl/curl.h>

_Static_assert(sizeof(curl_off_t) == sizeof(int64_t), "curl_off_t must be 64 bits");

int csms_curl_global_init(void) { return (int)curl_global_init(CURL_GLOBAL_DEFAULT); }

int csms_curl_setopt_long(void *handle, uint32_t option, long value) {
    return (int)curl_easy_setopt((CURL *)handle, (CURLoption)option, value);
}

int csms_curl_setopt_offset(void *handle, uint32_t option, int64_t value) {
    return (int)curl_easy_setopt((CURL *)handle, (CURLoption)option, (curl_off_t)value);
}

int csms_curl_setopt_string(void *handle, uint32_t option, const char *value) {
    return (int)curl_easy_setopt((CURL *)handle, (CURLoption)option, value);
}

int csms_curl_setopt_pointer(void *handle, uint32_t option, void *value) {
    return (int)curl_easy_setopt((CURL *)handle, (CURLoption)option, value);
}

int csms_curl_setopt_data_callback(void *handle, uint32_t option, csms_curl_data_callback callback) {
    return (int)curl_easy_setopt((CURL *)handle, (CURLoption)option, (curl_write_callback)callback);
}

int csms_curl_setopt_progress_callback(void *handle, csms_curl_progress_callback callback) {
    return (int)curl_easy_setopt((CURL *)handle, CURLOPT_XFERINFOFUNCTION, (curl_xferinfo_callback)callback);
}

int csms_curl_getinfo_long(void *handle, uint32_t info, long *value) {
    return (int)curl_easy_getinfo((CURL *)handle, (CURLINFO)info, value);
}

int csms_curl_getinfo_string(void *handle, uint32_t info, const char **value) {
    char *result = NULL;
    CURLcode code = curl_easy_getinfo((CURL *)handle, (CURLINFO)info, &result);
    *value = result;
    return (int)code;
}
